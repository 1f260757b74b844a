"""Draining the domain's outbox to Telegram: at least once, paced, retried, never lost.

Each claimed row is rendered for its recipient, with the table of renderers the sender is
given (bot/renderers.py), and sent. Success records the Telegram message id with what the
delivery changes in the domain (`mark_sent`); a network error, a 5xx or a timeout backs off
(`mark_retry`); 429 waits what Telegram asks; a user who blocked the bot gets the row marked
dead, the account marked blocked and the coordinators told. Limits: PTB's AIORateLimiter keeps
the overall 30/s (and 20/min per group); `ChatPacer` keeps 1/s per chat. A process that dies
between sending and recording leaves the row 'sending': it is sent again after recovery (at
worst one duplicate); within a process, a send whose recording failed is recorded later
without sending again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.delivery.pacing import ChatPacer, ChatTurn
from bot.delivery.parts import requests_for
from bot.delivery.render import Outgoing, Rendered, Renderer, render
from domain.messaging import chat_accounts, delivery, outbox
from domain.messaging.chat_accounts import BLOCKED, Recipient
from domain.messaging.outbox import DEFAULT_POLICY, RetryPolicy, backoff_delay
from domain.people.enrollment import UNBOUND
from domain.storage.models import OutboxMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SenderConfig:
    poll_interval: float = 2.0  # look for due rows at least this often
    batch: int = 100  # rows claimed ahead of sending; more are claimed below half of it
    concurrency: int = 32  # requests in flight
    per_chat_interval: float = 1.0
    send_timeout: float = 20.0
    stale_after: dt.timedelta = dt.timedelta(minutes=5)
    recover_every: float = 60.0
    retry: RetryPolicy = field(default=DEFAULT_POLICY)


class OutboxSender:
    """Sends what the outbox holds, rendering each kind with `renderers` (an unknown kind gets
    a generic notice: bot/delivery/render.py)."""

    def __init__(
        self, bot: Bot, renderers: Mapping[str, Renderer], config: SenderConfig | None = None
    ):
        self.bot = bot
        self.renderers = renderers
        self.config = config or SenderConfig()
        self._pacer: ChatPacer | None = None
        self._sem = asyncio.Semaphore(self.config.concurrency)
        self._inflight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._wakes = 0  # counts wake() calls, so a round that began before one is not idle
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        # Per process: parts already sent of a message whose later part failed, and sends
        # that succeeded but could not be recorded; both spare a resend on the next claim.
        self._progress: dict[int, tuple[int, int | None]] = {}
        self._unrecorded: dict[int, int | None] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self.run(), name="outbox-sender")

    async def stop(self, grace: float = 5.0) -> None:
        """Stop claiming; give sends in flight `grace` seconds, then cancel them (their rows
        stay 'sending' and are recovered at the next start)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._inflight:
            _, late = await asyncio.wait(set(self._inflight), timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    def wake(self, delay: float = 0.0) -> None:
        """Look for due rows now (or after `delay` seconds)."""
        if delay > 0:
            asyncio.get_running_loop().call_later(delay, self.wake)
            return
        self._wakes += 1
        self._idle.clear()
        self._wake.set()

    async def idle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until nothing is in flight and the last look found nothing due (for tests and
        benches: what was due when this was called has been dealt with)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def run(self) -> None:
        self._pacer = ChatPacer(self.config.per_chat_interval)
        loop = asyncio.get_running_loop()
        # First, rows a dead predecessor left 'sending' (one sender per database), and
        # deliveries an older version recorded without their consequences.
        stale_after, next_recovery, repaired = dt.timedelta(0), loop.time(), False
        while not self._stopping:
            # Cleared before looking, so a wake() during the round is not lost.
            self._wake.clear()
            try:
                if loop.time() >= next_recovery:
                    await outbox.recover_stale(stale_after)
                    stale_after = self.config.stale_after
                    next_recovery = loop.time() + self.config.recover_every
                if not repaired:
                    await delivery.repair()
                    repaired = True
                if await self._round():
                    continue
            except Exception:
                # A database hiccup must not end deliveries: try again at the next round.
                log.exception("outbox sender: a round failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.poll_interval)

    async def _round(self) -> bool:
        """Claim and launch what is due; True when more may be due right away."""
        room = self.config.batch - len(self._inflight)
        if room < self.config.batch // 2:
            return False  # woken again when enough sends finished
        wakes = self._wakes
        claimed = await outbox.claim_due(limit=room)
        if not claimed:
            if not self._inflight and wakes == self._wakes:
                self._idle.set()
            return False
        self._idle.clear()
        await self._launch(claimed)
        return len(claimed) == room

    async def _launch(self, rows: list[OutboxMessage]) -> None:
        where = await chat_accounts.recipients((r.recipient_kind, r.recipient_id) for r in rows)
        for row in rows:
            # Created in claim order; each queues for its chat before its first real wait,
            # so one chat's messages go out in order.
            task = asyncio.create_task(
                self._deliver(row, where[(row.recipient_kind, row.recipient_id)])
            )
            self._inflight.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox delivery task failed", exc_info=task.exception())
        if len(self._inflight) <= self.config.batch // 2:
            self._wake.set()

    # -- one message -------------------------------------------------------------------------

    async def _deliver(self, row: OutboxMessage, to: Recipient) -> None:
        assert self._pacer is not None
        if to.chat_id is None:
            await outbox.mark_dead(row, UNBOUND)
            return
        if to.blocked:
            await outbox.mark_dead(row, BLOCKED)
            return
        if row.id in self._unrecorded:
            await self._record(row, self._unrecorded[row.id])
            return
        try:
            out = Outgoing(
                row.kind, row.payload, to.language, row.recipient_kind, row.recipient_id, row.id
            )
            rendered = await render(out, self.renderers)
        except Exception as error:
            log.exception("outbox: rendering kind %r (message %s) failed", row.kind, row.id)
            await self._retry(row, f"render: {type(error).__name__}")
            return
        if rendered is None:
            await self._record(row, None)
            return
        try:
            async with self._pacer.turn(to.chat_id) as turn:
                external_id = await self._send(row.id, to.chat_id, rendered, turn)
        except Forbidden as error:
            await self._blocked(row, to.chat_id, str(error))
        except BadRequest as error:
            # "chat not found", a malformed message...: no retry can fix it.
            log.warning(
                "outbox: Telegram refused message %s (kind %r): %s", row.id, row.kind, error
            )
            await outbox.mark_dead(row, f"bad request: {error}")
        except ChatMigrated as error:
            await outbox.mark_dead(row, f"chat moved to {error.new_chat_id}")
        except RetryAfter as error:
            await self._retry(row, str(error), _seconds(error.retry_after))
        except TelegramError as error:  # NetworkError, TimedOut, 5xx and the rest
            log.info("outbox: message %s not sent yet: %s", row.id, type(error).__name__)
            await self._retry(row, f"{type(error).__name__}: {error}")
        else:
            self._progress.pop(row.id, None)
            await self._record(row, external_id)

    async def _send(
        self, outbox_id: int, chat_id: int, rendered: Rendered, turn: ChatTurn
    ) -> int | None:
        parts = requests_for(rendered)
        done, first_id = self._progress.get(outbox_id, (0, None))
        timeout = self.config.send_timeout
        for index in range(done, len(parts)):
            await turn.ready()
            async with self._sem:
                part = parts[index]
                try:
                    message = await getattr(self.bot, part.method)(
                        chat_id,
                        **part.args,
                        protect_content=rendered.protect_content,
                        read_timeout=timeout,
                        write_timeout=timeout,
                    )
                finally:
                    turn.sent()
            first_id = first_id or message.message_id
            self._progress[outbox_id] = (index + 1, first_id)
        return first_id

    async def _record(self, row: OutboxMessage, external_id: int | None) -> None:
        try:
            await outbox.mark_sent(row, external_id)
        except Exception:
            self._unrecorded[row.id] = external_id
            log.exception("outbox: message %s was sent but not recorded; will record later", row.id)
        else:
            self._unrecorded.pop(row.id, None)

    async def _retry(
        self, row: OutboxMessage, error: str, retry_after: dt.timedelta | None = None
    ) -> None:
        policy = self.config.retry
        status = await outbox.mark_retry(row, error, retry_after, policy=policy)
        if status == outbox.OutboxStatus.PENDING:
            attempts = row.attempts - 1 if retry_after is not None else row.attempts
            self.wake(backoff_delay(attempts, policy, retry_after).total_seconds())
        elif status is not None:
            log.warning(
                "outbox: message %s (kind %r) failed %s times: given up",
                row.id,
                row.kind,
                row.attempts,
            )

    async def _blocked(self, row: OutboxMessage, chat_id: int, error: str) -> None:
        await chat_accounts.delivery_blocked(row, chat_id, error)
        log.info("outbox: %s %s blocked the bot", row.recipient_kind, row.recipient_id)
        self.wake()


def _seconds(value: dt.timedelta | float | int) -> dt.timedelta:
    return value if isinstance(value, dt.timedelta) else dt.timedelta(seconds=value)
