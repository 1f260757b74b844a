"""Shared fixtures. The suite runs on SQLite; with SSJ_TEST_BACKEND=postgres it runs again on
the PostgreSQL at SSJ_TEST_PG_URL, sharing one database and truncating between tests."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from domain.storage.db import tortoise_config
from tests.kit.cli import Command
from tests.kit.databases import BACKEND, FRESH_PG_DATABASE, PG_URL, new_pg_database
from tests.kit.office_clock import OfficeClock

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")

_pg_schema_ready = False


def pytest_report_header(config: pytest.Config) -> str:
    return f"shuangsuiji database backend: {BACKEND}"


# Every test that reaches a database asks for one of these (directly or through another
# fixture: `migrated_db_url`, `shuangsuiji`, the kits' worlds all do; the access matrix
# builds one world of its own for its module).
DATABASE_FIXTURES = frozenset({"db", "db_url", "matrix_world"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs the tests that use a database again; the others ran in the
    SQLite pass, and nothing in them depends on the backend."""
    if BACKEND != "postgres":
        return
    kept = [i for i in items if DATABASE_FIXTURES & set(getattr(i, "fixturenames", ()))]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


async def _reset_postgres(ctx: TortoiseContext) -> None:
    global _pg_schema_ready
    conn = ctx.connections.get("default")
    if not _pg_schema_ready:
        await conn.execute_script("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
        await ctx.generate_schemas(safe=False)
        _pg_schema_ready = True
        return
    tables = sorted(model._meta.db_table for app in ctx.apps.values() for model in app.values())
    await conn.execute_script(
        "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE;"
    )


@pytest.fixture
def office_clock(request: pytest.FixtureRequest) -> Iterator[OfficeClock]:
    """The machine's clock for this test: set by a `clock` mark, or by `office_clock.set`."""
    clock = OfficeClock()
    marker = request.node.get_closest_marker("clock")
    if marker is not None:
        clock.set(marker.args[0])
    yield clock
    clock.stop()


@pytest.fixture(autouse=True)
def _clock_mark(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("clock") is not None:
        request.getfixturevalue("office_clock")


@pytest.fixture
async def db_url(tmp_path) -> str:
    """The URL of a new, empty database (no tables) that the CLI or another process can open
    and migrate; on PostgreSQL a database of its own, apart from the shared one."""
    if BACKEND != "postgres":
        return f"sqlite://{tmp_path / 'test.sqlite3'}"
    return await new_pg_database(FRESH_PG_DATABASE)


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory) -> Path:
    """An SQLite file at the current schema, migrated once for the run: migrating a new
    database takes a second, and most command tests start from one."""
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    made = Command(f"sqlite://{path}", cwd=path.parent)("init")
    assert made.returncode == 0, made.stderr
    return path


@pytest.fixture(scope="session")
def pg_schema_template(tmp_path_factory) -> str:
    """PostgreSQL: a database at the current schema, migrated once for the run, that each
    command test's database is copied from (CREATE DATABASE … TEMPLATE)."""
    name = FRESH_PG_DATABASE + "_template"
    url = asyncio.run(new_pg_database(name))
    made = Command(url, cwd=tmp_path_factory.mktemp("pg-schema"))("init")
    assert made.returncode == 0, made.stderr
    return name


@pytest.fixture
def migrated_db_url(request, db_url, tmp_path) -> str:
    """`db_url` with the current schema in place, as `shuangsuiji init` leaves it."""
    if BACKEND == "postgres":
        template = request.getfixturevalue("pg_schema_template")
        return asyncio.run(new_pg_database(FRESH_PG_DATABASE, template))
    template = request.getfixturevalue("schema_template")
    shutil.copyfile(template, db_url.removeprefix("sqlite://"))
    return db_url


@pytest.fixture
def shuangsuiji(migrated_db_url, tmp_path) -> Command:
    """The command line on this test's own database (at the current schema), run in this
    process, in the test's temporary directory: `shuangsuiji("list", "targets").stdout`."""
    return Command(migrated_db_url, cwd=tmp_path)


@pytest.fixture
async def db() -> AsyncIterator[TortoiseContext]:
    """An empty database with the current schema, bound to this test."""
    async with TortoiseContext() as ctx:
        if BACKEND == "postgres":
            await ctx.init(config=tortoise_config(PG_URL), _enable_global_fallback=True)
            await _reset_postgres(ctx)
        else:
            await ctx.init(
                config=tortoise_config("sqlite://:memory:"),
                _create_db=True,
                _enable_global_fallback=True,
            )
            await ctx.generate_schemas(safe=False)
        yield ctx
