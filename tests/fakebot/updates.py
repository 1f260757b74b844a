"""Pending updates, handed out by getUpdates long polling or POSTed to a webhook."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from .faults import ApiError

log = logging.getLogger(__name__)

# Telegram leaves these out unless allowed_updates names them.
OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
FIRST_UPDATE_ID = 500_000_001


def update_type(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None


@dataclass(frozen=True)
class Delivery:
    update_id: int
    status: int | None  # None: the POST failed before an answer
    error: str | None = None


@dataclass
class UpdateQueue:
    pending: list[dict[str, Any]] = field(default_factory=list)
    allowed_updates: list[str] | None = None
    webhook: Webhook | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    closing: bool = False
    on_delivery: Callable[[], Awaitable[None]] | None = None
    _next_id: int = FIRST_UPDATE_ID
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _poll_generation: int = 0

    def poke(self) -> None:
        """Wake every waiter; each re-checks what it waits for."""
        self._wake.set()
        self._wake = asyncio.Event()

    async def _sleep_until_poked(self, seconds: float | None) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self._next_id, **body}
        self._next_id += 1
        if self._allowed(update):
            self.pending.append(update)
        else:
            self.dropped.append(update)
        self.poke()
        return update

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = update_type(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_TYPES

    def confirm_below(self, offset: int) -> None:
        self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def drop_pending(self) -> None:
        self.dropped.extend(self.pending)
        self.pending = []

    async def get_updates(self, params: dict[str, Any], loop_time: float) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"])
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self.confirm_below(offset)
        elif offset < 0:
            self.pending = self.pending[offset:]
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        # A newer poll ends the older one, as Telegram does (409 "terminated by other
        # getUpdates request"); the older client has usually hung up by then.
        self._poll_generation += 1
        generation = self._poll_generation
        self.poke()
        loop = asyncio.get_running_loop()
        deadline = loop_time + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            if self.pending or self.closing:
                return self.pending[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._sleep_until_poked(remaining)

    async def deliver_webhooks(self, retry_delay: float) -> None:
        """POST pending updates in order while a webhook is set; a failed POST is retried
        after retry_delay, as Telegram retries (only sooner)."""
        async with aiohttp.ClientSession(trust_env=False) as session:
            while not self.closing:
                if self.webhook is None or not self.pending:
                    await self._sleep_until_poked(None)
                    continue
                hook, update = self.webhook, self.pending[0]
                delivery = await _post(session, hook, update)
                self.deliveries.append(delivery)
                if self.on_delivery is not None:
                    await self.on_delivery()
                if delivery.status is not None and 200 <= delivery.status < 300:
                    if self.pending and self.pending[0] is update:
                        self.pending.pop(0)
                    self.poke()
                else:
                    log.info("fakebot: webhook delivery of %s failed: %s", update, delivery)
                    # A new setWebhook retries at once; checked without awaiting in between,
                    # so a change made while the POST was in flight is not missed.
                    if self.webhook is hook:
                        await self._sleep_until_poked(retry_delay)


async def _post(session: aiohttp.ClientSession, hook: Webhook, update: dict[str, Any]) -> Delivery:
    headers = {}
    if hook.secret_token:
        headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
    try:
        async with session.post(hook.url, json=update, headers=headers) as resp:
            await resp.read()
            return Delivery(update["update_id"], resp.status)
    except (aiohttp.ClientError, TimeoutError) as exc:
        return Delivery(update["update_id"], None, repr(exc))
