"""What is due when, in Chinese working days, and the reminders stored for it.

Reminders are rows in the database (domain.messaging.outbox), so they fire after any restart and
never twice. A task's reminders go to its *team* (recipient kind "team", id = task id): the members
are looked up when the reminder fires, so a replacement gets them and a recused member does not.

Counting never fails for want of a calendar: a day counted across a year no calendar covers is
counted Monday to Friday, and its reminder carries what it was counted from (`provisional` in
the payload), so that importing the year recounts it (domain.calendar.provisional).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import clock
from domain.calendar.workdays import (
    PENALTY_PUBLICATION_WORKDAYS,
    RESULTS_PUBLICATION_WORKDAYS,
    Deadline,
    WorkCalendar,
    deadline,
)
from domain.messaging import outbox
from domain.storage.models import (
    Campaign,
    Coordinator,
    MemberStatus,
    Penalty,
    RecipientKind,
    Task,
    TeamMember,
)

REMIND_AT = dt.time(9, 0)  # reminders arrive at the start of the office day
ACCEPT_AFTER = dt.timedelta(hours=24)
# Tells coordinators that a deadline was counted over a year with no calendar
# (domain.calendar.provisional).
CALENDAR_MISSING = "calendar.missing"
# A publication deadline's reminders: 5 and 1 working days before it, and on the day.
PUBLICATION_OFFSETS = (("due5", -5), ("due1", -1), ("due0", 0))
RESULTS_KINDS = tuple(f"results.publish.{label}" for label, _ in PUBLICATION_OFFSETS)
PENALTY_KINDS = tuple(f"penalty.publish.{label}" for label, _ in PUBLICATION_OFFSETS)
# A campaign's reminders of its publication deadlines, which publishing it ends.
PUBLICATION_KINDS = [*RESULTS_KINDS, *PENALTY_KINDS, CALENDAR_MISSING]
OPEN_TASK_STATES = ("drawn", "notified", "accepted", "on_site", "report_drafted", "returned")


@dataclass(frozen=True)
class PlannedReminder:
    kind: str
    at: dt.datetime
    recipients: str  # "team" or "coordinators"
    payload: dict


def office_morning(day: dt.date) -> dt.datetime:
    return clock.at_office(day, REMIND_AT)


@dataclass(frozen=True)
class Basis:
    """How a reminder's day is counted: the deadline is `workdays` working days after `start`,
    the reminder `offset` working days from `anchor` (the deadline itself when None). The dedupe
    key ends with the deadline's date, or with the reminder's own day when `key_day`."""

    start: dt.date
    workdays: int
    offset: int
    anchor: dt.date | None = None
    key_day: bool = False

    def count(self, calendar: WorkCalendar) -> tuple[dt.date, dt.date, frozenset[int]]:
        """(deadline, reminder day, the years assumed in counting either)."""
        due = calendar.count_workdays(self.start, self.workdays)
        day = calendar.count_workdays(self.anchor or due.day, self.offset)
        return due.day, day.day, due.assumed | day.assumed

    def to_json(self, assumed: frozenset[int]) -> dict:
        return {
            "years": sorted(assumed),
            "start": self.start.isoformat(),
            "workdays": self.workdays,
            "offset": self.offset,
            "anchor": self.anchor.isoformat() if self.anchor else None,
            "key_day": self.key_day,
        }

    @classmethod
    def from_json(cls, data: dict) -> Basis:
        anchor = data.get("anchor")
        return cls(
            dt.date.fromisoformat(data["start"]),
            int(data["workdays"]),
            int(data["offset"]),
            dt.date.fromisoformat(anchor) if anchor else None,
            bool(data.get("key_day")),
        )


def counted(
    calendar: WorkCalendar, kind: str, recipients: str, basis: Basis, payload: dict | None = None
) -> PlannedReminder:
    """A reminder on a counted working day; its payload names the deadline (`due_date`) and,
    when a year had to be assumed, how to count it again (`provisional`)."""
    due, day, assumed = basis.count(calendar)
    body = {**(payload or {}), "due_date": due.isoformat()}
    if assumed:
        body["provisional"] = basis.to_json(assumed)
    return PlannedReminder(kind, office_morning(day), recipients, body)


def plan_task_reminders(
    calendar: WorkCalendar, notified_at: dt.datetime, due: dt.date
) -> list[PlannedReminder]:
    """Acceptance after 24 h; due in 3 and in 1 working days; overdue on the first working day
    after the due date (each overdue reminder plans the next working day's when it fires)."""
    payload = {"due_date": due.isoformat()}
    planned = [PlannedReminder("task.accept", notified_at + ACCEPT_AFTER, "team", payload)]
    for kind, offset in (("task.due3", -3), ("task.due1", -1), ("task.overdue", 1)):
        planned.append(counted(calendar, kind, "team", Basis(due, 0, offset)))
    return [p for p in planned if p.at > notified_at]


def plan_publication_reminders(
    calendar: WorkCalendar, start: dt.date, workdays: int, kind: str
) -> list[PlannedReminder]:
    """For a publication deadline: a reminder 5 working days before, 1 before, and on the day."""
    payload = {"start": start.isoformat()}
    return [
        counted(
            calendar, f"{kind}.{label}", "coordinators", Basis(start, workdays, offset), payload
        )
        for label, offset in PUBLICATION_OFFSETS
    ]


def plan_followup_reminders(calendar: WorkCalendar, deadline: dt.date) -> list[PlannedReminder]:
    """An order to correct: a reminder the working day before its deadline and on the day."""
    return [
        counted(calendar, "followup.due1", "team", Basis(deadline, 0, -1)),
        counted(calendar, "followup.due0", "team", Basis(deadline, 0, 0)),
    ]


def results_deadline(calendar: WorkCalendar, completed_on: dt.date) -> Deadline:
    return deadline(calendar, completed_on, RESULTS_PUBLICATION_WORKDAYS)


def penalty_deadline(calendar: WorkCalendar, decided_on: dt.date) -> Deadline:
    return deadline(calendar, decided_on, PENALTY_PUBLICATION_WORKDAYS)


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
    campaign: Campaign | None  # a campaign reminder's campaign may be gone
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
            campaign = await Campaign.get(id=tasks[0].campaign_id, using_db=conn)
            people += await _coordinators(campaign.department_id, conn)
        return people
    if subject_kind == "followup":
        from domain.storage.models import FollowUp

        followup = await FollowUp.get_or_none(id=subject_id, state="open", using_db=conn)
        if followup is None:
            return []
        members = await TeamMember.filter(task_id=followup.task_id).using_db(conn)
        task = await Task.get(id=followup.task_id, using_db=conn)
        campaign = await Campaign.get(id=task.campaign_id, using_db=conn)
        people = sorted(
            {(RecipientKind.INSPECTOR, m.inspector_id) for m in members
             if m.status != MemberStatus.RECUSED}
        )  # fmt: skip
        return people + await _coordinators(campaign.department_id, conn)
    if subject_kind == "campaign":
        campaign = await Campaign.get_or_none(id=subject_id, using_db=conn)
        if campaign is None:
            return []
        if kind == CALENDAR_MISSING:
            return await _coordinators(campaign.department_id, conn)
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
    from domain.calendar.imported import load_calendar

    calendar = await load_calendar(connection=conn)
    due = dt.date.fromisoformat(reminder.payload["due_date"])
    fired_day = clock.local_date(reminder.due_at)
    payload = {k: v for k, v in reminder.payload.items() if k != "provisional"}
    following = counted(
        calendar, reminder.kind, "team", Basis(due, 0, 1, fired_day, key_day=True), payload
    )
    next_day = clock.local_date(following.at)
    await outbox.schedule_reminder(
        reminder.subject_kind,
        reminder.subject_id,
        reminder.kind,
        following.at,
        reminder.recipient_kind,
        reminder.recipient_id,
        dedupe_key=f"{reminder.subject_kind}:{reminder.subject_id}:{reminder.kind}:{next_day}",
        payload=following.payload,
        connection=conn,
    )
