"""Notifying a draw: 1,000 outbox messages to 1,000 inspectors (500 tasks × 2 members) through
the fake Bot API enforcing Telegram's limits (30 messages/s overall, 1/s per chat).

The bound those limits set is the baseline: N messages at 30/s take N/30 s (33.3 s for 1,000).
Printed: the time from the rows being committed to the last message accepted, its ratio to the
bound (target ≤ 1.15), messages dropped or duplicated, and rate-limit violations (429s the fake
had to give). Loopback only; a fresh SQLite file unless --db-url. Usage:
    .venv/bin/python bench/notify.py [--count 1000] [--db-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from bot.app import BotConfig, BotRuntime
from bot.delivery.render import Button, Outgoing, Rendered
from bot.renderers import renderer_table
from domain.config import Settings
from domain.messaging import outbox
from domain.storage.db import tortoise_config
from domain.storage.models import Department, Inspector, OutboxMessage, OutboxStatus
from tests.fakebot import FakeBotAPI, RateLimits

RATE = 30.0
KIND = "bench.assigned"


def assigned(out: Outgoing) -> Rendered:
    p = out.payload
    return Rendered(
        f"新任务 {p['task']}：{p['target']}\n检查期限：{p['due']}\n同组：{p['teammate']}",
        buttons=(
            (
                Button("接受", callback_data=f"a:{p['task']}"),
                Button("回避", callback_data=f"c:{p['task']}"),
            ),
        ),
    )


async def seed(fake: FakeBotAPI, count: int) -> list[Inspector]:
    city = await Department.create(code="3299", name="示范市人防办", path="/3299/")
    users = [fake.new_user(f"检查员{n}") for n in range(count)]
    await Inspector.bulk_create(
        [
            Inspector(
                cert_no=f"ZF{n:05d}",
                name=f"检查员{n}",
                department=city,
                cert_valid_until=dt.date(2030, 12, 31),
                telegram_user_id=user.id,
            )
            for n, user in enumerate(users)
        ]
    )
    return await Inspector.all().order_by("id")


async def enqueue_draw(inspectors: list[Inspector]) -> None:
    async with in_transaction() as conn:
        for n, inspector in enumerate(inspectors):
            task, mate = n // 2 + 1, inspectors[n ^ 1] if n ^ 1 < len(inspectors) else inspector
            await outbox.enqueue(
                "inspector",
                inspector.id,
                KIND,
                {
                    "task": task,
                    "target": f"第{task}号人防工程",
                    "due": "2026-12-18",
                    "teammate": mate.name,
                },
                dedupe_key=f"assigned:{task}:{inspector.id}",
                connection=conn,
            )


async def run(count: int, db_url: str, rate: float) -> int:
    await Tortoise.init(config=tortoise_config(db_url))
    await Tortoise.generate_schemas()
    async with FakeBotAPI() as fake:
        inspectors = await seed(fake, count)
        runtime = BotRuntime(
            Settings(telegram_token=fake.token, telegram_api_url=fake.url),
            BotConfig(reminder_interval=3600, poll_timeout=5, overall_rate=rate),
            renderers=renderer_table({KIND: assigned}),
        )
        await runtime.start()
        limiter = fake.enforce_rate_limits(RateLimits())
        try:
            loop = asyncio.get_running_loop()
            await enqueue_draw(inspectors)
            start = loop.time()
            runtime.sender.wake()
            bound = count / RATE
            await fake.wait_for_all(
                lambda c: c.method == "sendMessage" and c.ok, count=count, timeout=3 * bound + 30
            )
            last = max(c.time for c in fake.messages("sendMessage"))
            await runtime.sender.idle(timeout=30)
        finally:
            await runtime.stop()
        accepted = Counter(c.chat_id for c in fake.messages("sendMessage"))
        sent = await OutboxMessage.filter(status=OutboxStatus.SENT).count()
    await Tortoise.close_connections()

    elapsed = last - start
    dropped = sum(1 for i in inspectors if accepted[i.telegram_user_id] == 0)
    duplicated = sum(n - 1 for n in accepted.values() if n > 1)
    ratio = elapsed / bound
    print(f"messages: {count} to {len(accepted)} chats; outbox rows sent: {sent}")
    print(f"bound at {RATE:.0f}/s: {bound:.2f} s   time to last message: {elapsed:.2f} s")
    print(f"ratio: {ratio:.3f}x (target <= 1.15x)")
    print(
        f"dropped: {dropped}   duplicated: {duplicated}   429 violations: {len(limiter.violations)}"
    )
    ok = ratio <= 1.15 and not dropped and not duplicated and not limiter.violations
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--db-url", help="default: a fresh SQLite file")
    parser.add_argument("--rate", type=float, default=BotConfig.overall_rate, help="pacing, /s")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        began = time.perf_counter()
        code = asyncio.run(run(args.count, url, args.rate))
        print(f"(whole run {time.perf_counter() - began:.1f} s)")
    sys.exit(code)


if __name__ == "__main__":
    main()
