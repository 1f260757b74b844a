"""Before the dice: a campaign whose period, or its due date's reminders, reach a year with no
working-day calendar, or whose due date has passed, is refused at prepare, with the fix, and
nothing is frozen."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar.imported import import_calendar_file
from domain.campaigns.plan import edit_campaign
from domain.campaigns.prepare import prepare_draw
from domain.errors import UserError
from domain.storage.models import Draw, DrawCandidates
from tests.kit.calendar_years import LAST_COVERED, UNCOVERED
from tests.kit.draw_demo import CODE, actions, demo

# Set inside every campaign below; the refusal must not depend on the machine's date.
pytestmark = pytest.mark.clock(f"{LAST_COVERED}-11-20 10:00")


async def refused(actor, year: int) -> str:
    with pytest.raises(UserError) as err:
        await prepare_draw(actor, CODE)
    message = str(err.value)
    assert f"{year} 年" in message and "shuangsuiji calendar import FILE" in message
    assert await Draw.all().count() == 0 and await DrawCandidates.all().count() == 0
    assert "draw.prepare" not in await actions()
    return message


async def test_a_due_date_in_a_missing_year_is_refused_before_anything_is_frozen(db):
    actor = await demo(start_date=dt.date(LAST_COVERED, 11, 2), due_date=dt.date(UNCOVERED, 1, 15))
    message = await refused(actor, UNCOVERED)
    assert CODE in message and f"{UNCOVERED}-01-15" in message


async def test_a_last_day_whose_overdue_reminder_falls_in_a_missing_year_is_refused(db):
    # 31 December is covered, but the first overdue reminder is the next working day.
    actor = await demo(
        start_date=dt.date(LAST_COVERED, 11, 2), due_date=dt.date(LAST_COVERED, 12, 31)
    )
    await refused(actor, UNCOVERED)


async def test_once_the_year_is_imported_the_same_campaign_prepares(db):
    actor = await demo(start_date=dt.date(LAST_COVERED, 11, 2), due_date=dt.date(UNCOVERED, 1, 15))
    await refused(actor, UNCOVERED)
    year = f"{UNCOVERED}-01-01,holiday,元旦\n"
    await import_calendar_file(year.encode(), f"{UNCOVERED}.csv")
    prepared = await prepare_draw(actor, CODE)
    assert prepared.commitment and await Draw.all().count() == 1


def test_the_command_says_which_year_and_how(shuangsuiji):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    created = shuangsuiji(
        "campaign", "create", "2026-RF-77", "跨年抽查", "--department", "419800",
        "--items", "RF-419800-001", "--start", f"{LAST_COVERED}-12-01",
        "--due", f"{UNCOVERED}-01-20",
    )  # fmt: skip
    assert created.returncode == 0
    code, out, err = shuangsuiji("draw", "prepare", "2026-RF-77")
    assert code == 1
    assert "承诺" not in out and f"{UNCOVERED} 年的工作日历" in err
    assert "calendar import" in err and "尚未冻结任何名单" in err


async def test_a_campaign_whose_due_date_has_passed_is_refused_until_corrected(db, office_clock):
    # A period typed in the wrong year: every task would be overdue as it is drawn.
    due = dt.date(LAST_COVERED, 11, 30)
    actor = await demo(start_date=dt.date(LAST_COVERED, 11, 2), due_date=due)
    office_clock.set(f"{LAST_COVERED}-12-01 09:00")
    with pytest.raises(UserError) as err:
        await prepare_draw(actor, CODE)
    message = str(err.value)
    assert f"截止日期 {due} 已过（今天是 {LAST_COVERED}-12-01）" in message
    assert f"shuangsuiji campaign edit {CODE}" in message
    assert await Draw.all().count() == 0 and await DrawCandidates.all().count() == 0
    await edit_campaign(actor, CODE, {"due_date": dt.date(LAST_COVERED, 12, 1)})  # due today
    await prepare_draw(actor, CODE)
    assert await Draw.all().count() == 1
