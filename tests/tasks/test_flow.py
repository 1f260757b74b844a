"""A task from the draw to publication, through the real services."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from domain.audit import log as audit
from domain.draw.record import sealed
from domain.draw.verify import VerifyFailed, verify_record
from domain.errors import PermissionDenied, UserError
from domain.evidence.service import EvidenceClosed, add_note
from domain.messaging import outbox
from domain.publication.notices import results_notice
from domain.rules import lifecycle
from domain.storage.models import (
    Campaign,
    Conflict,
    Draw,
    FollowUp,
    OutboxMessage,
    Penalty,
    Reminder,
    Task,
    TeamMember,
)
from domain.tasks import closing, reporting, team, visit
from tests.kit.drawn import REPORT

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign its fixtures plan


async def finish(drawn, task) -> None:
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    assert (await Task.get(id=task.id)).state == "notified"
    await team.accept(member, task.id)
    assert (await Task.get(id=task.id)).state == "accepted"
    await visit.check_in(leader, task.id, 33.75, 113.31)
    await add_note(leader, task.id, "condition", "现场整洁", idempotency_key=f"n{task.id}")
    await reporting.save_report(leader, task.id, REPORT)
    assert await reporting.sign_report(leader, task.id) == [member.name]
    await reporting.sign_report(member, task.id)
    await reporting.submit_report(member, task.id)
    await reporting.review(drawn.coordinator, task.id, "approve", "同意")


async def test_from_draw_to_publication(drawn):
    for task in drawn.tasks[:-1]:
        await finish(drawn, task)
    with pytest.raises(Exception, match="未完成"):
        await closing.publish_campaign(drawn.coordinator, "2026-RF-09")
    await visit.cancel(drawn.coordinator, drawn.tasks[-1].id, "对象已迁出本市")
    published = await closing.publish_campaign(drawn.coordinator, "2026-RF-09")
    assert published == len(drawn.tasks) - 1
    assert (await Campaign.get(code="2026-RF-09")).status == "published"
    states = set(await Task.all().values_list("state", flat=True))
    assert states == {"published", "cancelled"}
    first = drawn.tasks[0]
    penalty = await closing.record_penalty(
        drawn.coordinator, first.id, "示人防罚〔2026〕3号", dt.date(2026, 12, 22), "罚款一万元"
    )
    assert "示人防罚〔2026〕3号" not in json.dumps(
        await results_notice("2026-RF-09"), ensure_ascii=False
    )
    await closing.publish_penalty(drawn.coordinator, penalty.id)
    assert "示人防罚〔2026〕3号" in json.dumps(
        await results_notice("2026-RF-09"), ensure_ascii=False
    )
    result = await audit.verify_chain()
    assert result.ok, result.describe()


async def test_an_edit_after_signing_needs_fresh_signatures(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    await team.accept(member, task.id)
    await visit.check_in(leader, task.id)
    await reporting.save_report(leader, task.id, REPORT)
    await reporting.sign_report(leader, task.id)
    await reporting.sign_report(member, task.id)
    await reporting.save_report(member, task.id, {"findings": "消防通道堵塞"})
    with pytest.raises(lifecycle.TransitionRefused, match="签名"):
        await reporting.submit_report(leader, task.id)


async def test_refused_transition_names_the_state_and_next_steps(drawn):
    leader, _ = await drawn.team(drawn.tasks[0])
    with pytest.raises(lifecycle.TransitionRefused) as caught:
        await visit.check_in(leader, drawn.tasks[0].id)
    assert "任务当前状态为「已抽取」" in str(caught.value)
    assert "下一步可以：通知检查组" in str(caught.value)


async def test_outsider_cannot_touch_a_task(drawn):
    # The draw's secret is new each run: the outsider is the first leader of another task
    # who is not on the first task's team (the demo draw always has one).
    first = drawn.tasks[0]
    on_first = {a.id for a in await drawn.team(first)}
    leaders = [(await drawn.team(other))[0] for other in drawn.tasks[1:]]
    outsider = next(leader for leader in leaders if leader.id not in on_first)
    with pytest.raises(PermissionDenied):
        await team.accept(outsider, first.id)


async def test_recusal_draws_a_replacement_and_the_record_still_verifies(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    replacement = await team.declare_conflict(member, task.id, "近亲属在该单位任职")
    assert replacement is not None
    current = await drawn.team(task)
    assert member.id not in {a.id for a in current} and len(current) == 2
    assert await Conflict.filter(inspector_id=member.id, target_id=task.target_id).exists()
    told = await OutboxMessage.filter(
        recipient_id=replacement.inspector_id, kind="assignment"
    ).values_list("payload", flat=True)
    assert any(p["task_id"] == task.id for p in told)
    draw = await Draw.get(id=task.draw_id)
    record = json.loads(draw.record)
    assert record["amendments"][0]["replaced"] == member.cert_no
    verify_record(record)
    forged = json.loads(draw.record)
    forged["amendments"][0]["replacement"]["cert_no"] = leader.cert_no
    with pytest.raises(VerifyFailed, match="amendment 1"):
        verify_record(sealed(forged))
    assert (await TeamMember.get(id=replacement.id)).status == "assigned"


async def test_order_to_correct_opens_a_followup_closed_by_a_recheck(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    await team.accept(member, task.id)
    await visit.check_in(leader, task.id)
    report = {
        **REPORT,
        "findings": "防护密闭门被改作仓库门使用",
        "result_categories": ["A"],
        "follow_up_action": "order_correction",
        "follow_up_state": "open",
        "correction_items": "恢复防护密闭门功能",
        "correction_deadline": "2026-12-31",
    }
    await reporting.save_report(leader, task.id, report)
    await reporting.sign_report(leader, task.id)
    await reporting.sign_report(member, task.id)
    await reporting.submit_report(leader, task.id)
    await reporting.review(drawn.coordinator, task.id, "approve", "同意")
    followup = await FollowUp.get(task_id=task.id)
    assert followup.what == "恢复防护密闭门功能" and followup.state == "open"
    # The team hears of the approval with the decision, and of the follow-up left to them.
    told = await OutboxMessage.filter(kind="report.approved").order_by("recipient_id")
    assert [(m.recipient_kind, m.recipient_id) for m in told] == sorted(
        ("inspector", who.id) for who in (leader, member)
    )
    assert {m.payload["comments"] for m in told} == {"同意"}
    assert told[0].payload["claim"] == "report_submitted"
    assert told[0].payload["follow_up"] == {
        "id": followup.id,
        "action": "order_correction",
        "what": "恢复防护密闭门功能",
        "deadline": "2026-12-31",
    }
    assert told[0].payload["completed_on"] == "2026-11-20"
    due1 = await Reminder.get(subject_kind="followup", subject_id=followup.id, kind="followup.due1")
    told = await outbox.fire_reminder(due1.id, due1.due_at)
    assert {(m.recipient_kind, m.recipient_id) for m in told} == {
        ("inspector", leader.id),
        ("inspector", member.id),
        ("coordinator", drawn.coordinator.id),
    }
    with pytest.raises(EvidenceClosed, match="已审核通过"):  # a re-check names its follow-up
        await add_note(leader, task.id, "note", "复查", idempotency_key="r0")
    await add_note(
        leader, task.id, "condition", "已恢复", idempotency_key="r1", followup_id=followup.id
    )
    closed = await closing.close_followup(drawn.coordinator, followup.id, "已整改到位")
    assert closed.state == "closed" and closed.closed_by.startswith("coordinator:")
    due0 = await Reminder.get(subject_kind="followup", subject_id=followup.id, kind="followup.due0")
    assert await outbox.fire_reminder(due0.id, due0.due_at) == []
    with pytest.raises(UserError, match="待复查"):
        await add_note(
            leader, task.id, "condition", "再看", idempotency_key="r2", followup_id=followup.id
        )


async def test_status_shows_progress_overdue_and_anomalies(drawn):
    import datetime as dt

    from domain.campaigns.status import campaign_status

    status = await campaign_status(drawn.coordinator, "2026-RF-09", today=dt.date(2026, 12, 21))
    assert status.by_state == {"已抽取": len(drawn.tasks)}
    assert len(status.overdue) == len(drawn.tasks)  # due 2026-12-18, nobody started
    assert status.workdays_left == -1  # Friday the 18th to Monday the 21st


async def test_return_and_reject_are_recorded_for_each_member_with_the_reason(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    await team.accept(member, task.id)
    await visit.check_in(leader, task.id)
    await reporting.save_report(leader, task.id, REPORT)
    for who in (leader, member):
        await reporting.sign_report(who, task.id)
    await reporting.submit_report(member, task.id)
    with pytest.raises(lifecycle.TransitionRefused):
        await reporting.review(drawn.coordinator, task.id, "return", "  ")  # no reason: refused
    assert await OutboxMessage.filter(kind__startswith="report.re").count() == 0

    await reporting.review(drawn.coordinator, task.id, "return", " 补充检查依据 ")
    rows = await OutboxMessage.filter(kind="report.returned").order_by("recipient_id")
    assert [(r.recipient_kind, r.recipient_id) for r in rows] == sorted(
        ("inspector", who.id) for who in (leader, member)
    )
    assert {r.payload["comments"] for r in rows} == {"补充检查依据"}
    assert {r.payload["task_id"] for r in rows} == {task.id}

    await reporting.save_report(leader, task.id, {"findings": "已补充"})
    for who in (leader, member):
        await reporting.sign_report(who, task.id)
    await reporting.submit_report(leader, task.id)
    await reporting.review(drawn.coordinator, task.id, "reject", "签到时间早于通知")
    # Reopened, then found closed and rejected again at the same revision: a second message.
    await reporting.reopen(drawn.coordinator, task.id, "重新安排检查")
    await visit.could_not_inspect(leader, task.id, "现场已关闭", ["7"])
    await reporting.review(drawn.coordinator, task.id, "reject", "未核实是否停业")
    rows = await OutboxMessage.filter(kind="report.rejected").order_by("id")
    assert len(rows) == 4 and {r.payload["revision"] for r in rows} == {2}
    assert [r.payload["comments"] for r in rows] == ["签到时间早于通知"] * 2 + [
        "未核实是否停业"
    ] * 2
    assert await OutboxMessage.filter(kind="report.returned").count() == 2
    assert await OutboxMessage.filter(kind="report.approved").count() == 0
    # Declared closed once more, and accepted: the team hears the claim was approved.
    await reporting.reopen(drawn.coordinator, task.id, "再次核实")
    await visit.could_not_inspect(leader, task.id, "现场已关闭，已核实停业", ["7"])
    await reporting.review(drawn.coordinator, task.id, "approve", "已核实")
    rows = await OutboxMessage.filter(kind="report.approved").order_by("recipient_id")
    assert [r.recipient_id for r in rows] == sorted(who.id for who in (leader, member))
    assert {r.payload["claim"] for r in rows} == {"could_not_inspect"}
    assert {r.payload["follow_up"] for r in rows} == {None}


async def test_a_penalty_decided_after_publication_is_still_reminded_until_published(drawn):
    for task in drawn.tasks[:-1]:
        await finish(drawn, task)
    await visit.cancel(drawn.coordinator, drawn.tasks[-1].id, "对象已迁出本市")
    await closing.publish_campaign(drawn.coordinator, "2026-RF-09")
    penalty = await closing.record_penalty(
        drawn.coordinator, drawn.tasks[0].id, "示人防罚〔2026〕4号", dt.date(2026, 12, 22), "罚款"
    )
    due5, due1, _ = await Reminder.filter(kind__startswith="penalty.publish").order_by("due_at")

    sent = await outbox.fire_reminder(due5.id)
    assert [(m.recipient_kind, m.recipient_id) for m in sent] == [
        ("coordinator", drawn.coordinator.id)
    ]
    await closing.publish_penalty(drawn.coordinator, penalty.id)
    assert await outbox.fire_reminder(due1.id) == []


async def test_a_penalty_needs_an_approved_result_and_a_refused_one_leaves_nothing(drawn):
    task = drawn.tasks[0]
    with pytest.raises(UserError, match="已批准") as refused:
        await closing.record_penalty(
            drawn.coordinator, task.id, "示人防罚〔2026〕5号", dt.date(2026, 12, 22), "罚款"
        )
    assert task.number in str(refused.value)
    assert not await Penalty.exists()
    assert not await Reminder.filter(kind__startswith="penalty.publish").exists()
    await finish(drawn, task)
    await closing.record_penalty(
        drawn.coordinator, task.id, "示人防罚〔2026〕5号", dt.date(2026, 12, 22), "罚款"
    )
    assert await Penalty.filter(task_id=task.id).count() == 1
