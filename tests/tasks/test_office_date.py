"""Dates are the office's: at 20:00 UTC it is already the next morning in Beijing."""

from __future__ import annotations

import datetime as dt

import pytest

from domain import clock
from domain.calendar.imported import load_calendar
from domain.campaigns.status import campaign_status
from domain.publication.notices import results_notice
from domain.storage.models import Campaign, Reminder, Report, Task
from domain.tasks import closing, reporting, team, visit
from tests.kit.drawn import REPORT

pytestmark = pytest.mark.clock("2026-12-06T20:00:00+00:00")  # 2026-12-07 04:00 in Beijing


async def test_a_campaign_completed_before_dawn_in_beijing_is_dated_that_day(drawn):
    assert clock.today() == dt.date(2026, 12, 7)
    for task in drawn.tasks:
        await visit.cancel(drawn.coordinator, task.id, "对象已注销")
    campaign = await Campaign.get(code="2026-RF-09")
    assert campaign.status == "completed" and campaign.completed_on == dt.date(2026, 12, 7)
    status = await campaign_status(drawn.coordinator, "2026-RF-09")
    assert status.results_due.start == dt.date(2026, 12, 7)
    expected = (await load_calendar()).count_workdays(dt.date(2026, 12, 7), 20).day
    assert status.results_due.due == expected
    for reminder in await Reminder.filter(kind__startswith="results.publish"):
        assert reminder.payload["start"] == "2026-12-07"
        assert reminder.payload["due_date"] == expected.isoformat()

    await closing.publish_campaign(drawn.coordinator, "2026-RF-09")
    notice = await results_notice("2026-RF-09")
    assert notice["completed_on"] == "2026-12-07" and notice["published_on"] == "2026-12-07"


async def test_a_report_ended_late_in_the_utc_evening_is_completed_the_next_day(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    await team.accept(member, task.id)
    await visit.check_in(leader, task.id, 33.75, 113.31)
    # An app may send UTC: 19:30Z is 03:30 on 7 December in Beijing.
    late = {**REPORT, "started_at": "2026-12-06T18:30:00Z", "ended_at": "2026-12-06T19:30:00Z"}
    await reporting.save_report(leader, task.id, late)
    await reporting.sign_report(leader, task.id)
    await reporting.sign_report(member, task.id)
    await reporting.submit_report(member, task.id)
    await reporting.review(drawn.coordinator, task.id, "approve", "同意")
    assert (await Report.get(task_id=task.id)).completed_on == dt.date(2026, 12, 7)
    assert (await Task.get(id=task.id)).completed_on == dt.date(2026, 12, 7)


async def test_could_not_inspect_before_dawn_is_dated_that_day(drawn):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    await team.accept(leader, task.id)
    await team.accept(member, task.id)
    await visit.could_not_inspect(leader, task.id, "经营场所已关闭", ["7"])
    report = await Report.get(task_id=task.id)
    assert report.completed_on == dt.date(2026, 12, 7)
