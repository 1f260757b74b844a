"""Freed memory handed back to the system between the steps of a big draw.

Each step of a big draw frees what the step before it held (a stratum's ids, the rows read,
the rankings, the teams), much of it in blocks scattered over the C heap. glibc keeps such
memory for reuse rather than returning it, and the next step's differently sized allocations
do not all fit in it: the process then grows to about the sum of its steps instead of the
biggest one (470 MB against 370 MB, the same draw of 5 M targets). `malloc_trim` returns the
free pages. Where the C library is not glibc there is nothing to call, and nothing is done.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_TRIM = _malloc_trim()


def give_back() -> None:
    """Return the C heap's free pages to the system (a few ms)."""
    if _TRIM is not None:
        _TRIM(0)
