"""Per-Telegram-account state the bot needs: the chosen language, the inspector's current task,
and whether the account blocked the bot — with the coordinators told, since that person no
longer gets assignments."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain import clock
from domain.audit import log as audit
from domain.messaging import outbox
from domain.people.persons import bound_person
from domain.storage.models import (
    Coordinator,
    Inspector,
    OutboxMessage,
    ProcessedUpdate,
    RecipientKind,
    TelegramAccount,
)

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
BLOCKED = "recipient has blocked the bot"
BLOCKED_NOTICE = "bot.recipient_blocked"


@dataclass(frozen=True)
class Recipient:
    chat_id: int | None  # None: nobody bound to Telegram
    language: str = DEFAULT_LANGUAGE
    blocked: bool = False


def _conn(connection: BaseDBAsyncClient | None) -> BaseDBAsyncClient:
    return connection or TelegramAccount._meta.db


async def _ensure(telegram_user_id: int, conn: BaseDBAsyncClient) -> None:
    await TelegramAccount.bulk_create(
        [TelegramAccount(telegram_user_id=telegram_user_id)], ignore_conflicts=True, using_db=conn
    )


async def accounts(telegram_user_ids: list[int]) -> dict[int, TelegramAccount]:
    rows = await TelegramAccount.filter(telegram_user_id__in=telegram_user_ids)
    return {row.telegram_user_id: row for row in rows}


@dataclass(frozen=True)
class Account:
    language: str = DEFAULT_LANGUAGE
    blocked: bool = False  # the account blocked the bot (and has not written since)


async def account_of(telegram_user_id: int) -> Account:
    """The account's language and whether it blocked the bot; the defaults for one never seen."""
    row = await TelegramAccount.get_or_none(telegram_user_id=telegram_user_id)
    return Account(row.language, row.blocked_at is not None) if row else Account()


async def language_of(telegram_user_id: int) -> str:
    return (await account_of(telegram_user_id)).language


