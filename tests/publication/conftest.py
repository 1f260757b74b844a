"""A public HTTP client over a real aiohttp server on loopback, and the cases to publish."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from field_api.app import create_app


@pytest.fixture
async def client(db) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(Settings()), host="127.0.0.1")) as c:
        yield c
