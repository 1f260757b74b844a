"""A draw reaches each member privately; acceptance, a declared conflict and its replacement,
check-in by location; and nobody outside the team learns anything about the task."""

from __future__ import annotations

import logging

import pytest

from bot.i18n import t
from domain.storage.models import MemberStatus, Task, TeamMember
from tests.kit.inspector_chat import (
    NOTICE_WAIT,
    assignment_for,
    bound,
    enroll,
    forge_callback,
    has_button,
    notice_for,
    other_team,
    press,
    reply_to,
    running,
    seen_by,
    write,
)

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def test_draw_to_check_in_and_outsiders_learn_nothing(
    drawn,
    fake,
    notice_font,
    tmp_path,
    caplog,
):
    caplog.set_level(logging.INFO)
    task = drawn.tasks[0]
    name, code = task.target.name, task.target.credit_code
    shown_name = t("zh", "insp.task_name", target=name, number=task.number)
    leader, member = await drawn.team(task)
    alice, bob = await bound(fake, leader), await bound(fake, member)
    async with running(fake, tmp_path, notice_font) as bot:
        # Each member privately: target, items, period, team, buttons, the notice as a file.
        messages, notices = {}, {}
        for user in (alice, bob):
            message = await fake.wait_for(assignment_for(task), chat_id=user)
            notice = await fake.wait_for(notice_for(task), chat_id=user, timeout=NOTICE_WAIT)
            assert name in message.text and code in message.text
            assert leader.name in message.text and member.name in message.text
            assert "检查期限：2026-11-02 至 2026-12-18" in message.text
            assert message.params["protect_content"] is True
            assert notice.params["protect_content"] is True
            assert notice.files["document"].content.startswith(b"%PDF")
            assert has_button(message, f"i:acc:{task.id}")
            assert has_button(message, f"i:cfl:{task.id}")
            messages[user.id] = message
            notices[user.id] = notice.files["document"].content
        await bot.sender.idle()
        assert (await Task.get(id=task.id)).state == "notified"  # once delivered

        mark = await press(fake, alice, messages[alice.id], f"i:acc:{task.id}")
        accepted = await reply_to(fake, alice, mark)
        assert accepted.text == "\n".join(
            [t("zh", "accept.done", name=shown_name), t("zh", "accept.waiting")]
        )
        edit = await fake.wait_for("editMessageReplyMarkup", chat_id=alice, since=mark)
        assert not has_button(edit, f"i:acc:{task.id}") and has_button(edit, f"i:cfl:{task.id}")

        mark = await press(fake, bob, messages[bob.id], f"i:cfl:{task.id}")
        asked = await reply_to(fake, bob, mark)
        assert asked.text == t("zh", "conflict.ask", name=shown_name)
        done = await write(fake, bob, "与该单位负责人系近亲属")
        assert done.text == t("zh", "conflict.done")
        bob_seen_before = len(seen_by(fake, bob.id))
        recused = await TeamMember.get(task_id=task.id, inspector_id=member.id)
        assert recused.status == MemberStatus.RECUSED
        assert recused.recusal_reason == "与该单位负责人系近亲属"
        [_, replacement] = await drawn.team(task)
        assert replacement.id not in (leader.id, member.id)

        # The replacement is told privately, once bound, with the same protections.
        carol = await enroll(fake, drawn, replacement)
        message = await fake.wait_for(assignment_for(task), chat_id=carol)
        await fake.wait_for(notice_for(task), chat_id=carol, timeout=NOTICE_WAIT)
        await bot.sender.idle()  # and any other task of hers: what follows are answers
        # The others' notice must name the inspectors who actually come.
        updated = await fake.wait_for(
            notice_for(task), chat_id=alice, since=mark, timeout=NOTICE_WAIT
        )
        assert updated.params["caption"] == t("zh", "notice.team_changed")
        assert updated.files["document"].content != notices[alice.id]
        assert t("zh", "assign.replacement") in message.text and name in message.text
        assert message.params["protect_content"] is True
        assert member.name not in message.text  # the team as it is now
        mark = await press(fake, carol, message, f"i:acc:{task.id}")
        accepted = await reply_to(fake, carol, mark)
        assert accepted.text.endswith(t("zh", "accept.team_done"))
        assert (await Task.get(id=task.id)).state == "accepted"

        mark = fake.mark()
        fake.inject_location(alice, 33.75, 113.31)
        checked = await reply_to(fake, alice, mark)
        assert checked.text.startswith(f"已签到：{shown_name}\n") and "33.75000" in checked.text
        assert (await Task.get(id=task.id)).state == "on_site"

        # Outsiders: a stranger, a group, an inspector of another task, and the recused one.
        stranger, group = fake.new_user("路人"), fake.new_group("检查组")
        other_task, outsider = await other_team(drawn, task, {leader.id, member.id, replacement.id})
        dave = await enroll(fake, drawn, outsider)
        await fake.wait_for(assignment_for(other_task), chat_id=dave)
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(dave, "tasks")
        listing = await reply_to(fake, dave, mark)
        assert other_task.target.name in listing.text
        mark = fake.mark()
        forged = [
            forge_callback(fake, dave, listing, f"{data}:{task.id}")
            for data in ("i:acc", "i:cfl", "i:cur", "i:sub", "i:rpe")
        ] + [forge_callback(fake, dave, listing, f"i:sgn:{task.id}:1")]
        answers = await fake.wait_for_all("answerCallbackQuery", since=mark, count=len(forged))
        assert {a.params.get("text") for a in answers} == {t("zh", "insp.not_yours")}
        fake.inject_text(dave, f"{name}在哪里？")
        fake.inject_location(dave, 33.75, 113.31)
        await fake.wait_for("sendMessage", chat_id=dave, since=mark, count=2)

        hello = await bot.application.bot.send_message(stranger.id, "您好")
        mark = fake.mark()
        fake.inject_command(stranger, "tasks")
        fake.inject_text(stranger, "任务")
        fake.inject_location(stranger, 33.75, 113.31)
        fake.inject_photo(stranger, b"not really a photo")
        probes = [forge_callback(fake, stranger, _call(fake, hello), f"i:acc:{task.id}")]
        fake.inject_command(alice, "tasks", chat=group)
        fake.inject_text(alice, f"{name} 明天去", chat=group)
        fake.inject_location(alice, 33.75, 113.31, chat=group)
        fake.inject_command(alice, "report", chat=group, at_bot=True)
        stranger_replies = await fake.wait_for_all("sendMessage", chat_id=stranger, since=mark,
                                                   count=4)  # fmt: skip
        assert {r.text for r in stranger_replies} == {t("zh", "stranger")}
        await fake.wait_for("answerCallbackQuery", since=mark)
        fake.inject_text(alice, "收到")  # after the group's updates: they were all handled
        await reply_to(fake, alice, mark)
        assert {c.text for c in fake.sent_to(group)} == {t("zh", "private_only")}

    assert len(seen_by(fake, bob.id)) == bob_seen_before
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert logged and not [line for line in logged if name in line or code in line]
    for chat, queries in ((dave.id, forged), (stranger.id, probes), (group.id, [])):
        for shown in seen_by(fake, chat, queries):
            assert name not in shown and code not in shown and task.number not in shown


def _call(fake, message):
    """The fake's record of a message the test sent through the bot itself."""
    return next(c for c in reversed(fake.calls) if c.result and c.messages
                and c.messages[-1]["message_id"] == message.message_id
                and c.chat_id == message.chat_id)  # fmt: skip
