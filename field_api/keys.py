"""Typed keys for what the app and each request carry."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from domain.config import Settings
from domain.people.api_tokens import Credential
from domain.rules.access import Actor

SETTINGS = web.AppKey("settings", Settings)
# The Telegram bot's username once the bot has started in this process (None before, or when
# there is no bot): deep links need it. `serve` wires it to the running bot.
BOT_USERNAME = web.AppKey("bot_username", Callable[[], str | None])
# Deliver queued outbox messages now rather than at the sender's next poll (a write through the
# API queued some: a replacement's assignment, requests to sign). `serve` wires it to the
# running bot's sender; without a bot there is nothing to wake.
OUTBOX_WAKE = web.AppKey("outbox_wake", Callable[[], None])
# Who the request's bearer token acts as; set by the auth middleware on /api/v1 routes.
ACTOR = web.RequestKey("actor", Actor)
# The token itself (its id, its scope): what logout revokes.
CREDENTIAL = web.RequestKey("credential", Credential)
