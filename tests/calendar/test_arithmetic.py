"""Working-day arithmetic over the package's years, checked against the State Council notices."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar.imported import package_calendar
from domain.calendar.workdays import (
    CalendarNotCovered,
    WorkCalendar,
    YearCalendar,
    deadline,
    format_years,
    penalty_publication_deadline,
    results_publication_deadline,
)

D = dt.date
CAL = package_calendar()


def test_package_covers_2004_to_2026_and_no_later():
    assert CAL.covered_years() == list(range(2004, 2027))
    with pytest.raises(CalendarNotCovered) as err:
        CAL.is_workday(D(2027, 1, 4))
    assert err.value.year == 2027
    assert "2027" in str(err.value)
    assert "shuangsuiji calendar import FILE" in str(err.value)


def test_agrees_with_the_package_on_every_day_it_covers():
    day, last = D(2004, 1, 1), D(2026, 12, 31)
    while day <= last:
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


# 国办发明电〔2024〕12号 (2025) and 国办发明电〔2025〕7号 (2026): days off and swapped working days.
NOTICES = {
    "2025 春节": ((D(2025, 1, 28), D(2025, 2, 4)), [D(2025, 1, 26), D(2025, 2, 8)]),
    "2025 国庆中秋": ((D(2025, 10, 1), D(2025, 10, 8)), [D(2025, 9, 28), D(2025, 10, 11)]),
    "2026 元旦": ((D(2026, 1, 1), D(2026, 1, 3)), [D(2026, 1, 4)]),
    "2026 春节": ((D(2026, 2, 15), D(2026, 2, 23)), [D(2026, 2, 14), D(2026, 2, 28)]),
    "2026 劳动节": ((D(2026, 5, 1), D(2026, 5, 5)), [D(2026, 5, 9)]),
    "2026 国庆": ((D(2026, 10, 1), D(2026, 10, 7)), [D(2026, 9, 20), D(2026, 10, 10)]),
}


@pytest.mark.parametrize("name", NOTICES)
def test_official_days_off_and_swapped_working_days(name):
    (first, last), swapped = NOTICES[name]
    day = first
    while day <= last:
        assert not CAL.is_workday(day), day
        day += dt.timedelta(days=1)
    for day in swapped:
        assert day.weekday() >= 5 and CAL.is_workday(day), day
    assert (
        CAL.is_workday(last + dt.timedelta(days=1)) or (last + dt.timedelta(days=1)).weekday() >= 5
    )


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        # National Day + Mid-Autumn 2025: the Sunday before is worked, Oct 1-8 off, Sat 11 worked.
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 28), 1, D(2025, 9, 29)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
        (D(2025, 9, 30), 5, D(2025, 10, 14)),
        # Spring Festival 2025.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
        # New Year 2026 across the year boundary: Jan 1-3 off, Sunday Jan 4 worked.
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        (D(2025, 12, 31), 2, D(2026, 1, 5)),
        # Spring Festival 2026: Sat Feb 14 and Sat Feb 28 worked, Feb 15-23 off.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),
        # Mid-Autumn (Sep 25-27) then National Day 2026 (Oct 1-7), Sun Sep 20 and Sat Oct 10 worked.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 24), 1, D(2026, 9, 28)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        # Penalty information: 7 working days from a decision on the eve of National Day 2025.
        (D(2025, 9, 30), 7, D(2025, 10, 16)),
    ],
)
def test_add_workdays_across_holidays(start, n, end):
    assert CAL.add_workdays(start, n) == end
    assert CAL.workdays_between(start, end) == n
    assert CAL.add_workdays(end, -n) == start or not CAL.is_workday(start)


def test_start_on_a_holiday_is_not_counted_where_find_workday_is_a_day_late():
    start = D(2025, 10, 3)  # in the National Day break
    assert CAL.add_workdays(start, 1) == D(2025, 10, 9)
    assert chinese_calendar.find_workday(1, start) == D(2025, 10, 10)
    start = D(2026, 2, 16)  # in the Spring Festival break
    assert CAL.add_workdays(start, 20) == D(2026, 3, 20)
    assert chinese_calendar.find_workday(20, start) == D(2026, 3, 23)


def test_zero_working_days_is_the_start_day_itself_even_on_a_holiday():
    assert CAL.add_workdays(D(2025, 10, 1), 0) == D(2025, 10, 1)
    assert CAL.workdays_between(D(2025, 10, 1), D(2025, 10, 1)) == 0


def test_working_days_per_year_as_counted_by_hand_from_the_notices():
    # 261 weekdays, minus 18 (2025) / 19 (2026) weekday holidays, plus 5 / 6 swapped days.
    assert CAL.workdays_between(D(2024, 12, 31), D(2025, 12, 31)) == 248
    assert CAL.workdays_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_large_n_across_many_years():
    start = D(2004, 3, 1)
    end = CAL.add_workdays(start, 5000)
    assert end.year == 2024
    assert CAL.workdays_between(start, end) == 5000
    assert CAL.add_workdays(end, -5000) == start
    assert end == chinese_calendar.find_workday(5000, start)  # start is a working day


def test_running_past_the_last_covered_year_names_that_year():
    with pytest.raises(CalendarNotCovered) as err:
        CAL.add_workdays(D(2026, 12, 15), 20)
    assert err.value.year == 2027
    with pytest.raises(CalendarNotCovered) as err:
        CAL.add_workdays(D(2004, 1, 5), -10)
    assert err.value.year == 2003
    assert CAL.add_workdays(D(2026, 12, 15), 12) == D(2026, 12, 31)  # still inside 2026


def test_sources_name_each_year_of_the_span():
    assert CAL.sources(D(2025, 12, 20), D(2026, 1, 10)) == [
        (2025, f"chinesecalendar {chinese_calendar.__version__}"),
        (2026, f"chinesecalendar {chinese_calendar.__version__}"),
    ]


def test_an_imported_year_replaces_the_package_year():
    # An office that finds the package wrong for 2026 imports its own 2026: it wins.
    fixed = YearCalendar(2026, frozenset({D(2026, 12, 31)}), frozenset(), "本单位导入")
    cal = CAL.merged([fixed])
    assert not cal.is_workday(D(2026, 12, 31))
    assert cal.is_workday(D(2026, 10, 5))  # the package's National Day no longer applies
    assert CAL.is_workday(D(2026, 12, 31))  # the original is untouched
    assert cal.year(2025) is CAL.year(2025)


def test_a_year_calendar_refuses_contradictions():
    with pytest.raises(ValueError, match="both"):
        YearCalendar(2027, frozenset({D(2027, 2, 6)}), frozenset({D(2027, 2, 6)}), "x")
    with pytest.raises(ValueError, match="another year"):
        YearCalendar(2027, frozenset({D(2028, 1, 1)}), frozenset(), "x")


def test_deadlines_and_their_status():
    results = results_publication_deadline(CAL, D(2025, 9, 19))
    # Sep 22-26, Sun 28, 29, 30, Oct 9, 10, Sat 11, 13-17, 20-23: the 20th is Thursday Oct 23.
    assert results.due == D(2025, 10, 23)
    assert penalty_publication_deadline(CAL, D(2025, 9, 30)).due == D(2025, 10, 16)
    status = results.status(CAL, D(2025, 10, 21))
    assert (status.remaining, status.overdue, status.is_overdue) == (2, 0, False)
    status = results.status(CAL, D(2025, 10, 23))
    assert (status.remaining, status.overdue, status.is_overdue) == (0, 0, False)
    status = results.status(CAL, D(2025, 10, 25))  # Friday worked, then Saturday: 1 day late
    assert (status.remaining, status.overdue, status.is_overdue) == (0, 1, True)
    status = results.status(CAL, D(2025, 10, 27))
    assert (status.overdue, status.is_overdue) == (2, True)
    friday = deadline(CAL, D(2025, 10, 16), 1)
    assert friday.due == D(2025, 10, 17)
    status = friday.status(CAL, D(2025, 10, 18))  # late, though no working day has passed
    assert (status.remaining, status.overdue, status.is_overdue) == (0, 0, True)
    with pytest.raises(ValueError):
        deadline(CAL, D(2025, 1, 1), -1)


def test_format_years_collapses_runs():
    assert format_years([2026, 2004, 2005, 2006, 2028]) == "2004–2006、2026、2028"
    assert format_years([]) == ""


covered_days = st.dates(D(2004, 1, 1), D(2025, 6, 30))


@given(start=covered_days, n=st.integers(0, 300))
def test_add_workdays_lands_on_a_working_day_and_inverts(start, n):
    end = CAL.add_workdays(start, n)
    assert end >= start
    assert CAL.workdays_between(start, end) == n
    if n:
        assert CAL.is_workday(end)
        assert CAL.workdays_between(start, end - dt.timedelta(days=1)) == n - 1
    if CAL.is_workday(start):
        assert CAL.add_workdays(end, -n) == start
        assert end == chinese_calendar.find_workday(n, start)


@given(start=covered_days, a=st.integers(0, 150), b=st.integers(0, 150))
def test_add_workdays_composes(start, a, b):
    assert CAL.add_workdays(CAL.add_workdays(start, a), b) == CAL.add_workdays(start, a + b)


def test_empty_calendar_error_says_no_years():
    with pytest.raises(CalendarNotCovered, match="已有年份：无"):
        WorkCalendar({}).is_workday(D(2025, 1, 2))
