"""The team hears that the coordinator approved its report: each member once, in their own
language, with the comments and the follow-up left to them."""

from __future__ import annotations

import pytest

from bot.i18n import t
from domain.storage.models import Coordinator, Task
from domain.tasks import reporting, team, visit
from tests.kit.bot import bind
from tests.kit.drawn import REPORT
from tests.kit.inspector_chat import bound, has_button, reply_to, running

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CORRECTION = {
    **REPORT,
    "findings": "消防通道堵塞",
    "result_categories": ["A"],
    "follow_up_action": "order_correction",
    "follow_up_state": "open",
    "correction_items": "清理消防通道",
    "correction_deadline": "2026-12-31",
}


async def test_every_member_hears_the_approval(drawn, fake, notice_font, tmp_path):
    task = await Task.get(id=drawn.tasks[0].id).prefetch_related("target")
    leader, member = await drawn.team(task)
    alice, bob = await bound(fake, leader), await bound(fake, member)
    boss = fake.new_user("协调员")
    await bind(await Coordinator.get(id=drawn.coordinator.id), boss)
    for actor in (leader, member):
        await team.accept(actor, task.id)
    await visit.check_in(leader, task.id)
    await reporting.save_report(leader, task.id, CORRECTION)
    for actor in (leader, member):
        await reporting.sign_report(actor, task.id)
    await reporting.submit_report(member, task.id)
    approve = f"rv:a:{task.id}:1"
    async with running(fake, tmp_path, notice_font) as bot:
        notice = await fake.wait_for(
            lambda c: c.method == "sendMessage" and has_button(c, approve),
            chat_id=boss,
            timeout=60,
        )
        await bot.sender.idle(timeout=60)
        mark = fake.mark()
        fake.inject_command(bob, "lang", "en")
        await reply_to(fake, bob, mark, text=t("en", "lang.set"))
        start = fake.mark()
        fake.inject_callback(boss, notice, approve)
        await fake.wait_for("editMessageText", chat_id=boss, since=start)
        bot.sender.wake()
        got = {user.id: await reply_to(fake, user, start, text="✅") for user in (alice, bob)}
        await bot.sender.idle(timeout=60)
    assert (await Task.get(id=task.id)).state == "approved"
    boss_name = (await Coordinator.get(id=drawn.coordinator.id)).name
    completed = (await Task.get(id=task.id)).completed_on.isoformat()
    for user, lang in ((alice, "zh"), (bob, "en")):
        name = t(lang, "insp.task_name", target=task.target.name, number=task.number)
        head = t(
            lang,
            "reviewed.approved",
            name=name,
            revision=1,
            by=boss_name,
            comments="—",
            completed_on=completed,
        )
        action = "责令整改" if lang == "zh" else "ordered to correct"
        followup = t(
            lang,
            "reviewed.followup",
            action=action,
            deadline=t(lang, "reviewed.followup_deadline", due="2026-12-31"),
            what="清理消防通道",
        )
        assert got[user.id].text == f"{head}\n{followup}"
        assert got[user.id].params["protect_content"] is True
        since = [c.text for c in fake.sent_to(user) if c.seq >= start]
        assert since == [got[user.id].text]  # once each
    assert "审核通过" in got[alice.id].text and "期限 2026-12-31" in got[alice.id].text
    assert got[bob.id].text.startswith(f"✅ Coordinator {boss_name} approved")
