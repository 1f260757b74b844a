"""Group commit: stand-alone appends that arrive while a batch is being written wait for it and
go together in the next one, one transaction and one commit for all.

Under load every read of sealed data is an append, and each append alone is a transaction of
its own that the database serialises (on SQLite, one write and one sync per commit, during which
the process's one connection serves nothing else). Chained in a batch, the entries take the
head once and are written in seq order in one transaction; each caller still gets its answer
only once the transaction holding its entry has committed, and a failure fails exactly the
entries it would have failed alone (a failed batch is written again one entry at a time).

Only appends made outside any transaction come here: an entry written with the change it
describes commits or rolls back with that change, in the caller's transaction, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

Write = Callable[[Any, list[Item]], Awaitable[list[Result]]]


class _Queue(Generic[Item, Result]):
    """The appends waiting for one database client, and the task writing them."""

    def __init__(self, client: Any, write: Write) -> None:
        self.client, self.write = client, write
        self.waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def drain(self, key: tuple[int, int]) -> None:
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                await self._write(batch)
        except BaseException:
            # Cancelled (the loop is closing): nobody may think an entry was written.
            for _, future in self.waiting:
                future.cancel()
            raise
        finally:
            if _queues.get(key) is self:
                del _queues[key]

    async def _write(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await self.write(self.client, [item for item, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], exc=exc)
                return
            for one in batch:  # each as if it had come alone: a bad entry fails only itself
                await self._write([one])
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result)


def _settle(future: asyncio.Future, result: Any = None, exc: BaseException | None = None) -> None:
    if future.done():  # its caller was cancelled; the entry stands, as a view that happened
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


# Per event loop and client: tests open several databases in one loop, and several loops.
_queues: dict[tuple[int, int], _Queue] = {}


async def submit(client: Any, item: Item, write: Write) -> Result:
    """Append `item` through `client` with whatever else is waiting; returns once committed.
    `write(client, items)` writes a batch in one transaction and returns a result per item."""
    loop = asyncio.get_running_loop()
    key = (id(loop), id(client))
    queue = _queues.get(key)
    if queue is None or queue.client is not client or queue.writer is None or queue.writer.done():
        queue = _queues[key] = _Queue(client, write)
        # Started now, it first runs after this call has queued its item.
        queue.writer = loop.create_task(queue.drain(key))
    future: asyncio.Future[Result] = loop.create_future()
    queue.waiting.append((item, future))
    return await future
