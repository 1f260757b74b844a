"""Stored reminders: fire once, in the same transaction as their message, across restarts."""

from __future__ import annotations

import asyncio
import datetime as dt

from domain.messaging import outbox
from domain.storage.models import OutboxMessage, OutboxStatus, Reminder, ReminderStatus
from tests.kit.databases import opened

DUE = dt.datetime(2025, 10, 9, 1, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)


async def schedule(task_id: int, kind: str = "reminder.due3", due: dt.datetime = DUE) -> Reminder:
    return await outbox.schedule_reminder(
        "task",
        task_id,
        kind,
        due,
        "inspector",
        100 + task_id,
        dedupe_key=f"task:{task_id}:{kind}:{due.date()}",
        payload={"days_left": 3},
    )


async def test_scheduling_is_idempotent(db):
    first = await schedule(1)
    again = await outbox.schedule_reminder(
        "task", 1, "reminder.due3", DUE + S, "inspector", 101, dedupe_key=first.dedupe_key
    )
    assert again.id == first.id and again.due_at == DUE
    assert await Reminder.all().count() == 1


async def test_a_due_reminder_becomes_one_message(db):
    await schedule(1)
    assert await outbox.claim_due_reminders(DUE - S) == []
    (message,) = await outbox.claim_due_reminders(DUE)
    assert (message.kind, message.recipient_kind, message.recipient_id) == (
        "reminder.due3",
        "inspector",
        101,
    )
    assert message.payload == {
        "days_left": 3,
        "reminder": {"subject_kind": "task", "subject_id": 1, "due_at": DUE.isoformat()},
    }
    assert await outbox.claim_due_reminders(DUE + 3600 * S) == []
    reminder = await Reminder.get()
    assert reminder.status is ReminderStatus.FIRED and reminder.fired_at == DUE
    assert reminder.outbox_message_id == message.id
    assert await OutboxMessage.all().count() == 1


async def test_cancelled_reminders_do_not_fire(db):
    await schedule(1, "reminder.accept24h")
    await schedule(1, "reminder.due3")
    await schedule(2, "reminder.due3")
    assert await outbox.cancel_reminders("task", 1, ["reminder.accept24h"]) == 1
    assert await outbox.cancel_reminders("task", 2) == 1
    fired = await outbox.claim_due_reminders(DUE)
    assert [(m.kind, m.recipient_id) for m in fired] == [("reminder.due3", 101)]
    assert await outbox.fire_reminder((await Reminder.get(subject_id=2)).id, DUE) == []


async def test_concurrent_sweepers_fire_each_reminder_once(shared_url):
    async with opened(shared_url):
        for task_id in range(40):
            await schedule(task_id, due=DUE + task_id * S)

    async def sweeper() -> list[int]:
        async with opened(shared_url):
            return [m.id for m in await outbox.claim_due_reminders(DUE + 3600 * S)]

    results = await asyncio.gather(sweeper(), sweeper(), sweeper())
    fired = [i for r in results for i in r]
    async with opened(shared_url):
        assert await OutboxMessage.all().count() == 40
        assert await Reminder.filter(status=ReminderStatus.FIRED).count() == 40
    assert len(fired) == len(set(fired)) == 40


async def test_a_reminder_survives_restarts_and_is_sent_once(shared_url):
    # Process 1 schedules the reminder, then stops before it is due.
    async with opened(shared_url):
        await schedule(7)
    # Process 2 starts after the due time, turns the reminder into a message, claims it and
    # dies before recording the send.
    async with opened(shared_url):
        (recorded,) = await outbox.claim_due_reminders(DUE + 600 * S)
        (claimed,) = await outbox.claim_due(10, DUE + 600 * S)
        assert claimed.id == recorded.id
    # Process 3: nothing fires again; the stale claim is recovered and the message sent once.
    async with opened(shared_url):
        later = DUE + 1800 * S
        assert await outbox.claim_due_reminders(later) == []
        assert await outbox.claim_due(10, later) == []  # still claimed by the dead process
        assert await outbox.recover_stale(600 * S, now=later) == 1
        (again,) = await outbox.claim_due(10, later)
        assert again.id == recorded.id and again.attempts == 2
        assert await outbox.mark_sent(again, 99, now=later)
        assert await outbox.claim_due_reminders(later + 86400 * S) == []
        assert await outbox.claim_due(10, later + 86400 * S) == []
        rows = await OutboxMessage.all()
        assert [(r.status, r.external_id) for r in rows] == [(OutboxStatus.SENT, "99")]
