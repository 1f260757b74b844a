"""A deadline that reaches a year with no calendar: recorded anyway, marked provisional (暂定),
announced to the coordinators, and counted exactly once the year is imported.

2098 and 2099 are invented years, beyond any release of chinesecalendar: 2098 is imported
(only National Day off, so its December is plain weekdays) and 2099 is missing until a test
imports it with 1-3 January off and Sunday 4 January worked.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain import clock
from domain.calendar.imported import import_calendar_file, load_calendar
from domain.calendar.provisional import open_deadlines
from domain.campaigns.status import campaign_status
from domain.messaging import outbox
from domain.storage.models import OutboxMessage, Reminder, ReminderStatus
from domain.tasks import closing
from tests.kit.factories import world

pytestmark = pytest.mark.clock("2098-12-15 10:00")  # a Monday

D = dt.date
YEAR_2098 = "2098-10-01..2098-10-07,holiday,国庆节\n"
YEAR_2099 = "2099-01-01..2099-01-03,holiday,元旦\n2099-01-04,workday,元旦调休\n"


@pytest.fixture
async def completed(db):
    await import_calendar_file(YEAR_2098.encode(), "2098.csv")
    w = await world("approved")
    coordinator = w.actor(w.coordinator)
    campaign = await closing.refresh_completion(coordinator, w.campaign.code)
    return w, coordinator, campaign


async def reminder_days(prefix: str) -> dict[str, dt.date]:
    rows = await Reminder.filter(kind__startswith=prefix, status=ReminderStatus.PENDING)
    return {r.kind: clock.local_date(r.due_at) for r in rows}


def results_days(*january: int) -> dict[str, dt.date]:
    """The results reminders (5 and 1 working days before, and on the day) on those days."""
    kinds = ("results.publish.due5", "results.publish.due1", "results.publish.due0")
    return {kind: D(2099, 1, day) for kind, day in zip(kinds, january, strict=True)}


async def test_completion_into_a_missing_year_is_recorded_with_a_provisional_deadline(completed):
    w, coordinator, campaign = completed
    assert campaign.status == "completed" and campaign.completed_on == D(2098, 12, 15)
    # Monday to Friday in 2099: 12 working days in December, then 1, 2, 5-9 and 12 January.
    assert await reminder_days("results.publish") == results_days(5, 9, 12)
    for reminder in await Reminder.filter(kind__startswith="results.publish"):
        assert reminder.payload["due_date"] == "2099-01-12"
        assert reminder.payload["provisional"]["years"] == [2099]
    status = await campaign_status(coordinator, campaign.code)
    assert status.results_due.due == D(2099, 1, 12) and status.results_due.assumed == {2099}

    # The coordinators are told now which year is missing.
    told = [m for m in await outbox.claim_due_reminders() if m.kind == "calendar.missing"]
    assert [(m.recipient_kind, m.recipient_id) for m in told] == [("coordinator", w.coordinator.id)]
    assert told[0].payload["year"] == 2099 and told[0].payload["due_date"] == "2099-01-12"
    assert told[0].payload["what"] == "results"

    # Nothing waits for the calendar: the results go public, which ends their reminders.
    assert await closing.publish_campaign(coordinator, campaign.code) == 1
    assert await reminder_days("results.publish") == {}


async def test_importing_the_year_recounts_every_provisional_reminder(completed):
    _, coordinator, campaign = completed
    result = await import_calendar_file(YEAR_2099.encode(), "2099.csv")
    assert {r.kind for r in result.recounted} == {
        "results.publish.due5",
        "results.publish.due1",
        "results.publish.due0",
    }
    assert all(r.due_was == "2099-01-12" and r.due_now == "2099-01-13" for r in result.recounted)
    # With 1-3 January off and the 4th worked: 4, 5-9, 12, 13 January.
    assert await reminder_days("results.publish") == results_days(6, 12, 13)
    for reminder in await Reminder.filter(kind__startswith="results.publish"):
        assert reminder.payload["due_date"] == "2099-01-13"
        assert "provisional" not in reminder.payload
        assert reminder.dedupe_key.endswith(":2099-01-13")
    status = await campaign_status(coordinator, campaign.code)
    assert status.results_due.due == D(2099, 1, 13) and not status.results_due.provisional
    # The notice that the year was missing, not sent yet, is no longer needed.
    notice = await Reminder.get(kind="calendar.missing")
    assert notice.status == ReminderStatus.CANCELLED
    assert not await OutboxMessage.filter(kind="calendar.missing").exists()


async def test_a_penalty_into_a_missing_year_is_recorded_and_recounted(completed, office_clock):
    w, coordinator, campaign = completed
    office_clock.set("2098-12-29 10:00")
    penalty = await closing.record_penalty(
        coordinator, w.task.id, "示人防罚〔2098〕1号", D(2098, 12, 28), "罚款一万元"
    )
    # 29-31 December, then 1, 2, 5 and 6 January counted as weekdays.
    assert (await reminder_days("penalty.publish"))["penalty.publish.due0"] == D(2099, 1, 6)
    [(number, due)] = (await campaign_status(coordinator, campaign.code)).penalties_due
    assert number == penalty.decision_no and due.due == D(2099, 1, 6) and due.provisional
    running = await open_deadlines(await load_calendar())
    assert [(d.what, d.label, d.deadline.provisional) for d in running] == [
        ("penalty", "示人防罚〔2098〕1号", True),
        ("results", "", True),
    ]

    await import_calendar_file(YEAR_2099.encode(), "2099.csv")
    # 29-31 December, then 4 (worked), 5, 6 and 7 January.
    assert (await reminder_days("penalty.publish"))["penalty.publish.due0"] == D(2099, 1, 7)
    [(_, due)] = (await campaign_status(coordinator, campaign.code)).penalties_due
    assert due.due == D(2099, 1, 7) and not due.provisional
    assert not any(d.deadline.provisional for d in await open_deadlines(await load_calendar()))


async def test_an_overdue_task_is_reminded_into_a_missing_year(db, office_clock):
    await import_calendar_file(YEAR_2098.encode(), "2098.csv")
    w = await world("on_site")
    await closing.deadlines.schedule(
        "task",
        w.task.id,
        [
            closing.deadlines.PlannedReminder(
                "task.overdue",
                closing.deadlines.office_morning(D(2098, 12, 31)),
                "team",
                {"due_date": "2098-12-30"},
            )
        ],
    )
    office_clock.set("2098-12-31 10:00")
    assert await outbox.claim_due_reminders()  # the team is told, and the next day planned
    following = await Reminder.get(kind="task.overdue", status=ReminderStatus.PENDING)
    assert clock.local_date(following.due_at) == D(2099, 1, 1)  # a Thursday, as far as known
    assert following.payload["provisional"]["years"] == [2099]

    await import_calendar_file(YEAR_2099.encode(), "2099.csv")
    following = await Reminder.get(kind="task.overdue", status=ReminderStatus.PENDING)
    assert clock.local_date(following.due_at) == D(2099, 1, 4)  # the Sunday worked
    assert following.payload == {"due_date": "2098-12-30"}
    assert following.dedupe_key.endswith(":2099-01-04")
