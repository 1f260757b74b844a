"""The aiohttp application factory."""

from __future__ import annotations

from aiohttp import web

from domain.config import Settings
from field_api import auth, middleware, openapi, routes_health, routes_invites, routes_public
from field_api.keys import BOT_USERNAME, SETTINGS

__all__ = ["BOT_USERNAME", "SETTINGS", "create_app"]


def _no_bot() -> str | None:
    return None


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[middleware.problems, middleware.etags, auth.authenticate])
    app.on_response_prepare.append(middleware.on_prepare)
    app[SETTINGS] = settings
    app[BOT_USERNAME] = _no_bot
    routes_health.setup(app)
    routes_public.setup(app)
    routes_invites.setup(app)
    openapi.setup(app)
    return app
