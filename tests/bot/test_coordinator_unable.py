"""A could-not-inspect claim reaches the department's coordinators privately, with the result
category and what the leader found, and is approved or rejected from the chat like a report."""

from __future__ import annotations

import pytest

from bot.i18n import t
from domain.storage.models import Inspector, MemberRole, Task, TeamMember
from domain.tasks import team, visit
from tests.kit.coordinator_world import CODE, buttons, drawn_world, running
from tests.kit.inspector_chat import forge_callback

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CLOSED = "大门紧锁，物业称该单位已于上月停业"


@pytest.fixture
async def world(db, fake):
    return await drawn_world(fake)


async def declare(world, task: Task) -> list[int]:
    """The leader's side, through the domain (the dialogue: tests/bot/test_inspector_unable)."""
    actors = await world.team(task.id)
    for actor in actors:
        await team.accept(actor, task.id)
    leader_id = (await TeamMember.get(task_id=task.id, role=MemberRole.LEADER)).inspector_id
    [leader] = [a for a in actors if a.id == leader_id]
    await visit.could_not_inspect(leader, task.id, CLOSED, ["7"])
    return [a.id for a in actors]


async def notice_of(fake, world, task: Task, since: int):
    return await fake.wait_for(
        lambda c: c.method == "sendMessage" and task.number in (c.text or ""),
        chat_id=world.boss,
        since=since,
        timeout=30,
    )


async def test_the_coordinator_approves_a_claim_from_the_chat(world, fake, tmp_path):
    task = await Task.filter(campaign__code=CODE).order_by("id").prefetch_related("target").first()
    team_ids = [a.id for a in await world.team(task.id)]
    outsider = await Inspector.exclude(id__in=team_ids).order_by("id").first()
    stranger = fake.new_user("路人")
    async with running(fake, tmp_path) as bot:
        await bot.sender.idle(timeout=60)  # assignments to nobody yet: not what is tested
        outsider_user = await world.bind(fake, outsider.id)
        start = fake.mark()
        await declare(world, task)
        bot.sender.wake()
        notice = await notice_of(fake, world, task, start)
        assert notice.params["protect_content"] is True
        assert notice.text.splitlines()[0] == t("zh", "coord.unable.head", number=task.number)
        assert task.target.name in notice.text
        assert t("zh", "coord.unable.reason", reason=CLOSED) in notice.text
        assert "7 已关闭停业或正在组织清算" in notice.text
        # Approve or reject: the lifecycle has no "return" for a claim without a report.
        assert [b["callback_data"] for b in buttons(notice)] == [
            f"ru:a:{task.id}:1",
            f"ru:x:{task.id}:1",
        ]
        mark = fake.mark()
        fake.inject_callback(world.boss, notice, f"ru:a:{task.id}:1")
        answered = await fake.wait_for("answerCallbackQuery", since=mark)
        edited = await fake.wait_for("editMessageText", chat_id=world.boss, since=mark)
        assert answered.params["text"] == t("zh", "coord.review.approved_short")
        assert edited.text.endswith(t("zh", "coord.review.approved", name="赵敏"))
        assert (await Task.get(id=task.id)).state == "approved"

        mark = fake.mark()
        forge_callback(fake, world.boss, edited, f"ru:a:{task.id}:1")  # a stale client
        stale = await fake.wait_for("answerCallbackQuery", since=mark)
        assert stale.params["text"] == t("zh", "coord.review.stale")
        await bot.sender.idle(timeout=60)
    assert fake.sent_to(outsider_user) == [] and fake.sent_to(stranger) == []
    assert (await Task.get(id=task.id)).state == "approved"


async def test_a_rejected_claim_reaches_the_team_with_the_reason(world, fake, tmp_path):
    task = await Task.filter(campaign__code=CODE).order_by("id").prefetch_related("target").first()
    team_ids = await declare(world, task)
    async with running(fake, tmp_path) as bot:
        users = {i: await world.bind(fake, i) for i in team_ids}
        start = fake.mark()
        bot.sender.wake()
        notice = await notice_of(fake, world, task, start)
        mark = fake.mark()
        forge_callback(fake, world.boss, notice, f"ru:r:{task.id}:1")  # not offered: ignored
        fake.inject_callback(world.boss, notice, f"ru:x:{task.id}:1")
        ask = await fake.wait_for("sendMessage", chat_id=world.boss, since=mark)
        assert ask.text == t("zh", "coord.review.ask_reject")
        fake.inject_text(world.boss, "物业称该单位仍在营业")
        done = await fake.wait_for("sendMessage", chat_id=world.boss, since=ask.seq + 1)
        assert done.text == t("zh", "coord.review.reject_done")
        bot.sender.wake()
        name = t("zh", "insp.task_name", target=task.target.name, number=task.number)
        expected = t(
            "zh", "reviewed.rejected", name=name, revision=1, by="赵敏",
            comments="物业称该单位仍在营业",
        )  # fmt: skip
        for inspector_id in team_ids:
            got = await fake.wait_for(
                lambda c: c.method == "sendMessage" and c.text == expected,
                chat_id=users[inspector_id],
                since=start,
                timeout=30,
            )
            assert got.params["protect_content"] is True
        await bot.sender.idle(timeout=60)
    assert (await Task.get(id=task.id)).state == "rejected"
