"""Imported calendar years in the database, merged over the chinesecalendar package's years.

Importing a year also recounts, in the same transaction, every pending reminder that was
counted over it provisionally (domain.calendar.provisional)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain import clock
from domain.calendar.holiday_file import CalendarFile, parse_calendar_file
from domain.calendar.workdays import WorkCalendar, YearCalendar, package_years
from domain.storage.models.calendar import CalendarYear


@functools.cache
def _package_years() -> dict[int, YearCalendar]:
    return package_years()


def package_calendar() -> WorkCalendar:
    return WorkCalendar(_package_years())


async def load_calendar(*, connection: BaseDBAsyncClient | None = None) -> WorkCalendar:
    """The package's years with every imported year replacing or adding to them."""
    rows = await CalendarYear.all().using_db(connection)
    return package_calendar().merged(_to_year(row) for row in rows)


@dataclass(frozen=True)
class ImportResult:
    year: YearCalendar
    replaced_import: bool  # an earlier import of this year was replaced
    overrides_package: bool  # the package also lists this year; the import now wins
    recounted: list  # of domain.calendar.provisional.Recounted: reminders counted over it before


async def import_calendar_year(
    parsed: CalendarFile, file_name: str, source: str = ""
) -> ImportResult:
    """Store a checked year, replacing any earlier import of it, and recount what was counted
    over it provisionally: one transaction."""
    from domain.calendar import provisional

    async with in_transaction() as conn:
        row, created = await CalendarYear.update_or_create(
            year=parsed.year,
            defaults={
                "holidays": _to_json(parsed.holidays),
                "workdays": _to_json(parsed.workdays),
                "source": (source or parsed.source or f"文件 {file_name}")[:200],
                "file_name": file_name[:255],
                "imported_at": clock.now(),
            },
            using_db=conn,
        )
        calendar = await load_calendar(connection=conn)
        recounted = await provisional.recount(calendar, parsed.year, connection=conn)
    return ImportResult(
        year=_to_year(row),
        replaced_import=not created,
        overrides_package=parsed.year in _package_years(),
        recounted=recounted,
    )


async def import_calendar_file(data: bytes, file_name: str, source: str = "") -> ImportResult:
    """Check a whole file, then store its year; a file with any problem stores nothing."""
    return await import_calendar_year(parse_calendar_file(data, file_name), file_name, source)


def _to_json(days: dict[dt.date, str]) -> list[dict[str, str]]:
    return [{"date": d.isoformat(), "name": days[d]} for d in sorted(days)]


def _from_json(items: list[dict[str, str]]) -> dict[dt.date, str]:
    return {dt.date.fromisoformat(i["date"]): i.get("name", "") for i in items}


def _to_year(row: CalendarYear) -> YearCalendar:
    holidays, workdays = _from_json(row.holidays), _from_json(row.workdays)
    when = clock.local_date(row.imported_at).isoformat()
    return YearCalendar(
        year=row.year,
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        source=f"本单位导入：{row.source}（{row.file_name}，{when}）",
        names={**holidays, **workdays},
    )
