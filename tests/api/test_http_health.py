"""`GET /healthz` through a real aiohttp server and client."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from field_api.app import create_app


async def test_healthz_reports_database_ok(db):
    async with TestClient(TestServer(create_app(Settings()), host="127.0.0.1")) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert await response.json() == {"status": "ok", "database": "ok"}
