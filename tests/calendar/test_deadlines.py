"""Task and publication reminders in working days, fanned out to whoever they concern."""

from __future__ import annotations

import datetime as dt

from domain import clock
from domain.calendar import deadlines
from domain.calendar.imported import load_calendar
from domain.messaging import outbox
from domain.storage.models import MemberStatus, Reminder, TeamMember
from tests.kit.factories import world


async def test_task_reminders_across_national_day(db):
    calendar = await load_calendar()
    notified = dt.datetime(2025, 9, 25, 2, 0, tzinfo=dt.UTC)
    planned = deadlines.plan_task_reminders(calendar, notified, dt.date(2025, 10, 10))
    when = {p.kind: p.at.astimezone(clock.office_tz()) for p in planned}
    assert when["task.accept"] == notified.astimezone(clock.office_tz()) + dt.timedelta(days=1)
    # Oct 1-8 are holidays and Sep 28 (Sunday) a working day: 3 working days before Oct 10
    # (Friday) are Oct 9, Sep 30 and Sep 29.
    assert when["task.due3"].date() == dt.date(2025, 9, 29)
    assert when["task.due1"].date() == dt.date(2025, 10, 9)
    assert when["task.overdue"].date() == dt.date(2025, 10, 11)  # a swapped working Saturday
    assert when["task.due1"].hour == 9


async def test_results_deadline_is_twenty_working_days(db):
    calendar = await load_calendar()
    assert deadlines.results_deadline(calendar, dt.date(2025, 9, 26)).due == dt.date(2025, 10, 30)
    # Oct 9, 10, 11 (a swapped Saturday), 13, 14, 15, 16.
    assert deadlines.penalty_deadline(calendar, dt.date(2025, 9, 30)).due == dt.date(2025, 10, 16)


async def test_overdue_reaches_team_and_coordinators_then_plans_the_next_day(db):
    w = await world("on_site")
    due = dt.date(2026, 9, 30)
    calendar = await load_calendar()
    await deadlines.schedule(
        "task",
        w.task.id,
        [
            p
            for p in deadlines.plan_task_reminders(
                calendar, deadlines.office_morning(due) - dt.timedelta(days=20), due
            )
            if p.kind == "task.overdue"
        ],
    )
    first = await Reminder.get(kind="task.overdue")
    messages = await outbox.claim_due_reminders(first.due_at)
    people = sorted((m.recipient_kind, m.recipient_id) for m in messages)
    assert people == sorted(
        [("inspector", w.leader.id), ("inspector", w.member.id), ("coordinator", w.coordinator.id)]
    )
    following = await Reminder.filter(kind="task.overdue", status="pending").first()
    assert following.due_at.astimezone(clock.office_tz()).date() == calendar.add_workdays(
        first.due_at.astimezone(clock.office_tz()).date(), 1
    )
    assert await outbox.claim_due_reminders(first.due_at) == []


async def test_accept_reminder_skips_who_accepted_and_closed_tasks(db):
    w = await world("notified")
    await TeamMember.filter(inspector_id=w.leader.id).update(status=MemberStatus.ACCEPTED)
    at = dt.datetime(2026, 11, 21, 2, tzinfo=dt.UTC)
    await deadlines.schedule(
        "task", w.task.id, [deadlines.PlannedReminder("task.accept", at, "team", {})]
    )
    messages = await outbox.claim_due_reminders(at)
    assert [(m.recipient_kind, m.recipient_id) for m in messages] == [("inspector", w.member.id)]
    w.task.state = "cancelled"
    await w.task.save()
    await deadlines.schedule(
        "task", w.task.id, [deadlines.PlannedReminder("task.due1", at, "team", {"x": 1})]
    )
    assert await outbox.claim_due_reminders(at) == []
