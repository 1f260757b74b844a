"""Signing in: a one-time code exchanged for an API token.

A person gets a code in their bound chat (they ask for it themselves), or from a coordinator of
their department (or above) when they have no chat. A code is six digits, works once, for ten
minutes; a newer code for the same person retires the older one. Only a salted SHA-256 of it
is stored. Live codes are distinct, so a code alone says whose it is; naming the person as well
lets the person's own count of wrong codes hold back whoever guesses at them.

Wrong codes are held back per person and per client address (domain/people/login_throttle.py),
and each refusal is an audit entry (actor `address:<client>`); a success is the token's
`api_token.issue` entry, made by the person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import NoReturn

from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.people import login_throttle as throttle
from domain.people.api_tokens import IssuedToken, mint
from domain.people.persons import (
    Person,
    PersonError,
    actor_for,
    find_person,
    load_person,
    parse_role,
)
from domain.rules.access import Actor, Role, require_any_coordinator, require_coordinator
from domain.storage.models import InviteRole, LoginCode

CODE_TTL = dt.timedelta(minutes=10)
DIGITS = 6
# Codes that ended this long ago are still told apart from wrong ones ("expired", "used").
RECENT = dt.timedelta(days=1)
REFUSED = {
    "wrong": "登录码错误 (wrong code)",
    "malformed": f"登录码应为 {DIGITS} 位数字 (the code is {DIGITS} digits)",
    "expired": "登录码已过期，请重新获取 (code expired)",
    "used": "登录码已使用过，每个登录码只能用一次 (code already used)",
    "inactive": "该人员已停用 (person inactive)",
    "ambiguous": "请同时提供人员（执法证号或协调员编号）(name the person too)",
}


class LoginRefused(PersonError):
    """A wrong, used or expired code; `reason` is a key of REFUSED."""


class LoginThrottled(PersonError):
    """Too many wrong codes: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(
            "throttled", f"错误次数过多，请 {retry_after} 秒后再试 (retry in {retry_after} s)"
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, to the person or the coordinator who asked
    role: InviteRole
    person_id: int
    person_name: str
    expires_at: dt.datetime


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _matches(row: LoginCode, code: str) -> bool:
    return hmac.compare_digest(row.code_hash, _hash(row.salt, code))


def _role_of(actor: Actor) -> InviteRole | None:
    if actor.role == Role.COORDINATOR:
        return InviteRole.COORDINATOR
    if actor.role == Role.INSPECTOR:
        return InviteRole.INSPECTOR
    return None


async def issue_code(actor: Actor, role: InviteRole | str, person_id: int) -> IssuedCode:
    """A code for the person: asked by the person themself, or by their coordinator."""
    role = parse_role(role)
    person = await load_person(role, person_id)
    if not (_role_of(actor) == role and actor.id == person.id):
        require_coordinator(actor, person.department.path)
    if not person.active:
        raise PersonError("inactive", f"{person.name} 已停用，不能登录 (person inactive)")
    now = clock.now()
    async with in_transaction() as conn:
        live = await LoginCode.filter(used_at=None, retired_at=None, expires_at__gt=now).using_db(
            conn
        )
        mine = [row.id for row in live if row.role == role and row.person_id == person.id]
        others = [row for row in live if row.id not in mine]
        code = _new_code(others)
        salt = secrets.token_hex(16)
        if mine:
            await LoginCode.filter(id__in=mine).using_db(conn).update(retired_at=now)
        row = await LoginCode.create(
            using_db=conn,
            role=role,
            person_id=person.id,
            salt=salt,
            code_hash=_hash(salt, code),
            created_by=actor.label,
            expires_at=now + CODE_TTL,
        )
        await audit.record(
            actor.label,
            "auth.login_code",
            role.value,
            person.id,
            data={"login_code_id": row.id, "expires_at": row.expires_at, "retired": mine},
            connection=conn,
        )
    return IssuedCode(code, role, person.id, person.name, row.expires_at)


def _new_code(live: list[LoginCode]) -> str:
    """A code no other live code has, so that the code alone names its person."""
    while True:
        code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
        if not any(_matches(row, code) for row in live):
            return code


async def code_for_self(actor: Actor) -> IssuedCode:
    """The code a bound person asks for in their chat."""
    role = _role_of(actor)
    if role is None or actor.id is None:
        raise PersonError("no_person", "只有检查人员和协调员可以登录 (persons only)")
    return await issue_code(actor, role, actor.id)


async def code_by_reference(actor: Actor, role: InviteRole | str, reference: str) -> IssuedCode:
    """A coordinator's code for a person named as coordinators name them; a non-coordinator is
    refused before the lookup."""
    require_any_coordinator(actor)
    person = await find_person(role, reference)
    return await issue_code(actor, role, person.id)


async def sign_in(
    code: str,
    address: str,
    ttl: dt.timedelta,
    role: InviteRole | str | None = None,
    reference: str | None = None,
    label: str = "",
) -> IssuedToken:
    """Exchange a live code for a token valid for `ttl`. Refusals raise LoginRefused (counted
    and written to the audit log) or LoginThrottled (nothing was tried)."""
    if not dt.timedelta(days=1) <= ttl <= dt.timedelta(days=3660):
        raise PersonError("bad_ttl", "令牌有效期应在 1 到 3660 天之间 (token validity)")
    now = clock.now()
    code = code.strip()
    keys = [throttle.address_key(address)]
    person: Person | None = None
    wanted: InviteRole | None = None
    if reference is not None:
        wanted = parse_role(role or InviteRole.INSPECTOR)
        try:
            person = await find_person(wanted, reference)
        except PersonError:
            person = None  # refused below as a wrong code: the answer tells nobody who exists
        else:
            keys.append(throttle.person_key(wanted, person.id))
    await _refuse_if_held(keys, now, address, reference)
    if reference is not None and person is None:
        await _refuse(keys, now, address, "wrong", reference)
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        await _refuse(keys, now, address, "malformed", reference)
    row = await _find(code, now, wanted, person)
    if row is None:
        await _refuse(keys, now, address, await _why_not(code, now, wanted, person), reference)
    if person is None:  # found by the code alone: that person's count applies too
        keys.append(throttle.person_key(row.role, row.person_id))
        await _refuse_if_held(keys, now, address, reference)
    return await _exchange(row, keys, now, ttl, label, address, reference)


async def _exchange(
    row: LoginCode,
    keys: list[str],
    now: dt.datetime,
    ttl: dt.timedelta,
    label: str,
    address: str,
    reference: str | None,
) -> IssuedToken:
    person = await load_person(row.role, row.person_id)
    if not person.active:
        await _refuse(keys, now, address, "inactive", reference)
    async with in_transaction() as conn:
        claimed = (
            await LoginCode.filter(id=row.id, used_at=None, retired_at=None)
            .using_db(conn)
            .update(used_at=now)
        )
        if claimed:
            await throttle.clear(keys, conn)
            return await mint(conn, actor_for(person), person, label or "login", now + ttl)
    # Another request used it between our read and our claim.
    await _refuse(keys, now, address, "used", reference)


async def _find(
    code: str, now: dt.datetime, role: InviteRole | None, person: Person | None
) -> LoginCode | None:
    query = LoginCode.filter(used_at=None, retired_at=None, expires_at__gt=now)
    if person is not None and role is not None:
        query = query.filter(role=role, person_id=person.id)
    found = [row for row in await query if _matches(row, code)]
    if len(found) > 1:  # two codes issued at the same instant happened to agree
        raise LoginRefused("ambiguous", REFUSED["ambiguous"])
    return found[0] if found else None


async def _why_not(
    code: str, now: dt.datetime, role: InviteRole | None, person: Person | None
) -> str:
    """Whether a code that does not work now is an old one of the person's (expired, used)."""
    query = LoginCode.filter(created_at__gt=now - RECENT)
    if person is not None and role is not None:
        query = query.filter(role=role, person_id=person.id)
    for row in await query.order_by("-id"):
        if _matches(row, code):
            return "used" if row.used_at is not None else "expired"
    return "wrong"


async def _refuse_if_held(
    keys: list[str], now: dt.datetime, address: str, reference: str | None
) -> None:
    wait = await throttle.seconds_held(keys, now)
    if wait:
        await audit.record(
            throttle.address_key(address),
            "auth.sign_in_refused",
            "login",
            (reference or "")[:100],
            data={"reason": "throttled", "retry_after": wait},
        )
        raise LoginThrottled(wait)


async def _refuse(
    keys: list[str], now: dt.datetime, address: str, reason: str, reference: str | None
) -> NoReturn:
    async with in_transaction() as conn:
        failures = await throttle.count_failure(keys, now, conn)
        await audit.record(
            throttle.address_key(address),
            "auth.sign_in_refused",
            "login",
            (reference or "")[:100],
            data={"reason": reason, "failures": failures},
            connection=conn,
        )
    raise LoginRefused(reason, REFUSED[reason])
