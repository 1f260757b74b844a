"""Two requests that read the same task (or member) before either wrote: the second is refused
and nothing of its action is kept. A view loaded before the first request stands in for the
concurrent reader."""

from __future__ import annotations

import pytest

from domain.audit import log as audit
from domain.errors import StaleState
from domain.storage.models import AuditEntry, Draw, OutboxMessage, Report, Task, TeamMember
from domain.tasks import reporting, team, visit
from domain.tasks.views import load_task
from tests.kit.drawn import REPORT

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def _submitted(drawn, task):
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    await team.accept(member, task.id)
    await visit.check_in(leader, task.id)
    await reporting.save_report(leader, task.id, REPORT)
    for who in (leader, member):
        await reporting.sign_report(who, task.id)
    await reporting.submit_report(member, task.id)


async def test_approval_racing_a_return_is_refused_and_leaves_nothing(drawn):
    task, boss = drawn.tasks[0], drawn.coordinator
    await _submitted(drawn, task)
    first = await load_task(boss, task.id)
    second = await load_task(boss, task.id)

    assert await reporting.review(boss, task.id, "approve", "同意", view=first) == "approved"
    with pytest.raises(StaleState, match="已被他人更改（现为已审核通过）"):
        await reporting.review(boss, task.id, "return", "补充依据", view=second)

    assert (await Task.get(id=task.id)).state == "approved"
    assert (await Report.get(task_id=task.id)).review_comments == "同意"
    assert await OutboxMessage.filter(kind="report.returned").count() == 0
    assert await AuditEntry.filter(action="task.return").count() == 0
    assert await AuditEntry.filter(action="task.approve").count() == 1
    assert (await audit.verify_chain()).ok


async def test_a_second_approval_from_a_stale_view_is_refused(drawn):
    task, boss = drawn.tasks[0], drawn.coordinator
    await _submitted(drawn, task)
    views = [await load_task(boss, task.id) for _ in range(2)]
    await reporting.review(boss, task.id, "approve", "同意", view=views[0])
    with pytest.raises(StaleState):
        await reporting.review(boss, task.id, "approve", "再次同意", view=views[1])
    assert await AuditEntry.filter(action="task.approve").count() == 1
    assert (await Report.get(task_id=task.id)).review_comments == "同意"
    assert await OutboxMessage.filter(kind="report.approved").count() == 2  # the team, once


async def test_a_member_accepting_twice_at_once_is_recorded_once(drawn):
    task = drawn.tasks[0]
    leader, _ = await drawn.team(task)
    await team.mark_notified(task.id)
    views = [await load_task(leader, task.id) for _ in range(2)]
    await team.accept(leader, task.id, view=views[0])
    with pytest.raises(StaleState):
        await team.accept(leader, task.id, view=views[1])
    assert await AuditEntry.filter(action="task.accept").count() == 1


async def test_a_recusal_racing_an_acceptance_draws_nobody(drawn):
    task = drawn.tasks[0]
    leader, _ = await drawn.team(task)
    await team.mark_notified(task.id)
    stale = await load_task(leader, task.id)
    await team.accept(leader, task.id)
    record = (await Draw.get(id=task.draw_id)).record
    members, messages = await TeamMember.all().count(), await OutboxMessage.all().count()

    with pytest.raises(StaleState):
        await team.declare_conflict(leader, task.id, "亲属在该单位任职", view=stale)

    assert await TeamMember.all().count() == members
    assert await OutboxMessage.all().count() == messages
    assert (await Draw.get(id=task.draw_id)).record == record
    assert await AuditEntry.filter(action="task.declare_conflict").count() == 0
    assert (await TeamMember.get(task_id=task.id, inspector_id=leader.id)).status == "accepted"


async def test_an_acceptance_racing_a_recusal_is_refused(drawn):
    task = drawn.tasks[0]
    leader, _ = await drawn.team(task)
    await team.mark_notified(task.id)
    stale = await load_task(leader, task.id)
    await team.declare_conflict(leader, task.id, "亲属在该单位任职")
    with pytest.raises(StaleState):
        await team.accept(leader, task.id, view=stale)
    assert (await TeamMember.get(task_id=task.id, inspector_id=leader.id)).status == "recused"
    assert await AuditEntry.filter(action="task.accept").count() == 0
