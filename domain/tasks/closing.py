"""After the reports: follow-ups closed by a re-check, penalties, completion and publication."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.calendar import deadlines, provisional
from domain.calendar.imported import load_calendar
from domain.campaigns.plan import get_campaign
from domain.errors import NotFound, StaleState, UserError
from domain.messaging import outbox
from domain.rules import lifecycle
from domain.rules.access import (
    Actor,
    Role,
    coordinates,
    require_any_coordinator,
    require_coordinator,
)
from domain.storage.models import Campaign, CampaignStatus, FollowUp, Penalty, Task
from domain.tasks.common import transition
from domain.tasks.views import load_task


def may_run(actor: Actor, department_path: str) -> bool:
    return actor.role == Role.SYSTEM or coordinates(actor, department_path)


DONE_STATES = {lifecycle.TaskState.APPROVED, lifecycle.TaskState.CANCELLED}
# A penalty decision rests on an inspection's findings, once a coordinator approved them.
PENALTY_STATES = {lifecycle.TaskState.APPROVED, lifecycle.TaskState.PUBLISHED}


async def close_followup(actor: Actor, followup_id: int, recheck_result: str) -> FollowUp:
    """复查: the re-check's finding closes the follow-up (its evidence is attached to the task)."""
    missing = NotFound(f"没有编号为 {followup_id} 的后续处置 (no such follow-up)")
    followup = await FollowUp.get_or_none(id=followup_id)
    if followup is None:
        raise missing
    try:
        view = await load_task(actor, followup.task_id, purpose="recheck")
    except NotFound:
        # The task's own refusal would tell that this follow-up exists: it is sealed with it.
        raise missing from None
    if view.member_for(actor) is None:
        require_coordinator(actor, view.campaign.department.path)
    if followup.state == "closed":
        raise UserError("该后续处置已关闭 (already closed)")
    if not recheck_result.strip():
        raise UserError("请填写复查结果 (the re-check result is required)")
    fields = {
        "state": "closed",
        "closed_on": clock.today(),
        "recheck_result": recheck_result.strip(),
        "closed_by": actor.label,
    }
    async with in_transaction():
        # Conditional: of two re-checks closing it at once, the second overwrites nothing.
        if not await FollowUp.filter(id=followup.id, state="open").update(**fields):
            raise StaleState("该后续处置已被他人关闭，请刷新 (closed meanwhile by someone else)")
        for field, value in fields.items():
            setattr(followup, field, value)
        await audit.record(
            actor.label,
            "followup.close",
            "task",
            view.task.number,
            after={"followup": followup.id, "result": recheck_result.strip()},
        )
    return followup


async def open_followup(followup_id: int) -> FollowUp | None:
    """The follow-up while it is open; None once it is closed (or if there is none)."""
    return await FollowUp.get_or_none(id=followup_id, state="open")


async def record_penalty(
    actor: Actor,
    task_id: int,
    decision_no: str,
    decided_on: dt.date,
    content: str,
    dishonest: bool = False,
) -> Penalty:
    """Penalty information must be public within 7 working days of the decision (provisional
    when those days reach a year with no calendar: recorded all the same, and announced)."""
    view = await load_task(actor, task_id, purpose="penalty")
    require_coordinator(actor, view.campaign.department.path)
    if view.task.state not in PENALTY_STATES:
        state = lifecycle.TaskState(view.task.state)
        raise UserError(
            f"任务 {view.task.number} 当前为「{state.label_zh}」：处罚只能记录在已批准的检查结果上"
            f" (a penalty follows an approved result; this task is {state.label_en})"
        )
    if not decision_no.strip() or not content.strip():
        raise UserError("处罚决定书编号和内容不能为空 (decision number and content required)")
    calendar = await load_calendar()
    planned = deadlines.plan_publication_reminders(
        calendar, decided_on, deadlines.PENALTY_PUBLICATION_WORKDAYS, "penalty.publish"
    )
    due = deadlines.penalty_deadline(calendar, decided_on)
    async with in_transaction():
        penalty = await Penalty.create(
            task_id=task_id,
            decision_no=decision_no.strip(),
            decided_on=decided_on,
            content=content.strip(),
            dishonest=dishonest,
            recorded_by=actor.label,
        )
        await deadlines.schedule("campaign", view.campaign.id, planned)
        await provisional.announce(view.campaign, provisional.PENALTY, due)
        await audit.record(
            actor.label,
            "penalty.record",
            "task",
            view.task.number,
            after={"penalty": penalty.id, "decision_no": decision_no.strip(),
                   "publish_by": due.due.isoformat(), "provisional": sorted(due.assumed)},
        )  # fmt: skip
    return penalty


async def progress(campaign: Campaign) -> Counter:
    return Counter(await Task.filter(campaign_id=campaign.id).values_list("state", flat=True))


