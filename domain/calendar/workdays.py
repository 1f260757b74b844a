"""Chinese working days: which dates are working days, and counting them as the law does.

A date is a working day when it is a swapped working day (调休上班), or a Monday to Friday that
is not a listed holiday. The lists come per year from one of two sources: a year an office
imported itself (`shuangsuiji calendar import FILE`, see `domain.calendar.holiday_file`), which
takes precedence, or the chinesecalendar package for the years it ships (2004–2026 in 1.11.0).
A date in a year neither covers is never guessed silently, since a missed holiday would move a
legal deadline: strict counting (`add_workdays`) raises an error naming the year; provisional
counting (`count_workdays`, `deadline`) counts Monday to Friday in such a year and says which
years it assumed, so that the result is shown as provisional (暂定) and recounted once the year
arrives.

Counting follows 民法典 §201: the start day is not counted; the period runs over the following
working days, so N working days after a date always ends on a working day (which also settles
§203, a period ending on a holiday moves to the next working day). `chinese_calendar.find_workday`
is not used: it counts the first working day on or after a holiday start as day 0, one day late.

This module is pure: plain dates in, plain dates out. `domain.calendar.imported.load_calendar()`
builds a `WorkCalendar` from the package and the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from domain.errors import UserError

ONE_DAY = dt.timedelta(days=1)
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class CalendarNotCovered(UserError):
    """A date falls in a year for which no source lists the holidays and swapped working days."""

    def __init__(self, year: int, covered: Iterable[int] = ()) -> None:
        self.year = year
        have = format_years(covered)
        super().__init__(
            f"没有 {year} 年的工作日历（法定节假日和调休上班日），无法按工作日计算。"
            f"已有年份：{have or '无'}。"
            f"请按国务院办公厅公布的 {year} 年部分节假日安排通知编写文件，"
            f"再运行 `shuangsuiji calendar import FILE` 导入（格式见 deploy/calendar/README.md）。"
        )


@dataclass(frozen=True)
class YearCalendar:
    """One year's official non-working and swapped working days.

    `holidays` may include weekend days inside a holiday period; that changes nothing but keeps
    the list as the notice states it. `names` maps a listed date to its festival's name.
    """

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    source: str
    names: Mapping[dt.date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        stray = sorted(d for d in self.holidays | self.workdays if d.year != self.year)
        if stray:
            raise ValueError(f"{self.year} calendar lists {stray[0]} of another year")
        both = sorted(self.holidays & self.workdays)
        if both:
            raise ValueError(f"{both[0]} is listed both as a holiday and as a working day")

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


@dataclass(frozen=True)
class Counted:
    """A day found by counting working days. `assumed`: the years no calendar covers, in which
    Monday to Friday were counted as working days; empty when the day is exact."""

    day: dt.date
    assumed: frozenset[int] = frozenset()

    @property
    def provisional(self) -> bool:
        return bool(self.assumed)


@dataclass(frozen=True)
class WorkCalendar:
    """Working-day arithmetic over the years it holds; any other year raises CalendarNotCovered."""

    years: Mapping[int, YearCalendar]

    def merged(self, overrides: Iterable[YearCalendar]) -> WorkCalendar:
        """A calendar where each of `overrides` replaces whatever this one had for its year."""
        years = dict(self.years)
        years.update((y.year, y) for y in overrides)
        return WorkCalendar(years)

    def covered_years(self) -> list[int]:
        return sorted(self.years)

    def year(self, year: int) -> YearCalendar:
        try:
            return self.years[year]
        except KeyError:
            raise CalendarNotCovered(year, self.years) from None

    def covers(self, year: int) -> bool:
        return year in self.years

    def uncovered_years(self, start: dt.date, end: dt.date) -> list[int]:
        low, high = sorted((start.year, end.year))
        return [y for y in range(low, high + 1) if y not in self.years]

    def is_workday(self, day: dt.date) -> bool:
        return self._workday(day, None)

    def _workday(self, day: dt.date, assumed: set[int] | None) -> bool:
        """Strict when `assumed` is None; otherwise an uncovered year's weekdays count, and the
        year is added to `assumed`."""
        year = self.years.get(day.year)
        if year is not None:
            return year.is_workday(day)
        if assumed is None:
            raise CalendarNotCovered(day.year, self.years)
        assumed.add(day.year)
        return day.weekday() < 5

    def _count(self, start: dt.date, n: int, assumed: set[int] | None) -> dt.date:
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day = start
        remaining = abs(n)
        while remaining:
            day += step
            if self._workday(day, assumed):
                remaining -= 1
        return day

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The day on which a period of `n` working days starting on `start` ends.

        `start` is not counted (it may itself be a holiday); n = 0 gives `start`; a negative n
        counts back the same way (the |n|-th working day before `start`). Raises
        CalendarNotCovered when the count crosses a year no calendar covers.
        """
        return self._count(start, n, None)

    def count_workdays(self, start: dt.date, n: int) -> Counted:
        """As add_workdays, but an uncovered year is counted Monday to Friday and named in the
        result instead of raising: for deadlines that must be recorded whatever the calendar."""
        assumed: set[int] = set()
        day = self._count(start, n, assumed)
        return Counted(day, frozenset(assumed))

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days from `start` (not counted) to `end` (counted); negative when end < start.

        The inverse of add_workdays: workdays_between(s, add_workdays(s, n)) == n.
        """
        return self._between(start, end, None)

    def count_between(self, start: dt.date, end: dt.date) -> tuple[int, frozenset[int]]:
        """As workdays_between, counting an uncovered year Monday to Friday: (count, years
        assumed)."""
        assumed: set[int] = set()
        return self._between(start, end, assumed), frozenset(assumed)

    def _between(self, start: dt.date, end: dt.date, assumed: set[int] | None) -> int:
        if end >= start:
            return sum(self._workday(d, assumed) for d in _days(start + ONE_DAY, end))
        return -sum(self._workday(d, assumed) for d in _days(end, start - ONE_DAY))

    def sources(self, start: dt.date, end: dt.date) -> list[tuple[int, str | None]]:
        """(year, source) for every year the span touches, in order; None for a year no
        calendar covers."""
        low, high = sorted((start.year, end.year))
        found = {y: self.years[y].source for y in range(low, high + 1) if y in self.years}
        return [(y, found.get(y)) for y in range(low, high + 1)]


# 十: results are published within 20 working days of the campaign's completion, penalty
# information within 7 working days of the penalty decision.
RESULTS_PUBLICATION_WORKDAYS = 20
PENALTY_PUBLICATION_WORKDAYS = 7


@dataclass(frozen=True)
class DeadlineStatus:
    due: dt.date
    remaining: int  # working days after today up to and including `due`; 0 once due
    overdue: int  # working days after `due` up to and including today; 0 if not overdue
    is_overdue: bool  # today is after `due` (even if only a weekend has passed)
    assumed: frozenset[int] = frozenset()  # years counted Monday to Friday (provisional)


@dataclass(frozen=True)
class Deadline:
    """`assumed`: the years no calendar covered when `due` was counted (Monday to Friday were
    counted there); a deadline with any is provisional (暂定) until those years are imported."""

    start: dt.date
    workdays: int
    due: dt.date
    assumed: frozenset[int] = frozenset()

    @property
    def provisional(self) -> bool:
        return bool(self.assumed)

    def status(self, calendar: WorkCalendar, today: dt.date) -> DeadlineStatus:
        if today <= self.due:
            left, assumed = calendar.count_between(today, self.due)
            return DeadlineStatus(self.due, left, 0, False, self.assumed | assumed)
        late, assumed = calendar.count_between(self.due, today)
        return DeadlineStatus(self.due, 0, late, True, self.assumed | assumed)


def deadline(calendar: WorkCalendar, start: dt.date, workdays: int) -> Deadline:
    """A period of `workdays` working days that starts on `start` (start day not counted);
    provisional when it reaches a year no calendar covers."""
    if workdays < 0:
        raise ValueError("a deadline needs a non-negative number of working days")
    counted = calendar.count_workdays(start, workdays)
    return Deadline(start, workdays, counted.day, counted.assumed)


def results_publication_deadline(calendar: WorkCalendar, completed_on: dt.date) -> Deadline:
    return deadline(calendar, completed_on, RESULTS_PUBLICATION_WORKDAYS)


def penalty_publication_deadline(calendar: WorkCalendar, decided_on: dt.date) -> Deadline:
    return deadline(calendar, decided_on, PENALTY_PUBLICATION_WORKDAYS)


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def format_years(years: Iterable[int]) -> str:
    """2004–2026、2028 style: consecutive years collapsed into ranges."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def package_years() -> dict[int, YearCalendar]:
    """The years the installed chinesecalendar ships, as plain data.

    A year counts as covered only if the package lists at least one holiday in it: its own
    range check (min..max year) would let a year missing from the middle pass as all-weekdays.
    """
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    source = f"chinesecalendar {chinese_calendar.__version__}"
    zh = {h.value: h.chinese for h in Holiday}
    by_year: dict[int, tuple[set[dt.date], set[dt.date], dict[dt.date, str]]] = {}
    for table, is_holiday in (
        (chinese_calendar.holidays, True),
        (chinese_calendar.workdays, False),
    ):
        for day, name in table.items():
            hol, work, names = by_year.setdefault(day.year, (set(), set(), {}))
            (hol if is_holiday else work).add(day)
            names[day] = zh.get(name, name)
    return {
        year: YearCalendar(year, frozenset(hol), frozenset(work), source, names)
        for year, (hol, work, names) in by_year.items()
        if hol
    }


def describe_day(day: dt.date) -> str:
    return f"{day.isoformat()}（{WEEKDAYS_ZH[day.weekday()]}）"
