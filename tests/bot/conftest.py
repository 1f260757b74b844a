"""A running bot (the real Application, outbox sender and jobs) against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import BotRuntime
from tests.fakebot import FakeBotAPI
from tests.kit import factories
from tests.kit.bot import running
from tests.kit.drawn import Drawn, draw_on_demo
from tests.kit.fonts import shared_cjk_test_font


@pytest.fixture
def ptb_timedelta(monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def fake(ptb_timedelta) -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def world(db) -> factories.World:
    return await factories.world()


@pytest.fixture
async def bot(world, fake) -> AsyncIterator[BotRuntime]:
    async with running(fake) as runtime:
        yield runtime


@pytest.fixture
async def drawn(db) -> Drawn:
    """A real draw on the demo data: 2-person teams, assignments waiting in the outbox."""
    return await draw_on_demo()


@pytest.fixture(scope="session")
def notice_font() -> str:
    """A small CJK font for the teams' notice PDFs (a system CJK font takes seconds each)."""
    return shared_cjk_test_font()