async def refresh_completion(actor: Actor, campaign_code: str) -> Campaign:
    """Complete the campaign if its last task is done (see complete_if_done). The task
    services complete it with the change that finishes it; this catches up on campaigns whose
    tasks were finished before they did."""
    campaign = await get_campaign(campaign_code)
    async with in_transaction():
        await complete_if_done(actor, campaign)
    return campaign


async def complete_if_done(actor: Actor, campaign: Campaign) -> bool:
    """Within the caller's transaction: when every task is approved or cancelled the campaign
    is complete, on the office's date, and the 20-working-day clock for publishing the results
    starts, with reminders to the coordinators (provisional, and announced, when it runs into
    a year with no calendar). True if this call completed it."""
    if campaign.status != CampaignStatus.DRAWN:
        return False
    states = await progress(campaign)
    if not states or any(lifecycle.TaskState(s) not in DONE_STATES for s in states):
        return False
    calendar = await load_calendar()
    today = clock.today()
    done = Campaign.filter(id=campaign.id, status=CampaignStatus.DRAWN)
    if not await done.update(
        status=CampaignStatus.COMPLETED, completed_on=today, updated_at=clock.now()
    ):
        return False  # completed meanwhile by another request
    campaign.status = CampaignStatus.COMPLETED
    campaign.completed_on = today
    planned = deadlines.plan_publication_reminders(
        calendar, today, deadlines.RESULTS_PUBLICATION_WORKDAYS, "results.publish"
    )
    due = deadlines.results_deadline(calendar, today)
    await deadlines.schedule("campaign", campaign.id, planned)
    await provisional.announce(campaign, provisional.RESULTS, due)
    await audit.record(
        actor.label,
        "campaign.complete",
        "campaign",
        campaign.code,
        after={"completed_on": today.isoformat(), "publish_by": due.due.isoformat(),
               "provisional": sorted(due.assumed)},
    )  # fmt: skip
    return True


async def publish_campaign(actor: Actor, campaign_code: str) -> int:
    """Publish the results: every approved task becomes public, and so do the draw record and
    the candidate lists. Refused while any task is still open."""
    campaign = await refresh_completion(actor, campaign_code)
    require_coordinator(actor, campaign.department.path)
    if campaign.status == CampaignStatus.PUBLISHED:
        raise UserError(f"抽查计划 {campaign.code} 已公示 (already published)")
    if campaign.status != CampaignStatus.COMPLETED:
        states = await progress(campaign)
        open_ = [
            f"{state.label_zh} {states[state]} 个 ({states[state]} {state.label_en})"
            for state in lifecycle.TaskState
            if states[state] and state not in DONE_STATES
        ]
        still = "；".join(open_) or "尚未抽取 (nothing drawn yet)"
        raise UserError(f"还有未完成的任务，不能公示 (tasks still open): {still}")
    tasks = await Task.filter(campaign_id=campaign.id, state=lifecycle.TaskState.APPROVED)
    published = 0
    async with in_transaction():
        for task in tasks:
            view = await load_task(actor, task.id, purpose="publish")
            await transition(actor, view, "publish")
            published += 1
        campaign.published_at = clock.now()
        publish = Campaign.filter(id=campaign.id, status=CampaignStatus.COMPLETED)
        if not await publish.update(
            status=CampaignStatus.PUBLISHED,
            published_at=campaign.published_at,
            updated_at=clock.now(),
        ):
            raise StaleState(f"抽查计划 {campaign.code} 已被他人公示 (published meanwhile)")
        campaign.status = CampaignStatus.PUBLISHED
        await Penalty.filter(task__campaign_id=campaign.id, published_at=None).update(
            published_at=campaign.published_at
        )
        # Its publication deadlines are met: nothing left to remind of, or to recount.
        await outbox.cancel_reminders("campaign", campaign.id, deadlines.PUBLICATION_KINDS)
        await audit.record(
            actor.label, "campaign.publish", "campaign", campaign.code, after={"tasks": published}
        )
    return published


async def publish_penalty(actor: Actor, penalty_id: int) -> Penalty:
    """A penalty decided after the results went public is published on its own (7 working
    days from the decision); before that, publishing the campaign publishes it."""
    penalty = await Penalty.get_or_none(id=penalty_id).prefetch_related(
        "task__campaign__department"
    )
    require_any_coordinator(actor)
    # Another department's penalty is refused as a missing one: unpublished, it is sealed.
    if penalty is None or not may_run(actor, penalty.task.campaign.department.path):
        raise NotFound(f"没有编号为 {penalty_id} 的行政处罚记录 (no such penalty)")
    campaign = penalty.task.campaign
    if campaign.status != CampaignStatus.PUBLISHED:
        raise UserError("抽查结果尚未公示：公示结果时一并公示处罚信息 (published with the results)")
    if penalty.published_at is not None:
        return penalty
    async with in_transaction():
        penalty.published_at = clock.now()
        await penalty.save(update_fields=["published_at"])
        await audit.record(actor.label, "penalty.publish", "task", penalty.task.number,
                           after={"penalty": penalty.id})  # fmt: skip
    return penalty
