"""The domain's one clock: aware UTC instants, and the office's date in its time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from domain import clock
from tests.kit.cli import Command


@pytest.fixture
def new_york():
    clock.use_timezone("America/New_York")
    yield
    clock.use_timezone(clock.DEFAULT_TIMEZONE)


@pytest.mark.clock("2026-12-06T20:00:00+00:00")
def test_today_is_the_office_date_not_utc():
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(0)
    assert now.date() == dt.date(2026, 12, 6)  # UTC's date
    assert clock.today() == dt.date(2026, 12, 7)  # 04:00 in Beijing
    assert clock.local(now).hour == 4


@pytest.mark.clock("2026-12-06T20:00:00+00:00")
def test_the_office_time_zone_comes_from_the_settings(new_york):
    assert clock.today() == dt.date(2026, 12, 6)  # 15:00 in New York
    assert clock.at_office(dt.date(2026, 12, 7), dt.time(9)) == dt.datetime(
        2026, 12, 7, 14, tzinfo=dt.UTC
    )


def test_an_unknown_time_zone_is_refused_by_name(tmp_path):
    shuangsuiji = Command("sqlite://:memory:", cwd=tmp_path, SSJ_TIMEZONE="Asia/Beijing")
    code, _, err = shuangsuiji("calendar", "show")
    assert code == 2
    assert "SSJ_TIMEZONE" in err and "Asia/Beijing" in err and "Asia/Shanghai" in err
    with pytest.raises(clock.UnknownTimezone):
        clock.use_timezone("../etc/passwd")
    assert clock.office_tz().key == clock.DEFAULT_TIMEZONE


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-12-06", dt.date(2026, 12, 6)),
        ("2026-12-06T19:30:00Z", dt.date(2026, 12, 7)),
        ("2026-12-06T19:30:00+00:00", dt.date(2026, 12, 7)),
        ("2026-12-07T03:30:00+08:00", dt.date(2026, 12, 7)),
        ("2026-12-06T23:30:00", dt.date(2026, 12, 6)),  # no offset: office time already
    ],
)
def test_a_text_date_or_time_is_read_as_the_office_date(text, day):
    assert clock.parse_local_date(text) == day


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        clock.local(dt.datetime(2026, 12, 6, 20))


def test_a_pinned_clock_reads_the_pinned_moment_until_the_block_ends():
    start = dt.datetime(2026, 7, 1, 9, 0, tzinfo=clock.office_tz())
    with clock.pinned(start):
        assert clock.now() == start and clock.now().tzinfo == dt.UTC
        assert clock.today() == dt.date(2026, 7, 1)
        clock.pin(start + dt.timedelta(days=30))
        assert clock.today() == dt.date(2026, 7, 31)
    assert abs(clock.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    with pytest.raises(ValueError):
        with clock.pinned(dt.datetime(2026, 7, 1)):
            pass
    with pytest.raises(RuntimeError):
        clock.pin(start)
