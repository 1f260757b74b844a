"""`GET /healthz`: the process is up and the database answers (200), or not (503). Anyone can
ask, so the answer says which and nothing else: which database, where, and why it failed go to
the log. The body's shape is the one monitors already read."""

from __future__ import annotations

import logging

from aiohttp import web
from tortoise import connections

log = logging.getLogger(__name__)


async def healthz(request: web.Request) -> web.Response:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any database failure means unhealthy
        log.warning("healthz: the database does not answer", exc_info=True)
        return web.json_response(
            {"status": "error", "database": "unavailable"},
            status=503,
            headers={"Cache-Control": "no-store"},
        )
    return web.json_response(
        {"status": "ok", "database": "ok"}, headers={"Cache-Control": "no-store"}
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
