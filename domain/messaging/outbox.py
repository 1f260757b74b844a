"""The outbox and stored reminders: what to send, recorded with the change that caused it.

The domain calls `enqueue` (and `schedule_reminder`) inside the transaction of the change, so a
notification exists exactly when its change does. A sender (the bot) then loops:
`claim_due` → deliver → `mark_sent` / `mark_retry` / `mark_dead`, and now and then
`recover_stale` (rows a dead process left in 'sending') and `claim_due_reminders`. What a
delivery changes besides the row is recorded by `mark_sent`, in its transaction.

Every claim is a conditional UPDATE (`... WHERE status = 'pending'`): under concurrency each row
is taken by one claimer only, on SQLite (writes serialise) as on PostgreSQL (a second UPDATE of
the row waits, then re-checks the condition and skips it). Delivery is at least once: a process
that dies after sending but before `mark_sent` leaves a row that is sent again after recovery.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from domain import clock
from domain.storage.models import (
    OutboxMessage,
    OutboxStatus,
    RecipientKind,
    Reminder,
    ReminderStatus,
)


@dataclass(frozen=True)
class RetryPolicy:
    base: dt.timedelta = dt.timedelta(seconds=5)
    cap: dt.timedelta = dt.timedelta(hours=1)
    max_attempts: int = 12  # about five hours of trying at the defaults


DEFAULT_POLICY = RetryPolicy()


def backoff_delay(
    attempts: int, policy: RetryPolicy = DEFAULT_POLICY, retry_after: dt.timedelta | None = None
) -> dt.timedelta:
    """Wait before the next attempt, after `attempts` (≥ 1) attempts: base · 2^(attempts−1),
    capped; a server's own `retry_after` (HTTP 429) wins, even above the cap."""
    if retry_after is not None:
        return max(retry_after, dt.timedelta(0))
    # In seconds, with a bounded exponent: base · 2^n overflows timedelta long before it
    # could matter against any cap.
    factor = 2 ** min(max(attempts, 1) - 1, 40)
    seconds = min(policy.base.total_seconds() * factor, policy.cap.total_seconds())
    return dt.timedelta(seconds=seconds)


def _conn(connection: BaseDBAsyncClient | None) -> BaseDBAsyncClient:
    return connection or OutboxMessage._meta.db


async def enqueue(
    recipient_kind: RecipientKind | str,
    recipient_id: int,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str,
    *,
    not_before: dt.datetime | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> OutboxMessage:
    """Record a notification; with a `dedupe_key` already recorded, return that message
    unchanged (the first recording wins)."""
    conn = _conn(connection)
    # Insert-or-ignore rather than catching the unique violation: on PostgreSQL an error would
    # abort the caller's whole transaction.
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                recipient_kind=RecipientKind(recipient_kind),
                recipient_id=recipient_id,
                kind=kind,
                payload=payload,
                dedupe_key=dedupe_key,
                next_attempt_at=not_before or clock.now(),
            )
        ],
        ignore_conflicts=True,
        using_db=conn,
    )
    return await OutboxMessage.get(dedupe_key=dedupe_key, using_db=conn)


