"""The aiohttp application factory."""

from __future__ import annotations

from aiohttp import web

from domain.config import Settings
from field_api import routes_health, routes_public

SETTINGS = web.AppKey("settings", Settings)


def create_app(settings: Settings) -> web.Application:
    app = web.Application()
    app[SETTINGS] = settings
    routes_health.setup(app)
    routes_public.setup(app)
    return app
