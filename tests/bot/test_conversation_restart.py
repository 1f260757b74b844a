"""A half-finished conversation outlives a restart: the user goes on where they were, with what
they typed before (bot/persistence.py), and nothing of it is logged at INFO or above."""

from __future__ import annotations

import logging

import pytest
from telegram import Update

from bot.i18n import t
from domain.storage.models import BotState, Report
from domain.tasks import team, visit
from tests.kit.inspector_chat import (
    bound,
    press,
    reply_to,
    running,
    write,
)

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

STEPS = "查看现场，查阅维护保养台账"
FINDINGS = "地下一层消防通道堆放杂物"


def _step(question) -> str:
    data = question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    return data.split(":")[2]


async def test_report_half_answered_goes_on_after_a_restart(
    drawn, fake, notice_font, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    for actor in (leader, member):
        await team.accept(actor, task.id)
    await visit.check_in(leader, task.id, 33.75, 113.31)
    alice = await bound(fake, leader)

    async def answer(question, op: str, expect: str):
        mark = await press(fake, alice, question, f"i:rp:{_step(question)}:{op}")
        return await reply_to(fake, alice, mark, text=t("zh", f"report.q.{expect}"))

    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark)
        await reply_to(fake, alice, await press(fake, alice, listing, f"i:cur:{task.id}"))
        mark = fake.mark()
        fake.inject_command(alice, "report")
        question = await reply_to(fake, alice, mark, text=t("zh", "report.q.started_at"))
        question = await answer(question, "ci", "ended_at")
        question = await answer(question, "now", "content")
        question = await answer(question, "it", "methods")
        await press(fake, alice, question, "i:rp:methods:t:0")
        question = await answer(question, "d", "steps")
        await write(fake, alice, STEPS)
        mark = fake.mark()
        findings = fake.inject_text(alice, FINDINGS)
        await reply_to(fake, alice, mark, text=t("zh", "report.q.evaluation"))

    assert await BotState.filter(kind="conv:inspector.report").count() == 1
    async with running(fake, tmp_path, notice_font) as bot:  # a new process, the same database
        await bot.sender.idle()
        # The answer delivered again after the restart is not taken a second time.
        app = bot.application
        await app.update_queue.put(Update.de_json(findings, app.bot))
        await write(fake, alice, "平时使用管理基本规范")
        question = await write(fake, alice, "责令限期清理")
        assert question.text.startswith(t("zh", "report.q.result_categories"))
        await press(fake, alice, question, "i:rp:result_categories:t:1")
        question = await answer(question, "d", "follow_up_action")
        question = await answer(question, "c:1", "follow_up_state")
        question = await answer(question, "c:0", "correction_items")
        await write(fake, alice, "清理消防通道杂物")
        confirm = await write(fake, alice, "2026-12-31")
        assert confirm.text.startswith(t("zh", "report.confirm", summary=""))
        mark = await press(fake, alice, confirm, "i:rp:confirm:save")
        saved = await reply_to(fake, alice, mark)
        assert saved.text == t("zh", "report.saved", revision=1)

    report = await Report.get(task_id=task.id)
    assert report.data["steps"] == STEPS and report.data["findings"] == FINDINGS
    assert report.data["methods"] == ["实地检查"]
    assert report.data["evaluation"] == "平时使用管理基本规范"
    # Finished: the conversation and its draft are no longer kept.
    assert not await BotState.filter(kind="conv:inspector.report").exists()
    assert not await BotState.filter(kind="user").exists()
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not [m for m in loud if STEPS in m or FINDINGS in m]
