"""The aiohttp application factory."""

from __future__ import annotations

from aiohttp import web

from domain.config import Settings
from field_api import (
    auth,
    openapi,
    routes_auth,
    routes_health,
    routes_inspector,
    routes_inspector_actions,
    routes_inspector_evidence,
    routes_inspector_report,
    routes_invites,
    routes_public,
    routes_tokens,
)
from field_api.keys import BOT_USERNAME, OUTBOX_WAKE, SETTINGS

__all__ = ["BOT_USERNAME", "OUTBOX_WAKE", "SETTINGS", "create_app"]


def _no_bot() -> str | None:
    return None


def _nothing_to_wake() -> None:
    return None


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[auth.authenticate])
    app[SETTINGS] = settings
    app[BOT_USERNAME] = _no_bot
    app[OUTBOX_WAKE] = _nothing_to_wake
    routes_health.setup(app)
    routes_public.setup(app)
    routes_invites.setup(app)
    routes_auth.setup(app)
    routes_tokens.setup(app)
    for inspector_routes in (
        routes_inspector,
        routes_inspector_actions,
        routes_inspector_evidence,
        routes_inspector_report,
    ):
        inspector_routes.setup(app)
    openapi.setup(app)
    return app
