"""A big transaction on an SQLite file commits without checkpointing; a background thread
copies the log into the database file afterwards, and the setting comes back, whatever
happens."""

from __future__ import annotations

import asyncio
import os

import pytest
from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from domain.storage.db import tortoise_config
from domain.storage.wal_checkpoint import checkpoint_afterwards, checkpoints_done

ROWS = 6_000
ROW = "x" * 1_000  # some 6 MB in all: past the automatic checkpoint's 1000 pages


@pytest.fixture
async def sqlite_file(tmp_path):
    path = tmp_path / "wal.sqlite3"
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(f"sqlite://{path}"), _enable_global_fallback=True)
        conn = ctx.connections.get("default")
        await conn.execute_script("CREATE TABLE blob (id INTEGER PRIMARY KEY, body TEXT)")
        yield conn, path
        await checkpoints_done()


def _size(path) -> int:
    return os.path.getsize(path)


async def _setting(conn) -> int:
    _, rows = await conn.execute_query("PRAGMA wal_autocheckpoint")
    return int(rows[0][0])


async def _write(conn) -> None:
    async with in_transaction() as tx:
        await tx.execute_many("INSERT INTO blob (body) VALUES (?)", [(ROW,)] * ROWS)


async def test_the_commit_leaves_the_log_and_a_thread_copies_it(sqlite_file):
    conn, path = sqlite_file
    before = _size(path)
    async with checkpoint_afterwards(conn):
        assert await _setting(conn) == 0
        await _write(conn)
        assert _size(path) == before  # committed, in the log only
    await checkpoints_done()
    assert _size(path) > before + ROWS * len(ROW)
    assert await _setting(conn) == 1000
    _, rows = await conn.execute_query("SELECT COUNT(*) FROM blob")
    assert rows[0][0] == ROWS


async def test_without_it_the_commit_checkpoints_itself(sqlite_file):
    conn, path = sqlite_file
    before = _size(path)
    await _write(conn)
    assert _size(path) > before + ROWS * len(ROW)


async def test_a_failure_inside_restores_the_setting_and_loses_nothing_committed(sqlite_file):
    conn, _ = sqlite_file
    await conn.execute_script("PRAGMA wal_autocheckpoint=500")
    with pytest.raises(RuntimeError):
        async with checkpoint_afterwards(conn):
            await _write(conn)
            raise RuntimeError("after the commit")
    assert await _setting(conn) == 500
    await checkpoints_done()
    _, rows = await conn.execute_query("SELECT COUNT(*) FROM blob")
    assert rows[0][0] == ROWS


async def test_overlapping_transactions_restore_it_when_the_last_ends(sqlite_file):
    conn, _ = sqlite_file
    first_in, second_out = asyncio.Event(), asyncio.Event()

    async def first():
        async with checkpoint_afterwards(conn):
            first_in.set()
            await second_out.wait()
            return await _setting(conn)

    async def second():
        await first_in.wait()
        async with checkpoint_afterwards(conn):
            pass
        second_out.set()
        return await _setting(conn)

    inside_first, after_second = await asyncio.gather(first(), second())
    assert (inside_first, after_second) == (0, 0)
    assert await _setting(conn) == 1000


async def test_other_databases_are_left_alone(db):
    conn = db.connections.get("default")
    async with checkpoint_afterwards(conn):
        pass
    if conn.capabilities.dialect == "sqlite":  # in memory: no log, no file
        assert await _setting(conn) == 1000
