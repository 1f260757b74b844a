"""Years relative to what the installed chinesecalendar covers, so that tests about a missing
year keep working when a newer release ships the next year."""

from __future__ import annotations

from domain.calendar.workdays import package_years

LAST_COVERED = max(package_years())  # the newest year the package lists
UNCOVERED = LAST_COVERED + 1  # the first year it does not
