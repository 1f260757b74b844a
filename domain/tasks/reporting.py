"""The report: drafted by the team, signed by every officer, submitted, reviewed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from tortoise.transactions import in_transaction

from domain import clock
from domain.calendar import deadlines
from domain.calendar.imported import load_calendar
from domain.errors import StaleState, UserError
from domain.messaging import outbox
from domain.messaging.kinds import REPORT_APPROVED, REPORT_SUBMITTED, report_submitted_key
from domain.rules import lifecycle
from domain.rules import report as report_rules
from domain.rules import team_duties as team_rules
from domain.rules.access import Actor
from domain.storage.models import (
    FollowUp,
    RecipientKind,
    Report,
    ReportSignature,
    TeamMember,
)
from domain.tasks import closing, signatures
from domain.tasks.common import reviewers, rule_members, transition
from domain.tasks.views import TaskView, load_task, require_member

_FIELDS = {f.name for f in dataclasses.fields(report_rules.Report)}
# The outbox kinds that tell the team a coordinator approved their report, sent it back or
# refused it.
TEAM_NOTICE = {"approve": REPORT_APPROVED, "return": "report.returned", "reject": "report.rejected"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


async def save_report(actor: Actor, task_id: int, fields: dict[str, Any]) -> Report:
    """Create or edit the report. Every edit is a new revision: earlier signatures lapse."""
    unknown = sorted(set(fields) - _FIELDS)
    if unknown:
        raise UserError(f"报告没有这些字段 (unknown report fields): {', '.join(unknown)}")
    view = await load_task(actor, task_id, purpose="report")
    require_member(actor, view)
    state = view.task.state
    async with in_transaction() as conn:
        if state == lifecycle.TaskState.ON_SITE:
            await transition(actor, view, "start_report")
        elif state == lifecycle.TaskState.RETURNED:
            await transition(actor, view, "revise_report")
        elif state != lifecycle.TaskState.REPORT_DRAFTED:
            lifecycle.apply(state, "start_report", "inspector")  # raises, naming next steps
        report, created = await Report.get_or_create(task_id=task_id)
        report.data = {**report.data, **{k: _jsonable(v) for k, v in fields.items()}}
        report.revision = report.revision if created else report.revision + 1
        report.drafted_by = actor.label
        await report.save()
        await signatures.ask_teammates(view, report, conn)
    return report


async def report_of(view: TaskView) -> Report | None:
    """The report of a task already loaded for its reader (load_task decided the access);
    None until one is drafted."""
    return await Report.get_or_none(task_id=view.task.id)


async def _signing_context(view: TaskView, report: Report) -> dict[str, Any]:
    members = list(
        await TeamMember.filter(task_id=view.task.id).order_by("id").prefetch_related("inspector")
    )
    signatures = [
        team_rules.Signature(s.member_id, s.revision)
        for s in await ReportSignature.filter(report_id=report.id)
    ]
    return {
        "members": rule_members(members),
        "signatures": signatures,
        "revision": report.revision,
        "report": report_rules.Report(**{k: v for k, v in report.data.items() if k in _FIELDS}),
    }


async def awaiting_signatures(view: TaskView, report: Report) -> tuple[set[int], list[str]]:
    """Of a report already loaded for its reader: (ids of the members who signed its current
    revision, names of the officers still to sign it)."""
    ctx = await _signing_context(view, report)
    signed = {s.member_id for s in ctx["signatures"] if s.revision == report.revision}
    unsigned = team_rules.unsigned_members(ctx["members"], ctx["signatures"], report.revision)
    return signed, [m.shown for m in unsigned]


async def sign_report(actor: Actor, task_id: int, revision: int | None = None) -> list[str]:
    """Confirm the current revision; returns the names of officers still to sign. With
    `revision`, the one the signer read: a newer one is refused, so nobody signs a text they
    were not shown. The last signature tells the drafter, in the same transaction."""
    view = await load_task(actor, task_id, purpose="sign")
    member = require_member(actor, view)
    report = await Report.get_or_none(task_id=task_id)
    if report is None:
        raise UserError("还没有报告可签名 (no report yet)")
    if revision is not None and revision != report.revision:
        raise StaleState(
            f"报告已修改为第 {report.revision} 版，请阅读后再确认 "
            f"(the report is now revision {report.revision}: read it before confirming)"
        )
    async with in_transaction() as conn:
        await transition(actor, view, "sign_report", data={"revision": report.revision})
        await ReportSignature.get_or_create(
            report_id=report.id, member_id=member.id, revision=report.revision
        )
        ctx = await _signing_context(view, report)
        remaining = [
            m.shown
            for m in team_rules.unsigned_members(ctx["members"], ctx["signatures"], report.revision)
        ]
        if not remaining:
            await signatures.tell_drafter(view, report, actor.id, conn)
    return remaining


async def submit_report(actor: Actor, task_id: int) -> str:
    view = await load_task(actor, task_id, purpose="submit")
    require_member(actor, view)
    report = await Report.get_or_none(task_id=task_id)
    if report is None:
        raise UserError("还没有报告 (no report yet)")
    ctx = await _signing_context(view, report)
    async with in_transaction() as conn:
        await transition(actor, view, "submit_report", ctx, data={"revision": report.revision})
        report.submitted_at = clock.now()
        await report.save(update_fields=["submitted_at", "updated_at"])
        # The coordinators who review it are told, in the same transaction as the submission.
        for coordinator_id in await reviewers(view, conn):
            await outbox.enqueue(
                RecipientKind.COORDINATOR,
                coordinator_id,
                REPORT_SUBMITTED,
                {"task_id": task_id, "revision": report.revision},
                dedupe_key=report_submitted_key(task_id, report.revision, coordinator_id),
                connection=conn,
            )
    return view.task.state


async def review(
    actor: Actor, task_id: int, decision: str, comments: str = "", *, view: TaskView | None = None
) -> str:
    """approve, return (to the team, with comments) or reject (the inspection is redone).
    `view`: one loaded earlier, as a concurrent request holds it (tests of stale reads)."""
    if decision not in ("approve", "return", "reject"):
        raise UserError("审核结果应为 approve / return / reject")
    view = view or await load_task(actor, task_id, purpose="review")
    report = await Report.get_or_none(task_id=task_id)
    claim = view.task.state  # a report, or a could-not-inspect declaration
    async with in_transaction() as conn:
        await transition(actor, view, decision, {"comments": comments}, data={"comments": comments})
        if report is not None:
            report.review_comments = comments.strip()
            report.reviewed_by = actor.label
            report.reviewed_at = clock.now()
            if decision == "approve":
                report.completed_on = report.completed_on or _completed_on(report)
            await report.save()
        extra: dict[str, Any] = {"claim": claim}
        if decision == "approve":
            view.task.completed_on = report.completed_on if report else clock.today()
            await view.task.save(update_fields=["completed_on", "updated_at"])
            followup = await _open_followup(view, report) if report is not None else None
            await closing.complete_if_done(actor, view.campaign)
            extra["completed_on"] = _jsonable(view.task.completed_on)
            extra["follow_up"] = _followup_facts(followup)
        await _tell_team(actor, view, report, decision, comments, conn, extra)
    return view.task.state


async def _tell_team(
    actor: Actor,
    view: TaskView,
    report: Report | None,
    decision: str,
    comments: str,
    conn,
    extra: dict[str, Any],
) -> None:
    """Every current member learns the decision and its reason privately, recorded with the
    decision itself. The reason travels in the payload: a later review overwrites the report's."""
    kind = TEAM_NOTICE[decision]
    revision = report.revision if report is not None else 0
    # A task can be rejected, reopened and rejected again at the same revision: the time of
    # the decision keeps each decision's messages apart.
    at = clock.now().isoformat(timespec="microseconds")
    for member in view.members:
        await outbox.enqueue(
            RecipientKind.INSPECTOR,
            member.inspector_id,
            kind,
            {"task_id": view.task.id, "revision": revision, "comments": comments.strip(),
             "by": actor.name, **extra},
            dedupe_key=f"{kind}:{view.task.id}:{revision}:{at}:{member.inspector_id}",
            connection=conn,
        )  # fmt: skip


