"""Holding back whoever guesses sign-in codes: wrong codes are counted per person and per client
address; after the fifth in a row each further try waits longer (30 s, 1 min, 2 min ... up to
an hour). Nothing sleeps: a held key is refused at once with the seconds left, which an adapter
passes on (HTTP 429 with Retry-After).

A success clears the counts of the keys it went through; a key quiet for a day starts again.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.storage.models import InviteRole, LoginThrottle

FREE_TRIES = 5
BASE_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(hours=1)
FORGET_AFTER = dt.timedelta(days=1)


def delay_after(failures: int) -> dt.timedelta:
    """How long the key is held after its `failures`-th wrong code in a row."""
    if failures < FREE_TRIES:
        return dt.timedelta(0)
    # min() before the power would overflow nothing, but 2**n of a huge n costs time.
    steps = min(failures - FREE_TRIES, 16)
    return min(BASE_DELAY * 2**steps, MAX_DELAY)


def person_key(role: InviteRole, person_id: int) -> str:
    return f"{role.value}:{person_id}"


def address_key(address: str) -> str:
    """An IPv6 client is counted by its /64: one subscriber usually holds a whole one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f"address:{address[:100]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"address:{ip}"


async def seconds_held(keys: list[str], now: dt.datetime) -> int:
    """0 when every key may try now, else the whole seconds until the last of them may."""
    held = [
        row.locked_until
        for row in await LoginThrottle.filter(key__in=keys, locked_until__gt=now)
        if row.locked_until is not None
    ]
    if not held:
        return 0
    return max(1, math.ceil((max(held) - now).total_seconds()))


async def count_failure(keys: list[str], now: dt.datetime, conn: BaseDBAsyncClient) -> int:
    """Count one more wrong code on each key; returns the most failures any key now has."""
    worst = 0
    for key in keys:
        # Insert-or-ignore: two first failures of a key may race.
        await LoginThrottle.bulk_create(
            [LoginThrottle(key=key, failures=0, last_failure_at=now)],
            ignore_conflicts=True,
            using_db=conn,
        )
        row = await LoginThrottle.get(key=key, using_db=conn)
        failures = 1 if now - row.last_failure_at > FORGET_AFTER else row.failures + 1
        delay = delay_after(failures)
        await (
            LoginThrottle.filter(id=row.id)
            .using_db(conn)
            .update(
                failures=failures,
                last_failure_at=now,
                locked_until=now + delay if delay else None,
            )
        )
        worst = max(worst, failures)
    return worst


async def clear(keys: list[str], conn: BaseDBAsyncClient) -> None:
    await LoginThrottle.filter(key__in=keys).using_db(conn).delete()