async def set_language(telegram_user_id: int, language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    await _set(telegram_user_id, language=language)
    return language


async def current_task_of(telegram_user_id: int) -> int | None:
    """The task last chosen as current, as stored: the caller checks it is still usable."""
    # values_list(flat=True) gives the values themselves; tortoise types them as tuples.
    rows: list[int | None] = await TelegramAccount.filter(  # type: ignore[assignment]
        telegram_user_id=telegram_user_id
    ).values_list("current_task_id", flat=True)
    return rows[0] if rows else None


async def set_current_task(telegram_user_id: int, task_id: int | None) -> None:
    await _set(telegram_user_id, current_task_id=task_id)


async def _set(telegram_user_id: int, **values) -> None:
    """The account's row (made if it is new) with `values` written."""
    conn = _conn(None)
    await _ensure(telegram_user_id, conn)
    await TelegramAccount.filter(telegram_user_id=telegram_user_id).using_db(conn).update(**values)


async def note_active(telegram_user_id: int) -> None:
    """The account wrote to the bot, so it does not block it (any more)."""
    await TelegramAccount.filter(
        telegram_user_id=telegram_user_id, blocked_at__not_isnull=True
    ).update(blocked_at=None)


async def blocked_bot(telegram_user_id: int) -> int:
    """The account blocked the bot (Telegram said so in a my_chat_member update)."""
    person = await bound_person(telegram_user_id)
    if person is None:
        await _ensure(telegram_user_id, _conn(None))
        await TelegramAccount.filter(telegram_user_id=telegram_user_id, blocked_at=None).update(
            blocked_at=clock.now()
        )
        return 0
    kind = RecipientKind.COORDINATOR if isinstance(person, Coordinator) else RecipientKind.INSPECTOR
    return await mark_blocked(kind, person.id, telegram_user_id)


async def mark_blocked(
    recipient_kind: RecipientKind | str,
    recipient_id: int,
    telegram_user_id: int,
    now: dt.datetime | None = None,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> int:
    """Record that the account blocked the bot; the first time (per blocking), tell the
    coordinators of the person's department (the nearest level that has any bound to the
    chat). Returns how many notices were queued."""
    conn = _conn(connection)
    now = now or clock.now()
    await _ensure(telegram_user_id, conn)
    newly = (
        await TelegramAccount.filter(telegram_user_id=telegram_user_id, blocked_at=None)
        .using_db(conn)
        .update(blocked_at=now)
    )
    kind = RecipientKind(recipient_kind)
    if not newly or kind == RecipientKind.CHAT:
        return 0
    model = Coordinator if kind == RecipientKind.COORDINATOR else Inspector
    found = await model.filter(id=recipient_id).using_db(conn).prefetch_related("department")
    if not found:
        return 0
    person = found[0]
    coordinators = await _nearest_coordinators(
        person.department.path, exclude=person.id if kind == RecipientKind.COORDINATOR else None
    )
    payload = {
        "role": kind.value,
        "person_id": person.id,
        "name": person.name,
        "cert_no": getattr(person, "cert_no", ""),
    }
    for coordinator in coordinators:
        await outbox.enqueue(
            RecipientKind.COORDINATOR,
            coordinator.id,
            BLOCKED_NOTICE,
            payload,
            dedupe_key=f"blocked:{kind.value}:{person.id}:{now.isoformat()}:{coordinator.id}",
            connection=conn,
        )
    if not coordinators:
        log.warning("%s %s blocked the bot and no coordinator is bound to be told", kind, person.id)
    await audit.record(
        "system",
        "telegram.blocked",
        kind.value,
        person.id,
        data={"telegram_user_id": telegram_user_id, "told": [c.id for c in coordinators]},
        connection=conn,
    )
    return len(coordinators)


async def delivery_blocked(message: OutboxMessage, chat_id: int, error: str) -> bool:
    """Telegram refused `message` because its recipient blocked the bot: the message dead and
    the account blocked (coordinators told), in one transaction. The account is marked even
    when the claim on the message was lost (then False): the refusal is news about it."""
    async with _conn(None)._in_transaction() as conn:
        dead = await outbox.mark_dead(message, f"{BLOCKED}: {error}", connection=conn)
        if message.recipient_kind != RecipientKind.CHAT:
            await mark_blocked(
                message.recipient_kind, message.recipient_id, chat_id, connection=conn
            )
    return dead


def ancestor_paths(path: str) -> list[str]:
    """'/3299/329901/' → ['/3299/329901/', '/3299/'], nearest first."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


async def _nearest_coordinators(path: str, exclude: int | None) -> list[Coordinator]:
    paths = ancestor_paths(path)
    found = await Coordinator.filter(
        active=True, telegram_user_id__not_isnull=True, department__path__in=paths
    ).prefetch_related("department")
    found = [c for c in found if c.id != exclude]
    for candidate in paths:
        level = [c for c in found if c.department.path == candidate]
        if level:
            return sorted(level, key=lambda c: c.id)
    return []


async def recipients(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Recipient]:
    """Where each outbox recipient (kind, id) is reached, in few queries for a whole batch."""
    wanted: dict[RecipientKind, set[int]] = {}
    for kind, rid in pairs:
        wanted.setdefault(RecipientKind(kind), set()).add(rid)
    chats: dict[tuple[str, int], int | None] = {}
    for kind, ids in wanted.items():
        if kind == RecipientKind.CHAT:
            chats.update({(kind.value, i): i for i in ids})
            continue
        model = Coordinator if kind == RecipientKind.COORDINATOR else Inspector
        rows = await model.filter(id__in=ids, active=True).values_list("id", "telegram_user_id")
        found = dict(rows)
        chats.update({(kind.value, i): found.get(i) for i in ids})
    known = await accounts([c for c in chats.values() if c is not None])
    out = {}
    for key, chat_id in chats.items():
        account = known.get(chat_id) if chat_id is not None else None
        out[key] = Recipient(
            chat_id,
            account.language if account else DEFAULT_LANGUAGE,
            bool(account and account.blocked_at),
        )
    return out


async def remember_update(update_id: int) -> bool:
    """True the first time an update id is seen; False for a redelivery."""
    try:
        await ProcessedUpdate.create(update_id=update_id)
    except IntegrityError:
        return False
    return True


async def forget_updates(older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Telegram redelivers for about a day; what is older than that can go."""
    return await ProcessedUpdate.filter(created_at__lt=clock.now() - older_than).delete()
