"""Reading the database without the ORM, for commands that only read and must answer at once
(`shuangsuiji list`): importing tortoise costs more than all the rest of such a command.

A database whose migrations are all applied is read directly: an SQLite file with the standard
library's sqlite3, PostgreSQL with asyncpg, the driver the ORM itself uses there. Anything
else (an in-memory or missing database, a migration pending, a PostgreSQL URL with options)
goes the ORM's way, which brings the schema up to date first (`db.connect_migrated`), and runs
the same SQL there: the caller gets the same rows either way, by name (`row["name"]`), as each
driver returns the column's value."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

APP_LABEL = "models"
# What tortoise's migration recorder keeps: one row per applied migration, by name.
APPLIED_MIGRATIONS = f'SELECT "name" FROM "tortoise_migrations" WHERE "app" = \'{APP_LABEL}\''  # nosec B608

Rows = Sequence[Mapping[str, Any]]


def date_of(value: Any) -> dt.date:
    """A DATE column's value as a date, whichever driver read it (SQLite gives its ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def moment_of(value: Any) -> dt.datetime | None:
    """A timestamp column's value as an aware datetime in UTC, whichever driver read it
    (SQLite keeps the ORM's ISO text, PostgreSQL gives an aware datetime)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is None or value.tzinfo is None:
        return value if value is None else value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def sqlite_path(db_url: str) -> str | None:
    """The file of an SQLite URL, as tortoise reads it (`sqlite://` and then the path, options
    after `?`); None for another database or one in memory."""
    if not db_url.startswith("sqlite://") or ":memory:" in db_url:
        return None
    return db_url[len("sqlite://") :].split("?")[0]


def disk_migrations() -> set[str]:
    """The migrations tortoise finds: the modules of the migrations package, as it lists them."""
    import pkgutil

    from domain.storage import migrations

    found = pkgutil.iter_modules(migrations.__path__)
    return {name for _, name, is_pkg in found if not is_pkg and name[0] not in "_~"}


async def fetch_all(db_url: str, sql: str) -> Rows:
    """The rows of one query without parameters (the caller writes only constants into it)."""
    rows = read_now(db_url, sql)
    if rows is None:
        rows = await _read_postgres(db_url, sql)
    return rows if rows is not None else await fetch_through_orm(db_url, sql)


async def fetch_through_orm(db_url: str, sql: str) -> Rows:
    """`fetch_all` the ORM's way: the schema brought up to date first."""
    from tortoise import connections

    from domain.storage import db

    await db.connect_migrated(db_url)
    try:
        _, rows = await connections.get("default").execute_query(sql)
    finally:
        await db.disconnect()
    return rows


def read_now(db_url: str, sql: str) -> Rows | None:
    """The rows from an existing SQLite file that needs no migration, or None (then
    `fetch_all`). Without the event loop: a command that reads only this way need not start
    one, and a short read of a local file is not worth a thread."""
    from pathlib import Path

    path = sqlite_path(db_url)
    if path is None or not Path(path).is_file():
        return None
    connection = sqlite3.connect(path)
    try:
        connection.row_factory = sqlite3.Row
        try:
            applied = {row["name"] for row in connection.execute(APPLIED_MIGRATIONS)}
        except sqlite3.OperationalError:  # no such table: nothing applied yet
            return None
        if applied != disk_migrations():
            return None
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


POSTGRES_SCHEMES = ("postgres", "postgresql", "asyncpg")  # what tortoise opens with asyncpg


def postgres_params(db_url: str) -> dict[str, Any] | None:
    """The arguments for asyncpg.connect that tortoise's `expand_db_url` reads from a
    PostgreSQL URL (the user as written, the password unquoted, None for what is left out, port
    5432), or None: another database, or a URL that tortoise reads further (options after `?`
    such as `schema` or `ssl`, brackets, a port that is not a number), which goes its way."""
    from urllib.parse import unquote, urlsplit

    if "[" in db_url or "]" in db_url:
        return None
    url = urlsplit(db_url)
    if url.scheme not in POSTGRES_SCHEMES or url.query:
        return None
    try:
        port = url.port or 5432
    except ValueError:
        return None
    return {
        "database": url.path[1:] or None,
        "host": url.hostname,
        "port": port,
        "user": url.username or None,
        "password": unquote(url.password) if url.password else None,
    }


async def _read_postgres(db_url: str, sql: str) -> Rows | None:
    """The rows from a PostgreSQL database that needs no migration, or None."""
    params = postgres_params(db_url)
    if params is None:
        return None
    import asyncpg

    connection = await asyncpg.connect(**params)
    try:
        try:
            applied = {row["name"] for row in await connection.fetch(APPLIED_MIGRATIONS)}
        except asyncpg.UndefinedTableError:  # nothing applied yet
            return None
        if applied != disk_migrations():
            return None
        return await connection.fetch(sql)
    finally:
        await connection.close()
