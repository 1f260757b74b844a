"""Which database the suite runs on, and opening one by URL as another process would."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

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
