"""What a delivered assignment changes, recorded with the delivery (outbox.mark_sent) or by the
repair at the sender's start: the task notified once, each member's notice queued once, a
newcomer's team told; all of it or nothing."""

from __future__ import annotations

import asyncio

import pytest

from domain.audit import log as audit
from domain.messaging import delivery, outbox
from domain.messaging.kinds import NOTICE, assignment_key, notice_key
from domain.storage.models import AuditEntry, OutboxMessage, OutboxStatus, Task
from domain.tasks import team

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def claim_all() -> dict[str, OutboxMessage]:
    """Every due message, claimed as the sender claims them, by dedupe key."""
    return {m.dedupe_key: m for m in await outbox.claim_due(10_000)}


async def state(task: Task) -> str:
    return (await Task.get(id=task.id)).state


async def notices(task: Task) -> dict[str, dict]:
    rows = await OutboxMessage.filter(kind=NOTICE, dedupe_key__startswith=f"{NOTICE}:{task.id}:")
    return {m.dedupe_key: m.payload for m in rows}


async def notified_entries() -> int:
    return await AuditEntry.filter(action="task.notify").count()


async def test_the_first_delivery_notifies_the_task_and_each_queues_its_notice(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    rows = await claim_all()

    assert await outbox.mark_sent(rows[assignment_key(task.id, leader.id)], 101)
    assert await state(task) == "notified"
    assert await notices(task) == {
        notice_key(task.id, leader.id): {"task_id": task.id, "team_changed": False}
    }
    assert await notified_entries() == 1

    assert await outbox.mark_sent(rows[assignment_key(task.id, member.id)], 102)
    assert await state(task) == "notified"
    assert set(await notices(task)) == {notice_key(task.id, a.id) for a in (leader, member)}
    assert await notified_entries() == 1  # the second delivery changed nothing more
    assert (await audit.verify_chain()).ok


async def test_a_whole_draw_delivered_at_once_notifies_each_task_once(drawn):
    rows = await claim_all()
    assignments = [m for m in rows.values() if m.kind == "assignment"]
    assert len(assignments) >= 2 * len(drawn.tasks)

    results = await asyncio.gather(
        *(outbox.mark_sent(m, i) for i, m in enumerate(assignments, start=1))
    )

    assert all(results)
    for task in drawn.tasks:
        assert await state(task) == "notified"
    assert await notified_entries() == len(drawn.tasks)
    assert await OutboxMessage.filter(kind=NOTICE).count() == len(assignments)
    assert (await audit.verify_chain()).ok


async def test_a_failure_among_the_consequences_leaves_the_delivery_unrecorded(drawn, monkeypatch):
    task = drawn.tasks[0]
    leader, _ = await drawn.team(task)
    row = (await claim_all())[assignment_key(task.id, leader.id)]

    async def then_fails(message: OutboxMessage, conn) -> None:
        await delivery.assignment_delivered(message, conn)
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setitem(delivery.CONSEQUENCES, "assignment", then_fails)
        with pytest.raises(RuntimeError, match="disk is full"):
            await outbox.mark_sent(row, 101)

    stored = await OutboxMessage.get(id=row.id)
    assert stored.status == OutboxStatus.SENDING and stored.sent_at is None
    assert await state(task) == "drawn"
    assert await notices(task) == {}
    assert await notified_entries() == 0
    # The claim still holds: the sender records it later, consequences and all.
    assert await outbox.mark_sent(row, 101)
    assert await state(task) == "notified" and len(await notices(task)) == 1
    assert (await audit.verify_chain()).ok


async def test_a_newcomer_delivered_tells_the_others_and_the_replaced_get_nothing(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    newcomer = await team.declare_conflict(member, task.id, "近亲属在该单位任职")
    rows = await claim_all()

    # The replaced member's assignment, delivered late: they are no longer on the team.
    assert await outbox.mark_sent(rows[assignment_key(task.id, member.id)], 1)
    assert await notices(task) == {}

    arrived = rows[assignment_key(task.id, newcomer.inspector_id)]
    assert arrived.payload["replacement"] is True
    assert await outbox.mark_sent(arrived, 2)
    assert await notices(task) == {
        notice_key(task.id, newcomer.inspector_id): {"task_id": task.id, "team_changed": False},
        notice_key(task.id, leader.id, newcomer.inspector_id): {
            "task_id": task.id,
            "team_changed": True,
        },
    }
    assert await state(task) == "notified"


async def raw_sent(*messages: OutboxMessage) -> None:
    """Marked sent as an older version did, its consequences left for later (and lost)."""
    await OutboxMessage.filter(id__in=[m.id for m in messages]).update(
        status=OutboxStatus.SENT, claim_token=None
    )


async def test_repair_mends_deliveries_recorded_without_their_consequences(drawn):
    still_drawn, half_told, untouched, changed = drawn.tasks[:4]
    a, b = await drawn.team(still_drawn)
    c, d = await drawn.team(half_told)
    _, leaving = await drawn.team(changed)
    newcomer = (await team.declare_conflict(leaving, changed.id, "曾在该单位任职")).inspector_id
    rows = await claim_all()
    await raw_sent(*(rows[assignment_key(still_drawn.id, p.id)] for p in (a, b)))
    # Notified, one notice queued, the other member's never.
    assert await outbox.mark_sent(rows[assignment_key(half_told.id, c.id)], 1)
    await raw_sent(rows[assignment_key(half_told.id, d.id)])
    # A newcomer's own notice queued, the rest of their team never told; the member they
    # replaced is owed nothing.
    arrived = rows[assignment_key(changed.id, newcomer)]
    await raw_sent(arrived, rows[assignment_key(changed.id, leaving.id)])
    await delivery.queue_notice(changed.id, newcomer, OutboxMessage._meta.db)

    assert await delivery.repair() == 4

    assert await state(still_drawn) == await state(half_told) == "notified"
    assert set(await notices(still_drawn)) == {notice_key(still_drawn.id, p.id) for p in (a, b)}
    assert set(await notices(half_told)) == {notice_key(half_told.id, p.id) for p in (c, d)}
    remaining = [p.id for p in await drawn.team(changed) if p.id != newcomer]
    assert set(await notices(changed)) == {notice_key(changed.id, newcomer)} | {
        notice_key(changed.id, p, newcomer) for p in remaining
    }
    assert await state(untouched) == "drawn" and await notices(untouched) == {}
    assert await delivery.repair() == 0
    assert await notified_entries() == 2 + 1  # changed was notified by the recusal
    assert (await audit.verify_chain()).ok
