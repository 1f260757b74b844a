"""Setting the machine's clock for a test, as the office would read it.

A test that involves a date says which moment it runs at, and passes whatever the machine's
calendar says: `@pytest.mark.clock("2026-11-20 10:00")` (office time, Asia/Shanghai) on a test
or a module, or the `office_clock` fixture to set it, or move it, during the test. The clock
keeps ticking from there, so timeouts and orderings behave as usual; everything in the process
that reads the time (the domain's clock, the ORM's timestamps, the bot) sees the same moment.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

OFFICE = ZoneInfo("Asia/Shanghai")


def instant(when: str | dt.date | dt.datetime) -> dt.datetime:
    """An aware moment from '2026-11-20 10:00' (office time without an offset), an aware
    datetime, or a date (10:00 at the office that day)."""
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(10, 0))
    return when if when.tzinfo else when.replace(tzinfo=OFFICE)


class OfficeClock:
    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None

    def set(self, when: str | dt.date | dt.datetime) -> dt.datetime:
        """Put the clock at `when`; it ticks on from there. Returns the moment, aware."""
        self.stop()
        moment = instant(when)
        self._travel = time_machine.travel(moment, tick=True)
        self._travel.start()
        return moment

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None
