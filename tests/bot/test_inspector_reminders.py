"""Task and follow-up reminders as the team reads them: their own tasks only, protected."""

from __future__ import annotations

import datetime as dt

import pytest
from tortoise import timezone

from bot.delivery import reminders
from bot.i18n import t
from domain.calendar import deadlines
from domain.calendar.imported import load_calendar
from domain.storage.models import FollowUp, Reminder
from domain.tasks import team
from tests.kit.inspector_chat import (
    bound,
    has_button,
    press,
    reply_to,
    running,
)

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign its fixtures plan


async def test_reminders_name_the_recipients_own_tasks(drawn, fake, notice_font, tmp_path):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    await team.accept(member, task.id)  # the member is not reminded to accept
    alice, bob = await bound(fake, leader), await bound(fake, member)
    calendar = await load_calendar()
    followup = await FollowUp.create(
        task_id=task.id,
        action="order_correction",
        what="清理消防通道",
        deadline=dt.date(2026, 12, 30),
    )
    await deadlines.schedule(
        "followup", followup.id, deadlines.plan_followup_reminders(calendar, followup.deadline)
    )
    # As if their days had come (a sweep's messages are due when it runs).
    await Reminder.filter(status="pending").update(due_at=timezone.now() - dt.timedelta(minutes=1))
    assert await reminders.sweep() > 0
    shown_name = t("zh", "insp.task_name", target=task.target.name, number=task.number)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        texts = {c.text for c in fake.sent_to(alice)}
        accept = next(c for c in fake.sent_to(alice) if c.text.startswith("提醒：您尚未确认"))
        assert f"· {shown_name} —— 已通知" in accept.text
        assert has_button(accept, f"i:acc:{task.id}") and accept.params["protect_content"]
        due3 = t("zh", "remind.due", due="2026-12-18", days=3, tasks="")
        assert any(x.startswith(due3) and shown_name in x for x in texts)
        assert any(x.startswith("以下抽查任务已超过完成期限（2026-12-18）") for x in texts)
        followup_text = t(
            "zh", "remind.followup", name=shown_name, due="2026-12-30",
            when=t("zh", "remind.when.today"), what="清理消防通道",
        )  # fmt: skip
        assert followup_text in texts and followup_text in {c.text for c in fake.sent_to(bob)}
        bob_accepts = [c.text for c in fake.sent_to(bob) if c.text.startswith("提醒：您尚未确认")]
        assert all(shown_name not in text for text in bob_accepts)  # only his other tasks
        for call in fake.sent_to(alice) + fake.sent_to(bob):
            assert call.params["protect_content"] is True

        # The reminder's button works like the assignment's.
        mark = await press(fake, alice, accept, f"i:acc:{task.id}")
        accepted = await reply_to(fake, alice, mark, text=shown_name)
        assert accepted.text.endswith(t("zh", "accept.team_done"))
