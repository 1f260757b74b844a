"""The one clock of the domain: what time it is, and which day it is at the office.

`now()` is an aware UTC instant, the form every timestamp is stored in. `today()` is the
office's date in its time zone (`SSJ_TIMEZONE`, Asia/Shanghai by default): the date a person
means, the date a deadline counts from. Taking `.date()` of a UTC instant instead gives
yesterday between 00:00 and 08:00 in Beijing, so nothing in the domain does that.

The clock reads the machine's time through `datetime.now`, like the ORM's own timestamps, so
that a test moving the machine's time (time-machine, or faketime for a whole process) moves
every timestamp together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"
_office_tz = ZoneInfo(DEFAULT_TIMEZONE)


class UnknownTimezone(ValueError):
    pass


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimezone(
            f"未知的时区 {name!r}（unknown time zone），应写成 Asia/Shanghai 这样的 IANA 名称"
        ) from None


def use_timezone(name: str) -> None:
    """Set the office's time zone for this process (from the settings, at start-up)."""
    global _office_tz
    _office_tz = zone(name)


def office_tz() -> ZoneInfo:
    return _office_tz


_pinned: dt.datetime | None = None


def now() -> dt.datetime:
    return _pinned if _pinned is not None else dt.datetime.now(dt.UTC)


@contextmanager
def pinned(moment: dt.datetime) -> Iterator[None]:
    """Inside, `now()` is `moment` (aware), until the block ends or `pin` moves it. The demo
    plays out a campaign's months on fixed dates in a few seconds, so that its draw meets the
    same calendar and the same certificates on any day it is run. The ORM's own bookkeeping
    stamps (created_at, updated_at) keep the machine's time."""
    global _pinned
    if moment.tzinfo is None:
        raise ValueError("the clock is pinned to aware datetimes only")
    before, _pinned = _pinned, moment.astimezone(dt.UTC)
    try:
        yield
    finally:
        _pinned = before


def pin(moment: dt.datetime) -> None:
    """Move a pinned clock (inside `pinned`) to a later moment."""
    global _pinned
    if _pinned is None:
        raise RuntimeError("clock.pin outside clock.pinned")
    _pinned = moment.astimezone(dt.UTC)


def today() -> dt.date:
    return local_date(now())


def local(moment: dt.datetime) -> dt.datetime:
    """An aware instant as the office's wall-clock time."""
    if moment.tzinfo is None:
        raise ValueError("the clock converts aware datetimes only")
    return moment.astimezone(_office_tz)


def local_date(moment: dt.datetime) -> dt.date:
    return local(moment).date()


def at_office(day: dt.date, time: dt.time) -> dt.datetime:
    """That office-time moment of that day, as an aware UTC instant."""
    return dt.datetime.combine(day, time, _office_tz).astimezone(dt.UTC)


def parse_local_date(text: str) -> dt.date:
    """The office's date of an ISO date or datetime text: a datetime with an offset is converted
    (an end time of 01:00Z is 09:00 in Beijing, the same day; 20:00Z is the next day); a
    datetime without one is office time already."""
    value = text.strip()
    if len(value) == 10:
        return dt.date.fromisoformat(value)
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.date() if moment.tzinfo is None else local_date(moment)
