"""Imported years in the database: they extend and override the package, replace as a whole."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar_file import CalendarFileError
from domain.calendar_store import import_calendar_file, load_calendar
from domain.models import CalendarYear
from domain.workdays import CalendarNotCovered, results_publication_deadline

D = dt.date

# Invented for the tests: the real 2027 notice is not available here.
YEAR_2027 = """\
2027-01-01..2027-01-03,holiday,元旦
2027-02-06..2027-02-12,holiday,春节
2027-02-14,workday,春节调休
2027-02-20,workday,春节调休
"""


async def test_importing_2027_makes_a_december_2026_deadline_computable(db):
    before = await load_calendar()
    with pytest.raises(CalendarNotCovered) as err:
        results_publication_deadline(before, D(2026, 12, 15))
    assert err.value.year == 2027

    result = await import_calendar_file(YEAR_2027.encode(), "2027.csv", source="测试通知")
    assert not result.replaced_import and not result.overrides_package
    cal = await load_calendar()
    # Dec 16-18, 21-25, 28-31 (12 working days), then Jan 4-8, 11-13 with Jan 1-3 off.
    assert results_publication_deadline(cal, D(2026, 12, 15)).due == D(2027, 1, 13)
    assert cal.sources(D(2026, 12, 15), D(2027, 1, 13))[1] == (
        2027,
        cal.year(2027).source,
    )
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
