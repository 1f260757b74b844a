"""A running bot (the real Application, outbox sender and jobs) against the fake Bot API."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Mapping

import pytest

from bot.app import BotConfig, BotRuntime
from bot.delivery.render import Renderer
from bot.delivery.sender import SenderConfig
from domain.config import Settings
from domain.messaging.outbox import RetryPolicy
from domain.storage.models import Coordinator, Inspector
from tests import factories
from tests.fakebot import FakeBotAPI, User

FAST = BotConfig(
    sender=SenderConfig(
        poll_interval=0.05,
        send_timeout=0.5,
        retry=RetryPolicy(
            base=dt.timedelta(milliseconds=50), cap=dt.timedelta(seconds=1), max_attempts=5
        ),
    ),
    reminder_interval=3600,
    poll_timeout=1,
)


def settings_for(fake: FakeBotAPI, **overrides: str) -> Settings:
    return Settings(telegram_token=fake.token, telegram_api_url=fake.url, **overrides)


@contextlib.asynccontextmanager
async def running(
    fake: FakeBotAPI, config: BotConfig = FAST, renderers: Mapping[str, Renderer] | None = None
) -> AsyncIterator[BotRuntime]:
    runtime = BotRuntime(settings_for(fake), config, renderers=renderers)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def bind(person: Inspector | Coordinator, user: User) -> None:
    """Bind without an invite, for tests about something else."""
    person.telegram_user_id = user.id
    await person.save()


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
