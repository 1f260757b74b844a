"""/report: the guided conversation, each teammate's confirmation, the submission."""

from __future__ import annotations

import pytest

from bot.i18n import t
from domain.storage.models import Report, Task
from domain.tasks import team, visit
from tests.kit.inspector_chat import (
    bound,
    has_button,
    press,
    reply_to,
    running,
    write,
)

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign its fixtures plan


async def test_report_conversation_signatures_and_submission(drawn, fake, notice_font, tmp_path):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    for actor in (leader, member):
        await team.accept(actor, task.id)
    await visit.check_in(leader, task.id, 33.75, 113.31)
    alice, bob = await bound(fake, leader), await bound(fake, member)
    shown_name = t("zh", "insp.task_name", target=task.target.name, number=task.number)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark)
        await reply_to(fake, alice, await press(fake, alice, listing, f"i:cur:{task.id}"))

        mark = fake.mark()
        fake.inject_command(alice, "report")
        started = await reply_to(fake, alice, mark)
        assert started.text == t("zh", "report.start", name=shown_name)
        question = await reply_to(fake, alice, mark, text=t("zh", "report.q.started_at"))

        async def answer(op: str, expect: str):
            step = question.params["reply_markup"]["inline_keyboard"]
            assert step, "the question has buttons"
            data = f"i:rp:{_step(question)}:{op}"
            mark = await press(fake, alice, question, data)
            return await reply_to(fake, alice, mark, text=t("zh", f"report.q.{expect}"))

        question = await answer("ci", "ended_at")
        question = await answer("now", "content")
        question = await answer("it", "methods")
        refused = await write(fake, alice, "实地检查")
        assert refused.text == t("zh", "report.use_buttons")
        mark = await press(fake, alice, question, "i:rp:methods:t:0")
        toggled = await fake.wait_for("editMessageReplyMarkup", chat_id=alice, since=mark)
        assert toggled.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "✅ 实地检查"
        question = await answer("d", "steps")
        assert (await write(fake, alice, "查看现场，查阅维护保养台账")).text == t(
            "zh", "report.q.findings"
        )
        await write(fake, alice, "地下一层消防通道堆放杂物")
        await write(fake, alice, "平时使用管理基本规范")
        question = await write(fake, alice, "责令限期清理")
        assert question.text.startswith(t("zh", "report.q.result_categories"))
        await press(fake, alice, question, "i:rp:result_categories:t:1")  # A 发现问题待后续处理
        question = await answer("d", "follow_up_action")
        question = await answer("c:1", "follow_up_state")  # 责令整改
        question = await answer("c:0", "correction_items")  # 未办结
        await write(fake, alice, "清理消防通道杂物")
        refused = await write(fake, alice, "下周五")
        assert refused.text == t("zh", "report.bad_date", value="下周五")
        confirm = await write(fake, alice, "2026-12-31")
        assert confirm.text.startswith(t("zh", "report.confirm", summary=""))
        assert "整改期限：2026-12-31" in confirm.text and "提交前" not in confirm.text

        mark = await press(fake, alice, confirm, "i:rp:confirm:save")
        saved = await reply_to(fake, alice, mark)
        assert saved.text == t("zh", "report.saved", revision=1)
        report = await Report.get(task_id=task.id)
        assert report.data["result_categories"] == ["A"] and report.data["methods"] == ["实地检查"]
        assert report.data["follow_up_action"] == "order_correction"
        assert (await Task.get(id=task.id)).state == "report_drafted"

        # The teammate is asked to confirm, privately, with the report in front of them.
        request = await fake.wait_for("sendMessage", chat_id=bob, since=mark)
        assert request.text.startswith(
            t("zh", "sign.request", author=leader.name, name=shown_name, revision=1, summary="")
        )
        assert "地下一层消防通道堆放杂物" in request.text
        assert request.params["protect_content"] is True
        assert has_button(request, f"i:sgn:{task.id}:1")

        mark = await press(fake, alice, saved, f"i:sgn:{task.id}:1")
        signed = await reply_to(fake, alice, mark)
        assert signed.text == t("zh", "sign.done", revision=1, names=member.name)

        # Submitting early: the domain refuses and says what is missing.
        mark = fake.mark()
        fake.inject_command(alice, "report")
        hub = await reply_to(fake, alice, mark)
        assert hub.text.startswith(f"{shown_name} 的抽查报告（第 1 版）")
        mark = await press(fake, alice, hub, f"i:sub:{task.id}")
        alert = await fake.wait_for("answerCallbackQuery", since=mark)
        refused = await reply_to(fake, alice, mark)
        assert alert.params["show_alert"] is True and "签名" in refused.text

        mark = await press(fake, bob, request, f"i:sgn:{task.id}:1")
        all_signed = await reply_to(fake, bob, mark)
        assert all_signed.text == t("zh", "sign.all_done", revision=1)
        ready = await reply_to(fake, alice, mark, text=t("zh", "signed.ready", name=shown_name,
                                                         revision=1))  # fmt: skip
        mark = await press(fake, alice, ready, f"i:sub:{task.id}")
        done = await reply_to(fake, alice, mark)
        assert done.text == t("zh", "submit.done")
        assert (await Task.get(id=task.id)).state == "report_submitted"

        mark = await press(fake, alice, hub, f"i:sub:{task.id}")  # again: nothing to submit
        alert = await fake.wait_for("answerCallbackQuery", since=mark)
        assert "「已提交报告」" in alert.params["text"] and alert.params["show_alert"] is True
        assert (await Task.get(id=task.id)).state == "report_submitted"


def _step(question) -> str:
    """The step a question's buttons answer (from their callback data)."""
    data = question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    return data.split(":")[2]
