"""Deadlines counted over a year no calendar covers yet (暂定): announced, listed, recounted.

Recorded work never waits for a calendar: a campaign completed in December is completed and
published, a penalty is recorded, even when the 20 or 7 working days run into a year whose
holidays are not known yet. Such a year is counted Monday to Friday, and nothing about it is
silent: the deadline says it is provisional wherever it is shown, the department's coordinators
are told which year is missing and how to add it, and importing the year recounts every pending
reminder that was counted over it, in the import's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import clock
from domain.calendar.deadlines import (
    CALENDAR_MISSING,
    Basis,
    office_morning,
    penalty_deadline,
    results_deadline,
)
from domain.calendar.workdays import Deadline, WorkCalendar
from domain.messaging import outbox
from domain.storage.models import (
    Campaign,
    CampaignStatus,
    Penalty,
    RecipientKind,
    Reminder,
    ReminderStatus,
    Task,
)

MISSING_KIND = CALENDAR_MISSING
RESULTS, PENALTY = "results", "penalty"  # which deadline, in payloads and listings


def _missing_key(year: int, campaign_id: int, what: str, start: dt.date) -> str:
    return f"calendar:{year}:{campaign_id}:{what}:{start.isoformat()}"


async def announce(
    campaign: Campaign,
    what: str,
    deadline: Deadline,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> None:
    """Tell the coordinators of the campaign's department, now, that this deadline is
    provisional and which year to import: once per deadline and year."""
    for year in sorted(deadline.assumed):
        await outbox.schedule_reminder(
            "campaign",
            campaign.id,
            MISSING_KIND,
            clock.now(),
            RecipientKind.DEPARTMENT,
            campaign.id,
            dedupe_key=_missing_key(year, campaign.id, what, deadline.start),
            payload={
                "year": year,
                "what": what,
                "start": deadline.start.isoformat(),
                "due_date": deadline.due.isoformat(),
            },
            connection=connection,
        )


@dataclass(frozen=True)
class Recounted:
    kind: str
    subject: str  # the campaign's code, the task's number, or "followup N"
    was: dt.date  # the reminder's day as counted before
    now: dt.date  # as counted with the imported year
    due_was: str
    due_now: str
    still_provisional: bool  # another year it reaches is still missing


async def recount(
    calendar: WorkCalendar, year: int, *, connection: BaseDBAsyncClient
) -> list[Recounted]:
    """Count again every pending reminder counted over `year` with `calendar`, which now has
    it; cancel the notices that the year was missing."""
    await (
        Reminder.filter(
            kind=MISSING_KIND,
            status=ReminderStatus.PENDING,
            dedupe_key__startswith=f"calendar:{year}:",
        )
        .using_db(connection)
        .update(status=ReminderStatus.CANCELLED)
    )
    pending = await Reminder.filter(status=ReminderStatus.PENDING).using_db(connection)
    done = []
    for reminder in pending:
        marked = (reminder.payload or {}).get("provisional")
        if marked and year in marked.get("years", ()):
            done.append(await _recount_one(calendar, reminder, marked, connection))
    return done


async def _recount_one(
    calendar: WorkCalendar, reminder: Reminder, marked: dict, conn: BaseDBAsyncClient
) -> Recounted:
    basis = Basis.from_json(marked)
    due, day, assumed = basis.count(calendar)
    payload = {k: v for k, v in reminder.payload.items() if k != "provisional"}
    payload["due_date"] = due.isoformat()
    if assumed:
        payload["provisional"] = basis.to_json(assumed)
    prefix = reminder.dedupe_key.rsplit(":", 1)[0]
    key = f"{prefix}:{day.isoformat() if basis.key_day else due.isoformat()}"
    taken = Reminder.filter(dedupe_key=key).exclude(id=reminder.id).using_db(conn)
    if await taken.exists():
        # The same reminder on the same day exists already: this one would only repeat it.
        fields: dict[str, Any] = {"status": ReminderStatus.CANCELLED}
    else:
        fields = {"due_at": office_morning(day), "payload": payload, "dedupe_key": key}
    await Reminder.filter(id=reminder.id).using_db(conn).update(**fields)
    return Recounted(
        reminder.kind,
        await _subject(reminder, conn),
        clock.local_date(reminder.due_at),
        day,
        str(reminder.payload.get("due_date", "")),
        due.isoformat(),
        bool(assumed),
    )


async def _subject(reminder: Reminder, conn: BaseDBAsyncClient) -> str:
    if reminder.subject_kind == "campaign":
        found = await Campaign.filter(id=reminder.subject_id).using_db(conn).first()
        return found.code if found else f"campaign {reminder.subject_id}"
    if reminder.subject_kind == "task":
        task = await Task.filter(id=reminder.subject_id).using_db(conn).first()
        return task.number if task else f"task {reminder.subject_id}"
    return f"{reminder.subject_kind} {reminder.subject_id}"


@dataclass(frozen=True)
class OpenDeadline:
    campaign: str
    what: str  # RESULTS or PENALTY
    label: str  # the penalty decision's number; empty for the results
    deadline: Deadline


async def open_deadlines(calendar: WorkCalendar) -> list[OpenDeadline]:
    """The publication deadlines still running: results of completed campaigns not yet
    published, penalties not yet published. Earliest first."""
    found = [
        OpenDeadline(c.code, RESULTS, "", results_deadline(calendar, c.completed_on))
        for c in await Campaign.filter(status=CampaignStatus.COMPLETED, completed_on__isnull=False)
        if c.completed_on is not None
    ]
    penalties = await Penalty.filter(published_at=None).prefetch_related("task__campaign")
    found += [
        OpenDeadline(
            p.task.campaign.code, PENALTY, p.decision_no, penalty_deadline(calendar, p.decided_on)
        )
        for p in penalties
    ]
    return sorted(found, key=lambda d: (d.deadline.due, d.campaign, d.what, d.label))
