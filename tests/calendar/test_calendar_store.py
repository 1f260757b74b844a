"""Imported years in the database: they extend and override the package, replace as a whole."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar.holiday_file import CalendarFileError
from domain.calendar.imported import import_calendar_file, load_calendar
from domain.calendar.workdays import CalendarNotCovered, results_publication_deadline
from domain.storage.models import CalendarYear

D = dt.date

# Invented for the tests: the real 2027 notice is not available here.
YEAR_2027 = """\
2027-01-01..2027-01-03,holiday,元旦
2027-02-06..2027-02-12,holiday,春节
2027-02-14,workday,春节调休
2027-02-20,workday,春节调休
"""


async def test_importing_a_year_makes_a_deadline_reaching_it_exact(db):
    # 2098 and 2099 are invented, and far beyond any release of the package.
    await import_calendar_file("2098-10-01..2098-10-07,holiday,国庆节\n".encode(), "2098.csv")
    before = await load_calendar()
    with pytest.raises(CalendarNotCovered) as err:
        before.add_workdays(D(2098, 12, 15), 20)
    assert err.value.year == 2099
    guessed = results_publication_deadline(before, D(2098, 12, 15))
    assert guessed.provisional and guessed.assumed == {2099}
    assert guessed.due == D(2099, 1, 12)  # Monday to Friday: Jan 1 and 2 counted

    year_2099 = "2099-01-01..2099-01-03,holiday,元旦\n2099-01-04,workday,元旦调休\n"
    result = await import_calendar_file(year_2099.encode(), "2099.csv", source="测试通知")
    assert not result.replaced_import and not result.overrides_package
    cal = await load_calendar()
    # Dec 16-19, 22-26, 29-31 (12 working days), then Jan 4 (a Sunday worked), 5-9, 12, 13.
    exact = results_publication_deadline(cal, D(2098, 12, 15))
    assert exact.due == D(2099, 1, 13) and not exact.provisional
    assert cal.sources(D(2098, 12, 15), D(2099, 1, 13))[1] == (2099, cal.year(2099).source)
    assert "测试通知" in cal.year(2099).source and "2099.csv" in cal.year(2099).source


async def test_an_imported_year_counts_its_holidays_and_swapped_days(db):
    await import_calendar_file(YEAR_2027.encode(), "2027.csv", source="测试通知")
    cal = await load_calendar()
    assert "测试通知" in cal.year(2027).source and "2027.csv" in cal.year(2027).source
    assert cal.is_workday(D(2027, 2, 14)) and not cal.is_workday(D(2027, 2, 8))
    assert cal.year(2027).names[D(2027, 2, 8)] == "春节"
    assert cal.add_workdays(D(2027, 2, 5), 1) == D(2027, 2, 14)
    with pytest.raises(CalendarNotCovered, match="2028"):
        cal.add_workdays(D(2027, 12, 1), 30)


async def test_reimport_replaces_the_whole_year(db):
    await import_calendar_file(YEAR_2027.encode(), "2027.csv")
    result = await import_calendar_file(
        "2027-10-01..2027-10-07,holiday,国庆节\n".encode(), "fix.csv"
    )
    assert result.replaced_import
    assert await CalendarYear.filter(year=2027).count() == 1
    cal = await load_calendar()
    assert cal.is_workday(D(2027, 2, 8))  # the first file's Spring Festival is gone
    assert not cal.is_workday(D(2027, 2, 14)) and not cal.is_workday(D(2027, 10, 5))
    assert "fix.csv" in cal.year(2027).source


async def test_a_bad_file_stores_nothing_and_keeps_the_previous_import(db):
    bad = YEAR_2027 + "2027-03-03,workday,typo\n"
    with pytest.raises(CalendarFileError, match="第 5 行"):
        await import_calendar_file(bad.encode(), "2027.csv")
    assert await CalendarYear.all().count() == 0

    await import_calendar_file(YEAR_2027.encode(), "2027.csv")
    with pytest.raises(CalendarFileError):
        await import_calendar_file(b"2027-10-01,holiday\n2028-01-01,holiday\n", "mixed.csv")
    cal = await load_calendar()
    assert not cal.is_workday(D(2027, 2, 8)) and cal.is_workday(D(2027, 10, 1))


async def test_an_imported_year_takes_precedence_over_the_package(db):
    result = await import_calendar_file(
        b'{"year": 2026, "holidays": ["2026-12-31"]}', "2026.json", source="更正"
    )
    assert result.overrides_package
    cal = await load_calendar()
    assert not cal.is_workday(D(2026, 12, 31))
    assert cal.is_workday(D(2026, 10, 5))
    assert cal.year(2026).source.startswith("本单位导入：更正")
    assert cal.year(2025).source.startswith("chinesecalendar")
