"""`init`: create or upgrade the database."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.config import Settings


class connected:
    """`async with connected(settings):` upgrades the schema, then holds a connection for the
    command's duration. The ORM loads here, with the first command that needs it."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.database_url

    async def __aenter__(self) -> None:
        from domain.storage import db

        await db.connect_migrated(self.url)

    async def __aexit__(self, *exc: object) -> None:
        from domain.storage import db

        await db.disconnect()


async def run_init(args: argparse.Namespace, settings: Settings) -> int:
    from domain.storage import db

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
        help="建立或升级数据库 (create the database or upgrade its schema)",
        description="建立数据库（默认 SQLite，或 SSJ_DB_URL 指定的数据库）并执行未完成的迁移；"
        "可重复运行。(Create the database, SQLite by default or SSJ_DB_URL, and apply any "
        "pending migrations. Safe to run again.)",
    )
    p.set_defaults(run=run_init)
