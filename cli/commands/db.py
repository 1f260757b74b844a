"""`init`: create or upgrade the database."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator

from domain.config import Settings
from domain.storage import db


@contextlib.asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[None]:
    """Upgrade the schema, then hold a connection for the command's duration."""
    await db.migrate(settings.database_url)
    await db.connect(settings.database_url)
    try:
        yield
    finally:
        await db.disconnect()


async def run_init(args: argparse.Namespace, settings: Settings) -> int:
    await db.migrate(settings.database_url)
    print(f"database ready: {_redact(settings.database_url)}")
    return 0


def _redact(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        creds, _, host = rest.rpartition("@")
        user = creds.split(":", 1)[0]
        return f"{scheme}{sep}{user}:***@{host}" if ":" in creds else url
    return url


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="create the database or upgrade it to the current schema",
        description="Create the database (SQLite by default, SSJ_DB_URL otherwise) and apply "
        "any pending migrations. Safe to run again.",
    )
    p.set_defaults(run=run_init)
