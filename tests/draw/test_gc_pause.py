"""The cycle collector is paused while a draw runs and comes back after, whatever happens."""

from __future__ import annotations

import asyncio
import gc

import pytest

from domain.campaigns.gc_pause import collector_paused, pausing_collector


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


async def test_overlapping_draws_bring_it_back_when_the_last_ends():
    first_in, second_done = asyncio.Event(), asyncio.Event()

    @pausing_collector
    async def first():
        first_in.set()
        await second_done.wait()
        return gc.isenabled()

    @pausing_collector
    async def second():
        await first_in.wait()
        return gc.isenabled()

    running = asyncio.ensure_future(first())
    assert await second() is False
    assert not gc.isenabled()  # the first draw is still running
    second_done.set()
    assert await running is False
    assert gc.isenabled()


async def test_a_failing_draw_brings_it_back():
    @pausing_collector
    async def failing():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        await failing()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