async def claim_due(
    limit: int = 50,
    now: dt.datetime | None = None,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> list[OutboxMessage]:
    """Take up to `limit` due pending messages for this caller alone, oldest first; each claim
    counts as an attempt (so a message that kills its sender does not loop forever)."""
    conn = _conn(connection)
    now = now or clock.now()
    due = OutboxMessage.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    ids = await (
        due.using_db(conn)
        .order_by("next_attempt_at", "id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    if not ids:
        return []
    token = uuid.uuid4().hex
    await (
        OutboxMessage.filter(id__in=ids, status=OutboxStatus.PENDING)
        .using_db(conn)
        .update(
            status=OutboxStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    )
    return (
        await OutboxMessage.filter(claim_token=token, status=OutboxStatus.SENDING)
        .using_db(conn)
        .order_by("next_attempt_at", "id")
    )


def _held(message: OutboxMessage, conn: BaseDBAsyncClient):
    """The message's row, only while the caller's claim on it still stands."""
    return OutboxMessage.filter(
        id=message.id, status=OutboxStatus.SENDING, claim_token=message.claim_token
    ).using_db(conn)


async def mark_sent(
    message: OutboxMessage,
    external_id: str | int | None = None,
    now: dt.datetime | None = None,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> bool:
    """Record the delivery with what it changes in the domain (`domain.messaging.delivery`: an
    assignment's task becomes notified, its notice is queued ...), in one transaction. False
    when the claim was lost (recovered as stale and claimed again meanwhile): nothing changes."""
    from domain.messaging.delivery import apply

    async with _conn(connection)._in_transaction() as conn:
        updated = await _held(message, conn).update(
            status=OutboxStatus.SENT,
            sent_at=now or clock.now(),
            external_id=None if external_id is None else str(external_id),
            claim_token=None,
            last_error=None,
        )
        if updated != 1:
            return False
        await apply(message, conn)
    return True


async def mark_retry(
    message: OutboxMessage,
    error: str,
    retry_after: dt.timedelta | None = None,
    now: dt.datetime | None = None,
    policy: RetryPolicy = DEFAULT_POLICY,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> OutboxStatus | None:
    """After a transient failure: back to pending with backoff, or FAILED once
    `policy.max_attempts` attempts are used. A rate-limit answer (`retry_after`) is not the
    message's fault and gives its attempt back. None when the claim was lost."""
    now = now or clock.now()
    attempts = message.attempts - 1 if retry_after is not None else message.attempts
    if attempts >= policy.max_attempts:
        status, next_at = OutboxStatus.FAILED, now
    else:
        status = OutboxStatus.PENDING
        next_at = now + backoff_delay(attempts, policy, retry_after)
    updated = await _held(message, _conn(connection)).update(
        status=status,
        attempts=attempts,
        next_attempt_at=next_at,
        last_error=error[:2000],
        claim_token=None,
    )
    return status if updated == 1 else None


async def mark_dead(
    message: OutboxMessage, reason: str, *, connection: BaseDBAsyncClient | None = None
) -> bool:
    """Never to be delivered (the user blocked the bot, the chat is gone)."""
    updated = await _held(message, _conn(connection)).update(
        status=OutboxStatus.DEAD, last_error=reason[:2000], claim_token=None
    )
    return updated == 1


async def recover_stale(
    older_than: dt.timedelta,
    now: dt.datetime | None = None,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> int:
    """Put back to pending the messages claimed more than `older_than` ago and never marked
    (their sender died); returns how many."""
    now = now or clock.now()
    return (
        await OutboxMessage.filter(status=OutboxStatus.SENDING, claimed_at__lt=now - older_than)
        .using_db(_conn(connection))
        .update(status=OutboxStatus.PENDING, claim_token=None, next_attempt_at=now)
    )


async def schedule_reminder(
    subject_kind: str,
    subject_id: int,
    kind: str,
    due_at: dt.datetime,
    recipient_kind: RecipientKind | str,
    recipient_id: int,
    dedupe_key: str,
    payload: dict[str, Any] | None = None,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> Reminder:
    """Store a reminder; a `dedupe_key` already stored returns that reminder unchanged. When a
    deadline moves, cancel the old reminders and schedule new ones under new keys (e.g. keys
    that include the due date)."""
    conn = _conn(connection)
    await Reminder.bulk_create(
        [
            Reminder(
                subject_kind=subject_kind,
                subject_id=subject_id,
                kind=kind,
                due_at=due_at,
                recipient_kind=RecipientKind(recipient_kind),
                recipient_id=recipient_id,
                payload=payload or {},
                dedupe_key=dedupe_key,
            )
        ],
        ignore_conflicts=True,
        using_db=conn,
    )
    return await Reminder.get(dedupe_key=dedupe_key, using_db=conn)


async def cancel_reminders(
    subject_kind: str,
    subject_id: int,
    kinds: list[str] | None = None,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> int:
    """Cancel a subject's pending reminders (all, or those of `kinds`); returns how many."""
    query = Reminder.filter(
        subject_kind=subject_kind, subject_id=subject_id, status=ReminderStatus.PENDING
    )
    if kinds is not None:
        query = query.filter(kind__in=kinds)
    return await query.using_db(_conn(connection)).update(status=ReminderStatus.CANCELLED)


async def fire_reminder(reminder_id: int, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Claim one pending reminder and record its messages, in one transaction: either both
    happen or neither does. Empty when another sweeper fired (or someone cancelled) it first,
    or when a team or department reminder no longer reaches anybody."""
    from domain.calendar.deadlines import after_fired, expand_recipients

    now = now or clock.now()
    async with Reminder._meta.db._in_transaction() as conn:
        claimed = (
            await Reminder.filter(id=reminder_id, status=ReminderStatus.PENDING)
            .using_db(conn)
            .update(status=ReminderStatus.FIRED, fired_at=now)
        )
        if not claimed:
            return []
        reminder = await Reminder.get(id=reminder_id, using_db=conn)
        recipients = [(reminder.recipient_kind, reminder.recipient_id)]
        if reminder.recipient_kind in (RecipientKind.TEAM, RecipientKind.DEPARTMENT):
            recipients = await expand_recipients(
                reminder.kind,
                reminder.recipient_kind,
                reminder.subject_kind,
                reminder.subject_id,
                conn,
            )
        payload = {
            **reminder.payload,
            "reminder": {
                "subject_kind": reminder.subject_kind,
                "subject_id": reminder.subject_id,
                "due_at": reminder.due_at.isoformat(),
            },
        }
        messages = []
        for kind, person in recipients:
            suffix = (
                ""
                if len(recipients) == 1 and kind == reminder.recipient_kind
                else f":{kind}:{person}"
            )
            messages.append(
                await enqueue(
                    kind,
                    person,
                    reminder.kind,
                    payload,
                    dedupe_key=f"reminder:{reminder.dedupe_key}{suffix}",
                    not_before=now,
                    connection=conn,
                )
            )
        if messages:
            await (
                Reminder.filter(id=reminder_id)
                .using_db(conn)
                .update(outbox_message_id=messages[0].id)
            )
        await after_fired(reminder, bool(messages), conn)
    return messages


async def claim_due_reminders(
    now: dt.datetime | None = None, limit: int = 100
) -> list[OutboxMessage]:
    """Fire every reminder due by `now` (up to `limit`); returns the messages this call
    recorded. Safe to run from several sweepers and after any restart: each fires once."""
    now = now or clock.now()
    # values_list(flat=True) gives the values themselves; tortoise types them as tuples.
    due: list[int] = await (  # type: ignore[assignment]
        Reminder.filter(status=ReminderStatus.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    fired = []
    for reminder_id in due:
        fired.extend(await fire_reminder(reminder_id, now))
    return fired