def _followup_facts(followup: FollowUp | None) -> dict[str, Any] | None:
    """What the team must still do after an approval: the follow-up left open, if any."""
    if followup is None or followup.state != "open":
        return None
    return {
        "id": followup.id,
        "action": followup.action,
        "what": followup.what,
        "deadline": _jsonable(followup.deadline),
    }


def _completed_on(report: Report) -> dt.date:
    """The office's date on which the inspection ended (an end time given in UTC is converted:
    20:00Z is the next morning in Beijing)."""
    ended = report.data.get("ended_at")
    if ended:
        try:
            return clock.parse_local_date(str(ended))
        except ValueError:
            pass  # checked when the report was saved; a stored oddity falls back to today
    return clock.today()


async def _open_followup(view: TaskView, report: Report) -> FollowUp | None:
    action = report.data.get("follow_up_action") or ""
    if not action or action == report_rules.FollowUpAction.NONE:
        return None
    deadline = report.data.get("correction_deadline")
    followup = await FollowUp.create(
        task_id=view.task.id,
        action=action,
        what=report.data.get("correction_items") or report.data.get("follow_up_note") or "",
        deadline=dt.date.fromisoformat(str(deadline)[:10]) if deadline else None,
        recipient=report.data.get("follow_up_recipient") or "",
        state=report.data.get("follow_up_state") or "open",
    )
    if followup.deadline and followup.state == "open":
        calendar = await load_calendar()
        planned = deadlines.plan_followup_reminders(calendar, followup.deadline)
        await deadlines.schedule("followup", followup.id, planned)
    return followup


async def reopen(actor: Actor, task_id: int, reason: str) -> str:
    view = await load_task(actor, task_id, purpose="reopen")
    async with in_transaction():
        await transition(actor, view, "reopen", {"reason": reason}, data={"reason": reason})
    return view.task.state
