"""无法检查 from the chat: the team leader reports that the current task could not be inspected
(closed, refused entry...), with a category and what happened; the task then awaits review."""

from __future__ import annotations

import pytest

from bot.i18n import t
from bot.inspector.unable import label
from domain.audit import log as audit
from domain.messaging import chat_accounts
from domain.storage.models import Evidence, MemberRole, Report, Task, TeamMember
from domain.tasks import team
from tests.kit.inspector_chat import (
    bound,
    has_button,
    press,
    reply_to,
    running,
    write,
)

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CLOSED = "到达时大门紧锁，物业称该单位已于上月停业"


async def leader_and_member(drawn, task):
    actors = await drawn.team(task)
    leader_id = (await TeamMember.get(task_id=task.id, role=MemberRole.LEADER)).inspector_id
    [leader] = [a for a in actors if a.id == leader_id]
    member = next(a for a in actors if a.id != leader_id)
    for actor in actors:
        await team.accept(actor, task.id)
    return leader, member


async def test_the_leader_reports_a_closed_business(drawn, fake, notice_font, tmp_path):
    task = drawn.tasks[0]
    leader, member = await leader_and_member(drawn, task)
    alice, bob = await bound(fake, leader), await bound(fake, member)
    await chat_accounts.set_current_task(bob.id, task.id)
    name = t("zh", "insp.task_name", target=task.target.name, number=task.number)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(bob, "unable")
        refused = await reply_to(fake, bob, mark)
        assert refused.text == t("zh", "unable.leader_only")

        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark, text=t("zh", "insp.tasks.header"))
        mark = await press(fake, alice, listing, f"i:cur:{task.id}")
        chosen = await reply_to(fake, alice, mark)
        assert has_button(chosen, f"i:cni:{task.id}")  # on the current task, for the leader
        mark = await press(fake, alice, chosen, f"i:cni:{task.id}")
        ask = await reply_to(fake, alice, mark)
        assert ask.text == t("zh", "unable.ask_category", name=name)
        assert all(has_button(ask, f"i:cn:c:{c}") for c in ("6", "7", "8", "9", "12"))
        assert not has_button(ask, "i:cn:c:1")  # "no problem found" is a report's result

        nudged = await write(fake, alice, "已停业")  # typed instead of pressed: not a note
        assert nudged.text == t("zh", "unable.use_buttons")
        mark = await press(fake, alice, ask, "i:cn:c:7")
        await reply_to(fake, alice, mark, text="请简要说明现场情况")
        await write(fake, alice, "大门紧锁")
        confirm = await write(fake, alice, CLOSED)  # a second text replaces the first
        assert confirm.text == t(
            "zh", "unable.confirm", name=name, category=label("7", "zh"), reason=CLOSED
        )
        mark = await press(fake, alice, confirm, "i:cn:ok")
        done = await reply_to(fake, alice, mark)
        assert done.text == t("zh", "unable.done", name=name, category="7 已关闭停业或正在组织清算")
        bot.sender.wake()
        told = await fake.wait_for(
            lambda c: c.method == "sendMessage" and c.text.startswith("⛔"),
            chat_id=bob,
            since=mark,
            timeout=30,
        )
        assert told.params["protect_content"] is True
        assert told.text == t(
            "zh", "unable.team", name=name, by=leader.name,
            category="7 已关闭停业或正在组织清算", reason=CLOSED,
        )  # fmt: skip
        await bot.sender.idle()
    # The leader who declared it is not told their own declaration.
    assert not any((c.text or "").startswith("⛔") for c in fake.sent_to(alice))

    task = await Task.get(id=task.id)
    assert task.state == "could_not_inspect" and task.state_reason == CLOSED
    report = await Report.get(task_id=task.id)
    assert report.data["result_categories"] == ["7"] and report.data["content"] == CLOSED
    entries = await audit.list_entries(object_kind="task", object_id=task.number)
    # (the notices' renderings are audited after it as views of the task)
    assert [e.action for e in entries if e.action != "sealed.view"][-1] == (
        "task.declare_could_not_inspect"
    )
    assert await chat_accounts.current_task_of(alice.id) is None
    assert not await Evidence.filter(task_id=task.id).exists()


async def test_cancelling_changes_nothing_in_english(drawn, fake, notice_font, tmp_path):
    task = drawn.tasks[0]
    leader, _member = await leader_and_member(drawn, task)
    alice = await bound(fake, leader)
    await chat_accounts.set_current_task(alice.id, task.id)  # chosen with /tasks before
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(alice, "lang", "en")
        await reply_to(fake, alice, mark, text=t("en", "lang.set"))
        for how in ("command", "button"):
            mark = fake.mark()
            fake.inject_command(alice, "unable")
            ask = await reply_to(fake, alice, mark)
            assert ask.text.startswith("Reporting that") and has_button(ask, "i:cn:x")
            mark = await press(fake, alice, ask, "i:cn:c:8")
            await reply_to(fake, alice, mark, text="Category: 8 seriously uncooperative")
            if how == "command":
                mark = fake.mark()
                fake.inject_command(alice, "cancel")
                cancelled = await reply_to(fake, alice, mark)
            else:
                confirm = await write(fake, alice, "The manager refused entry")
                mark = await press(fake, alice, confirm, "i:cn:x")
                cancelled = await reply_to(fake, alice, mark)
            assert cancelled.text == t("en", "unable.cancelled")
    assert (await Task.get(id=task.id)).state == "accepted"
    assert not await Report.filter(task_id=task.id).exists()
