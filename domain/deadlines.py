"""What is due when, in Chinese working days, and the reminders stored for it.

Reminders are rows in the database (domain.outbox), so they fire after any restart and never
twice. A task's reminders go to its *team* (recipient kind "team", id = task id): the members
are looked up when the reminder fires, so a replacement gets them and a recused member does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import outbox
from domain.models import (
    Campaign,
    Coordinator,
    MemberStatus,
    Penalty,
    RecipientKind,
    Task,
    TeamMember,
)
from domain.workdays import (
    PENALTY_PUBLICATION_WORKDAYS,
    RESULTS_PUBLICATION_WORKDAYS,
    WorkCalendar,
)

OFFICE_TZ = ZoneInfo("Asia/Shanghai")
REMIND_AT = dt.time(9, 0)  # reminders arrive at the start of the office day
ACCEPT_AFTER = dt.timedelta(hours=24)
OPEN_TASK_STATES = ("drawn", "notified", "accepted", "on_site", "report_drafted", "returned")


@dataclass(frozen=True)
class PlannedReminder:
    kind: str
    at: dt.datetime
    recipients: str  # "team" or "coordinators"
    payload: dict


def office_morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, REMIND_AT, OFFICE_TZ).astimezone(dt.UTC)


def plan_task_reminders(
    calendar: WorkCalendar, notified_at: dt.datetime, due: dt.date
) -> list[PlannedReminder]:
    """Acceptance after 24 h; due in 3 and in 1 working days; overdue on the first working day
    after the due date (each overdue reminder plans the next working day's when it fires)."""
    payload = {"due_date": due.isoformat()}
    planned = [PlannedReminder("task.accept", notified_at + ACCEPT_AFTER, "team", payload)]
    for n in (3, 1):
        day = calendar.add_workdays(due, -n)
        planned.append(PlannedReminder(f"task.due{n}", office_morning(day), "team", payload))
    first_overdue = calendar.add_workdays(due, 1)
    planned.append(PlannedReminder("task.overdue", office_morning(first_overdue), "team", payload))
    return [p for p in planned if p.at > notified_at]


def plan_publication_reminders(
    calendar: WorkCalendar, start: dt.date, workdays: int, kind: str
) -> list[PlannedReminder]:
    """For a publication deadline: a reminder 5 working days before, 1 before, and on the day."""
    due = calendar.add_workdays(start, workdays)
    payload = {"due_date": due.isoformat(), "start": start.isoformat()}
    days = [calendar.add_workdays(due, -5), calendar.add_workdays(due, -1), due]
    return [
        PlannedReminder(f"{kind}.{label}", office_morning(day), "coordinators", payload)
        for label, day in zip(("due5", "due1", "due0"), days, strict=True)
    ]


def plan_followup_reminders(calendar: WorkCalendar, deadline: dt.date) -> list[PlannedReminder]:
    """An order to correct: a reminder the working day before its deadline and on the day."""
    payload = {"due_date": deadline.isoformat()}
    return [
        PlannedReminder("followup.due1", office_morning(calendar.add_workdays(deadline, -1)),
                        "team", payload),
        PlannedReminder("followup.due0", office_morning(deadline), "team", payload),
    ]  # fmt: skip


def results_deadline(calendar: WorkCalendar, completed_on: dt.date) -> dt.date:
    return calendar.add_workdays(completed_on, RESULTS_PUBLICATION_WORKDAYS)


def penalty_deadline(calendar: WorkCalendar, decided_on: dt.date) -> dt.date:
    return calendar.add_workdays(decided_on, PENALTY_PUBLICATION_WORKDAYS)


async def schedule(
    subject_kind: str,
    subject_id: int,
    planned: list[PlannedReminder],
    *,
    connection: BaseDBAsyncClient | None = None,
) -> None:
    for p in planned:
        kind = RecipientKind.TEAM if p.recipients == "team" else RecipientKind.DEPARTMENT
        await outbox.schedule_reminder(
            subject_kind,
            subject_id,
            p.kind,
            p.at,
            kind,
            subject_id,
            dedupe_key=f"{subject_kind}:{subject_id}:{p.kind}:{p.payload.get('due_date')}",
            payload=p.payload,
            connection=connection,
        )


async def expand_recipients(
    kind: str, recipient_kind: str, subject_kind: str, subject_id: int, conn: BaseDBAsyncClient
) -> list[tuple[RecipientKind, int]]:
    """The people a team or department reminder reaches now; none once it no longer applies.
    A campaign's task reminders reach the teams of all its open tasks (its tasks share the due
    date, so one stored reminder serves them all)."""
    if kind.startswith("task."):
        if subject_kind == "task":
            tasks = await Task.filter(id=subject_id, state__in=OPEN_TASK_STATES).using_db(conn)
        else:
            tasks = await Task.filter(campaign_id=subject_id, state__in=OPEN_TASK_STATES).using_db(
                conn
            )
        if not tasks:
            return []
        members = await TeamMember.filter(task_id__in=[t.id for t in tasks]).using_db(conn)
        current = [m for m in members if m.status != MemberStatus.RECUSED]
        if kind == "task.accept":
            current = [m for m in current if m.status == MemberStatus.ASSIGNED]
        people = sorted({(RecipientKind.INSPECTOR, m.inspector_id) for m in current})
        if kind == "task.overdue":
            campaign = await Campaign.get(id=tasks[0].campaign_id).using_db(conn)
            people += await _coordinators(campaign.department_id, conn)
        return people
    if subject_kind == "followup":
        from domain.models import FollowUp

        followup = await FollowUp.get_or_none(id=subject_id, state="open").using_db(conn)
        if followup is None:
            return []
        members = await TeamMember.filter(task_id=followup.task_id).using_db(conn)
        task = await Task.get(id=followup.task_id).using_db(conn)
        campaign = await Campaign.get(id=task.campaign_id).using_db(conn)
        people = sorted(
            {(RecipientKind.INSPECTOR, m.inspector_id) for m in members
             if m.status != MemberStatus.RECUSED}
        )  # fmt: skip
        return people + await _coordinators(campaign.department_id, conn)
    if subject_kind == "campaign":
        campaign = await Campaign.get_or_none(id=subject_id).using_db(conn)
        if campaign is None:
            return []
        if kind.startswith("penalty."):
            # A penalty decided after the results went public is published on its own, so its
            # deadline outlives the campaign's publication: it holds while one is unpublished.
            unpublished = Penalty.filter(task__campaign_id=subject_id, published_at=None)
            if not await unpublished.using_db(conn).exists():
                return []
        elif campaign.status == "published":
            return []
        return await _coordinators(campaign.department_id, conn)
    return []


async def _coordinators(department_id: int, conn) -> list[tuple[RecipientKind, int]]:
    rows = await Coordinator.filter(department_id=department_id, active=True).using_db(conn)
    return [(RecipientKind.COORDINATOR, c.id) for c in rows]


async def after_fired(reminder, reached_anybody: bool, conn: BaseDBAsyncClient) -> None:
    """An overdue task is reminded every working day until it is done."""
    if reminder.kind != "task.overdue" or not reached_anybody:
        return
    from domain.calendar_store import load_calendar

    calendar = await load_calendar()
    fired_day = reminder.due_at.astimezone(OFFICE_TZ).date()
    next_day = calendar.add_workdays(fired_day, 1)
    await outbox.schedule_reminder(
        reminder.subject_kind,
        reminder.subject_id,
        reminder.kind,
        office_morning(next_day),
        reminder.recipient_kind,
        reminder.recipient_id,
        dedupe_key=f"{reminder.subject_kind}:{reminder.subject_id}:{reminder.kind}:{next_day}",
        payload=reminder.payload,
        connection=conn,
    )
