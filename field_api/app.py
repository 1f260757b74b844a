"""The aiohttp application factory."""

from __future__ import annotations

from aiohttp import web

from domain.config import Settings
from field_api import (
    auth,
    middleware,
    openapi,
    routes_health,
    routes_public,
)
from field_api.keys import BOT_USERNAME, OUTBOX_WAKE, SETTINGS

__all__ = ["BOT_USERNAME", "OUTBOX_WAKE", "SETTINGS", "create_app"]


def _no_bot() -> str | None:
    return None


def _nothing_to_wake() -> None:
    return None


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[middleware.problems, middleware.etags, auth.authenticate])
    app.on_response_prepare.append(middleware.on_prepare)
    app[SETTINGS] = settings
    app[BOT_USERNAME] = _no_bot
    app[OUTBOX_WAKE] = _nothing_to_wake
    routes_health.setup(app)
    routes_public.setup(app)
    for module, _ in openapi.ROUTE_MODULES:
        module.setup(app)
    openapi.setup(app)
    return app
