"""Which database the suite runs on, and opening one by URL as another process would."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import asyncpg
from tortoise.context import TortoiseContext

from domain.storage.db import tortoise_config

BACKEND = os.environ.get("SSJ_TEST_BACKEND", "sqlite")
PG_URL = os.environ.get("SSJ_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[TortoiseContext]:
    """A fresh ORM context on `url`: its own connections, as a separate process would have."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        yield ctx


# Named after the test database, so that two runs on two databases never drop each other's.
FRESH_PG_DATABASE = PG_URL.rsplit("/", 1)[1].split("?")[0] + "_fresh"


async def new_pg_database(name: str, template: str | None = None) -> str:
    """A PostgreSQL database `name`, made again (empty, or a copy of `template`), by URL."""
    admin = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(
            f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")
        )
    finally:
        await admin.close()
    return PG_URL.rsplit("/", 1)[0] + f"/{name}"
