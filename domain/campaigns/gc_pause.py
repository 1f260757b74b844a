"""Python's cycle collector paused while a big draw runs.

A million-target draw allocates millions of short-lived objects (ids, tickets, rows), none in
reference cycles; the collector, triggered by the allocations alone, would trace them all again
and again in full collections. Memory does not grow for pausing it: reference counting frees
everything the draw drops. A counter, not a flag: draws of two campaigns may overlap in one event
loop, and the collector comes back when the last one ends, only if it was on before the first began.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_paused = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _paused, _was_enabled
    if _paused == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1
        if _paused == 0 and _was_enabled:
            gc.enable()


def pausing_collector(function: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """An async function run with the collector paused."""

    @functools.wraps(function)
    async def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        with collector_paused():
            return await function(*args, **kwargs)

    return paused
