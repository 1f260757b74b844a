"""Reminders to coordinators, stored by the domain, fired by the sweeper, delivered by the bot:
publication deadlines (results and penalties) and overdue tasks."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.i18n import t
from domain.calendar import deadlines
from domain.calendar.imported import load_calendar
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.messaging import outbox
from domain.rules.lifecycle import TaskState
from domain.storage.models import Campaign, OutboxMessage, OutboxStatus, Reminder, Task
from domain.tasks import closing, visit
from tests.kit.calendar_years import LAST_COVERED, UNCOVERED
from tests.kit.coordinator_world import CODE, demo_world, plan_campaign, running

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign its fixtures plan


async def drawn(world, due: dt.date | None = None) -> list[Task]:
    await plan_campaign(world, due=due)
    await prepare_draw(world.coordinator, CODE)
    await reveal_draw(world.coordinator, CODE, dice="31415926535897932384 62643")
    return list(await Task.filter(campaign__code=CODE).order_by("id"))


@pytest.fixture
async def world(db, fake):
    return await demo_world(fake, inspectors_bound=False)


async def fire(kind: str) -> None:
    """That reminder only, now, as the sweeper fires it when its time has come."""
    reminder = await Reminder.get(kind=kind)
    assert await outbox.fire_reminder(reminder.id)


async def test_results_deadline_reminds_until_published(world, fake, tmp_path):
    tasks = await drawn(world)
    for task in tasks:
        await visit.cancel(world.coordinator, task.id, "对象已注销")
    campaign = await closing.refresh_completion(world.coordinator, CODE)
    due = deadlines.results_deadline(await load_calendar(), campaign.completed_on).due
    await fire("results.publish.due5")
    async with running(fake, tmp_path) as bot:
        sent = await fake.wait_for("sendMessage", chat_id=world.boss, timeout=60)
        await bot.sender.idle(timeout=60)
    assert sent.text == t(
        "zh",
        "coord.remind.results",
        code=CODE,
        name=campaign.name,
        due=due.isoformat(),
        when=t("zh", "coord.remind.due5"),
    )


@pytest.mark.clock("2026-11-20 08:00")  # drawn on its due date (a draw after it is refused)
async def test_overdue_tasks_are_listed_to_the_coordinator(world, fake, tmp_path, office_clock):
    tasks = await drawn(world, due=dt.date(2026, 11, 20))
    office_clock.set("2026-11-23 09:00")  # the first working day after the due date
    await visit.cancel(world.coordinator, tasks[0].id, "对象已注销")
    leader = (await tasks[1].members.all().order_by("id"))[0]
    leader_user = await world.bind(fake, leader.inspector_id)
    await fire("task.overdue")
    async with running(fake, tmp_path) as bot:
        sent = await fake.wait_for("sendMessage", chat_id=world.boss, timeout=60)
        await bot.sender.idle(timeout=60)
    numbers = [t.number for t in tasks[1:]]
    assert sent.text == t(
        "zh",
        "coord.remind.overdue",
        code=CODE,
        count=len(numbers),
        due="2026-11-20",
        tasks="、".join(numbers),
    )
    assert sent.params["protect_content"] is True
    # The team members got their own reminder (not the coordinator's list).
    theirs = await OutboxMessage.get(
        kind="task.overdue", recipient_kind="inspector", recipient_id=leader.inspector_id
    )
    assert theirs.status == OutboxStatus.SENT and theirs.external_id is not None
    assert sent.text not in [c.text for c in fake.sent_to(leader_user)]


async def test_penalty_deadline_reminds_the_coordinator(world, fake, tmp_path):
    tasks = await drawn(world)
    await Task.filter(id=tasks[0].id).update(state=TaskState.APPROVED)  # its result approved
    await closing.record_penalty(
        world.coordinator, tasks[0].id, "示人防罚〔2026〕3号", dt.date(2026, 11, 27), "罚款一万元"
    )
    reminder = await Reminder.get(kind="penalty.publish.due1")
    await fire("penalty.publish.due1")
    async with running(fake, tmp_path):
        sent = await fake.wait_for("sendMessage", chat_id=world.boss, timeout=60)
    assert sent.text == t(
        "zh",
        "coord.remind.penalty",
        code=CODE,
        count=1,
        decided="2026-11-27",
        due=reminder.payload["due_date"],
        when=t("zh", "coord.remind.due1"),
    )


@pytest.mark.clock(f"{LAST_COVERED}-12-17 10:00")  # drawn before its due date
async def test_a_provisional_results_deadline_is_announced_and_marked(
    world, fake, tmp_path, office_clock
):
    tasks = await drawn(world)
    office_clock.set(f"{LAST_COVERED}-12-21 10:00")  # 20 working days reach the next year
    for task in tasks:
        await visit.cancel(world.coordinator, task.id, "对象已注销")
    campaign = await Campaign.get(code=CODE)  # completed with the last cancellation
    assert campaign.status == "completed"
    due = deadlines.results_deadline(await load_calendar(), campaign.completed_on)
    assert due.assumed == {UNCOVERED}
    await fire("calendar.missing")
    await fire("results.publish.due5")
    async with running(fake, tmp_path) as bot:
        sent = await fake.wait_for_all("sendMessage", chat_id=world.boss, count=2, timeout=60)
        await bot.sender.idle(timeout=60)
    texts = sorted(c.text for c in sent)
    missing = next(x for x in texts if x.startswith(f"提醒：抽查计划 {CODE} 的抽查结果公示期限"))
    assert f"暂定为 {due.due.isoformat()}（暂定）" not in missing  # said once, not twice
    assert f"暂定为 {due.due.isoformat()}。" in missing
    assert f"还没有 {UNCOVERED} 年的工作日历" in missing
    assert "shuangsuiji calendar import FILE" in missing
    reminder = next(x for x in texts if x is not missing)
    assert reminder.startswith(
        t("zh", "coord.remind.results", code=CODE, name=campaign.name,
          due=f"{due.due.isoformat()}（暂定）", when=t("zh", "coord.remind.due5"))
    )  # fmt: skip
    assert f"还没有 {UNCOVERED} 年的工作日历" in reminder
