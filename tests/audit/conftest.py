"""Fixtures for tests that need a database several independent connections can open, as two
processes (or a process before and after a restart) would."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest
from tortoise.context import TortoiseContext

from domain.storage.db import tortoise_config


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[TortoiseContext]:
    """A fresh ORM context on `url`: its own connections, as a separate process would have."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        yield ctx


@pytest.fixture
async def shared_url(db_url) -> str:
    """A new empty database with the schema, reachable by URL."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(db_url))
        await ctx.generate_schemas(safe=False)
    return db_url
