"""SQLite: a big transaction's checkpoint done in the background, not in its commit.

By default the connection that commits past 1000 pages of write-ahead log copies the log into
the database file and syncs it (the checkpoint) before its commit call returns. A big revealed
draw writes tens of megabytes (tasks, teams, notifications, the record), so that copy would
hold up the reveal although the draw is already durable in the synced log. PostgreSQL
leaves the same work to its checkpointer process; here a thread with a connection of its own
does it once the transaction is over. Readers are never blocked by it, and a writer that
commits meanwhile appends to the log as usual.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)

# Per connection: (transactions deferring its checkpoint, its setting before the first).
_deferring: dict[int, tuple[int, int]] = {}
_running: set[asyncio.Future] = set()


def sqlite_file(conn) -> str | None:
    """The file of an SQLite connection, if it has one (not in memory, not another database)."""
    path = str(getattr(conn, "filename", ""))
    if conn.capabilities.dialect != "sqlite" or not os.path.isfile(path):
        return None
    return path


@asynccontextmanager
async def checkpoint_afterwards(conn) -> AsyncIterator[None]:
    """Within: `conn` (if an SQLite file) commits without checkpointing. Afterwards, even
    after a failure, its setting is back and a background checkpoint starts. Transactions
    that overlap on one connection restore the setting when the last of them ends."""
    path = sqlite_file(conn)
    if path is None:
        yield
        return
    key = id(conn)
    count, setting = _deferring.get(key, (0, 0))
    if count == 0:
        _, rows = await conn.execute_query("PRAGMA wal_autocheckpoint")
        setting = int(rows[0][0])
        await conn.execute_script("PRAGMA wal_autocheckpoint=0")
    _deferring[key] = (count + 1, setting)
    try:
        yield
    finally:
        count, setting = _deferring.pop(key)
        if count > 1:
            _deferring[key] = (count - 1, setting)
        else:
            await conn.execute_script(f"PRAGMA wal_autocheckpoint={setting}")
            start_checkpoint(path)


def _checkpoint(path: str) -> None:
    try:
        side = sqlite3.connect(path, timeout=30)
        try:
            side.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            side.close()
    except sqlite3.Error:
        # Nothing is lost: the log keeps the data, and the next commit's automatic
        # checkpoint (or the last connection's close) copies it.
        log.warning("background checkpoint of %s failed", path, exc_info=True)


def start_checkpoint(path: str) -> None:
    future = asyncio.get_running_loop().run_in_executor(None, _checkpoint, path)
    _running.add(future)
    future.add_done_callback(_running.discard)


async def checkpoints_done() -> None:
    """Wait for the background checkpoints started so far (at shutdown, in tests)."""
    while _running:
        await asyncio.gather(*list(_running))
