"""`shuangsuiji serve` killed (SIGKILL) while a draw's assignments go out, then started again:
every member gets their assignment (at least once) and their notice, and every task is
notified. What a delivery changes is recorded with it, so no kill can separate the two."""

from __future__ import annotations

import asyncio
import inspect
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from domain.audit import log as audit
from domain.messaging.kinds import ASSIGNMENT, NOTICE, assignment_key, notice_key
from domain.notice import render as notice_render
from domain.notice import text as notice_text
from domain.notice.service import notice_data
from domain.rules.access import SYSTEM
from domain.storage import db
from domain.storage.models import (
    AuditEntry,
    Inspector,
    OutboxMessage,
    OutboxStatus,
    Reminder,
    Task,
    TeamMember,
)
from domain.tasks.views import load_task
from tests.fakebot import FakeBotAPI, hang
from tests.kit.databases import opened
from tests.kit.drawn import draw_on_demo
from tests.kit.fonts import build_font
from tests.kit.serve import SERVING, environment, serving

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaign drawn

ROOT = Path(__file__).resolve().parents[2]
HELD = 3  # assignments Telegram took but never answered: the kill finds them unrecorded
KILL_AFTER = 30  # sendMessage requests, of the draw's 46 assignments


Pair = tuple[str, int]  # (task number, chat id): what a message names, and where it went


async def draw_with_bound_team(fake: FakeBotAPI) -> dict[tuple[int, int], Pair]:
    """A real draw on the demo data, every inspector bound to a user of the fake; returns
    (task id, inspector id) → (task number, chat id) for every member."""
    await draw_on_demo()
    # Drawn on the test's clock (inside the campaign's period); the server runs as a child
    # process on the machine's date, later: the draw's reminders, not this test's subject,
    # would be due there at once.
    await Reminder.all().delete()
    chats = {}
    for inspector in await Inspector.all().order_by("id"):
        inspector.telegram_user_id = chats[inspector.id] = fake.new_user(inspector.name).id
        await inspector.save(update_fields=["telegram_user_id"])
    members = await TeamMember.all().values_list("task_id", "task__number", "inspector_id")
    return {(task, person): (number, chats[person]) for task, number, person in members}


async def font_for_these_notices(tmp_path: Path) -> str:
    """A CJK font of only the characters these notices print: with every CJK character a
    notice takes half a second, two dozen of them most of this test's time."""
    chars = set(inspect.getsource(notice_text) + inspect.getsource(notice_render))
    for task in await Task.all():
        data = await notice_data(await load_task(SYSTEM, task.id))
        chars |= {c for _, value in notice_text.every_text_field(data) for c in value}
    codepoints = sorted({ord(c) for c in chars if ord(c) > 0x20} | set(range(0x20, 0x7F)))
    return str(build_font(tmp_path / "notice-cjk.ttf", codepoints, "Notice CJK"))


def received(fake: FakeBotAPI, pairs: Iterable[Pair], since: int = 0) -> set[tuple[str, Pair]]:
    """(method, pair) for each pair that a sendMessage or sendDocument answered OK named."""
    got = set()
    for call in fake.calls[since:]:
        if call.ok and call.method in ("sendMessage", "sendDocument"):
            names = (call.text or "") + "".join(f.filename or "" for f in call.files.values())
            got |= {(call.method, (n, c)) for n, c in pairs if c == call.chat_id and n in names}
    return got


async def outbox_at_rest(db_url: str, team: dict[tuple[int, int], Pair]) -> set[tuple[str, Pair]]:
    """What a stopped sender owes: (method, pair) of every assignment and notice not recorded
    as sent. Checks on the way that each assignment recorded as sent has its consequences."""
    async with opened(db_url):
        kinds = [ASSIGNMENT, NOTICE]
        status = dict(
            await OutboxMessage.filter(kind__in=kinds).values_list("dedupe_key", "status")
        )
        states = dict(await Task.all().values_list("id", "state"))
    owed = set()
    for (task, person), pair in team.items():
        if status.get(assignment_key(task, person)) == OutboxStatus.SENT:
            assert states[task] == "notified" and notice_key(task, person) in status
        else:
            owed.add(("sendMessage", pair))
        if status.get(notice_key(task, person)) != OutboxStatus.SENT:
            owed.add(("sendDocument", pair))
    return owed


async def test_a_kill_mid_delivery_loses_no_notice_and_no_notification(db_url, fake, tmp_path):
    await db.migrate(db_url)
    async with opened(db_url):
        team = await draw_with_bound_team(fake)
        font = await font_for_these_notices(tmp_path)
    pairs = set(team.values())
    assert len({n for n, _ in pairs}) >= 20 and len(pairs) == 46
    bot_env = environment(
        db_url,
        tmp_path,
        SSJ_TELEGRAM_TOKEN=fake.token,
        SSJ_TELEGRAM_API_URL=fake.url,
        SSJ_FONT_PATH=font,
    )
    fake.fail_next("sendMessage", hang(delivered=True), times=HELD)

    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", "0",
        env=bot_env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        first = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        assert SERVING.search(first), first + (await proc.stderr.read()).decode()
        await fake.wait_for("sendMessage", count=KILL_AFTER, timeout=30)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    owed = await outbox_at_rest(db_url, team)
    unsent = {p for method, p in owed if method == "sendMessage"}
    assert HELD <= len(unsent) < len(pairs)  # killed mid-delivery

    restart = fake.mark()
    async with serving(bot_env):
        await fake.wait_until(lambda: owed <= received(fake, pairs, restart), timeout=60)
    assert await outbox_at_rest(db_url, team) == set()

    assert received(fake, pairs) == {(m, p) for m in ("sendMessage", "sendDocument") for p in pairs}
    async with opened(db_url):
        assert set(await Task.all().values_list("state", flat=True)) == {"notified"}
        notified = await AuditEntry.filter(action="task.notify").count()
        assert notified == len({task for task, _ in team})  # once per task
        assert await OutboxMessage.filter(kind=NOTICE).count() == len(pairs)
        assert (await audit.verify_chain()).ok
