"""`GET /healthz`: the process is up and the database answers."""

from __future__ import annotations

from aiohttp import web
from tortoise import connections


async def healthz(request: web.Request) -> web.Response:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:  # any database failure means unhealthy
        return web.json_response({"status": "error", "database": str(exc)}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
