"""One message per second per chat, Telegram's limit for a private chat, kept by us (PTB's
AIORateLimiter keeps the overall and per-group limits only)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable


class ChatPacer:
    """Messages to one chat go one at a time, in the order their turns were asked for, each
    at least `interval` seconds after the previous one *finished* (measured from the answer,
    so that a slow request cannot arrive after its successor left)."""

    def __init__(self, interval: float = 1.0, clock: Callable[[], float] | None = None):
        self.interval = interval
        self._clock = clock or asyncio.get_running_loop().time
        self._locks: dict[int | str, asyncio.Lock] = {}
        self._users: dict[int | str, int] = {}
        self._next: dict[int | str, float] = {}

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: int | str) -> AsyncIterator[ChatTurn]:
        """Hold the chat; asking for the turn does not yield before queueing, so turns asked
        in a row are served in that order (asyncio.Lock is FIFO)."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield ChatTurn(self, chat_id)
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:
                del self._users[chat_id], self._locks[chat_id]
                self._forget_old()

    def _forget_old(self) -> None:
        if len(self._next) > 4096:
            now = self._clock()
            self._next = {c: at for c, at in self._next.items() if at > now or c in self._locks}


class ChatTurn:
    def __init__(self, pacer: ChatPacer, chat_id: int | str):
        self._pacer, self._chat_id = pacer, chat_id

    async def ready(self) -> None:
        wait = self._pacer._next.get(self._chat_id, 0.0) - self._pacer._clock()
        if wait > 0:
            await asyncio.sleep(wait)

    def sent(self) -> None:
        self._pacer._next[self._chat_id] = self._pacer._clock() + self._pacer.interval
