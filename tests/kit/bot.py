"""The real bot (Application, outbox sender and jobs) run against the fake Bot API, quickly."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Mapping

from bot.app import BotConfig, BotRuntime
from bot.delivery.render import Renderer
from bot.delivery.sender import SenderConfig
from domain.config import Settings
from domain.messaging.outbox import RetryPolicy
from domain.storage.models import Coordinator, Inspector
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

# Telegram's one message a second per chat is the dispatcher's own test (test_dispatcher.py);
# in a scenario it would only make a person with several tasks wait for their messages.
QUICK = dataclasses.replace(FAST, sender=dataclasses.replace(FAST.sender, per_chat_interval=0.02))


def settings_for(fake: FakeBotAPI, **overrides: object) -> Settings:
    return Settings(telegram_token=fake.token, telegram_api_url=fake.url, **overrides)


@contextlib.asynccontextmanager
async def running(
    fake: FakeBotAPI,
    config: BotConfig = FAST,
    renderers: Mapping[str, Renderer] | None = None,
    **settings: object,
) -> AsyncIterator[BotRuntime]:
    """Every audience's handlers, as in production (or `renderers` of a test's own kinds);
    `settings` as for `Settings`."""
    runtime = BotRuntime(settings_for(fake, **settings), config, renderers=renderers)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def bind(person: Inspector | Coordinator, user: User) -> None:
    """Bind without an invite, for tests about something else."""
    person.telegram_user_id = user.id
    await person.save()
