"""After the draw: /status, a submitted report reaching the coordinator with its photo and
anomaly, return with comments, approval by button, /publish — through the real Application."""

from __future__ import annotations

import pytest

from bot.coordinator.formatting import status_text
from bot.i18n import t
from domain.campaigns.status import campaign_status
from domain.evidence import Variant
from domain.evidence.service import add_note, add_photo, photo_store
from domain.storage.models import Campaign, Inspector, OutboxMessage, OutboxStatus, Report, Task
from domain.tasks import reporting, team, visit
from tests.fakebot.samples import jpeg
from tests.kit.coordinator_world import CODE, buttons, drawn_world, running

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign its fixtures plan

REPORT = {
    "started_at": "2026-11-20T09:30:00+08:00",
    "ended_at": "2026-11-20T11:00:00+08:00",
    "content": "检查人防工程平时使用情况",
    "methods": ["实地检查"],
    "steps": "出示证件和通知书，查看现场，查阅台账",
    "findings": "防护密闭门前堆放杂物",
    "evaluation": "管理基本规范",
    "handling_opinion": "当场责令清理",
    "result_categories": ["E"],
    "follow_up_action": "none",
}


@pytest.fixture
async def world(db, fake):
    return await drawn_world(fake)


async def submit(world, task: Task, data_dir, *, revise: bool = False) -> None:
    """The team's side, through the domain services (the inspectors' chat is tested apart)."""
    leader, member = await world.team(task.id)
    if not revise:
        await team.accept(leader, task.id)
        await team.accept(member, task.id)
        await visit.check_in(leader, task.id)
        await add_note(leader, task.id, "condition", "现场有杂物", idempotency_key=f"n{task.id}")
        await add_photo(
            leader, task.id, jpeg(), store=photo_store(data_dir), idempotency_key=f"p{task.id}"
        )
        await reporting.save_report(leader, task.id, REPORT)
    else:
        await reporting.save_report(leader, task.id, {"findings": "已补充：杂物已清理"})
    await reporting.sign_report(leader, task.id)
    await reporting.sign_report(member, task.id)
    await reporting.submit_report(member, task.id)


async def test_status_review_and_publish(world, fake, tmp_path):
    boss, actor = world.boss, world.coordinator
    tasks = list(await Task.filter(campaign__code=CODE).order_by("id").prefetch_related("target"))
    first = tasks[0]
    async with running(fake, tmp_path) as bot:
        await bot.sender.idle(timeout=60)  # the assignments
        mark = fake.mark()
        fake.inject_command(boss, "status")
        status = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert status.text == status_text("zh", await campaign_status(actor, CODE))
        assert "任务进度：" in status.text and status.params["protect_content"] is True

        await submit(world, first, tmp_path)
        bot.sender.wake()
        notice = await fake.wait_for("sendMessage", chat_id=boss, since=status.seq + 1)
        photo = await fake.wait_for("sendPhoto", chat_id=boss, since=status.seq + 1)
        assert notice.params["protect_content"] is True and photo.params["protect_content"] is True
        assert first.number in notice.text and first.target.name in notice.text
        assert "防护密闭门前堆放杂物" in notice.text
        stored = await first.evidence.filter(kind="photo").first()
        [anomaly] = stored.anomalies  # the photo carries no capture time: flagged
        assert anomaly["message"] in notice.text  # the anomaly, in view
        assert "⚠" in photo.text and anomaly["message"] in photo.text
        display = photo_store(tmp_path).read(stored.photo_sha256, Variant.DISPLAY)
        assert photo.files["photo"].content == display
        assert [b["callback_data"] for b in buttons(notice)] == [
            f"rv:a:{first.id}:1",
            f"rv:r:{first.id}:1",
            f"rv:x:{first.id}:1",
        ]

        # Return, with comments asked for first.
        mark = fake.mark()
        fake.inject_callback(boss, notice, f"rv:r:{first.id}:1")
        ask = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert ask.text == t("zh", "coord.review.ask_return")
        fake.inject_text(boss, "请说明杂物是否已清理")
        done = await fake.wait_for("sendMessage", chat_id=boss, since=ask.seq + 1)
        assert done.text == t("zh", "coord.review.return_done")
        edited = await fake.wait_for("editMessageText", chat_id=boss, since=mark)
        assert edited.text.endswith(
            t("zh", "coord.review.returned_note", name="赵敏", comments="请说明杂物是否已清理")
        )
        assert "reply_markup" not in edited.result
        assert (await Task.get(id=first.id)).state == "returned"
        assert (await Report.get(task_id=first.id)).review_comments == "请说明杂物是否已清理"

        # The revised report comes again; approved by its button.
        await submit(world, first, tmp_path, revise=True)
        bot.sender.wake()
        again = await fake.wait_for(
            lambda c: c.method == "sendMessage" and "第 2 版" in (c.text or ""),
            chat_id=boss,
            since=done.seq + 1,
        )
        mark = fake.mark()
        fake.inject_callback(boss, again, f"rv:a:{first.id}:2")
        answered = await fake.wait_for("answerCallbackQuery", since=mark)
        approved = await fake.wait_for("editMessageText", chat_id=boss, since=mark)
        assert answered.params["text"] == t("zh", "coord.review.approved_short")
        assert approved.text.endswith(t("zh", "coord.review.approved", name="赵敏"))
        assert (await Task.get(id=first.id)).state == "approved"

        # The others cannot be done: cancelled; then the campaign is published by command.
        mark = fake.mark()
        fake.inject_command(boss, "publish", CODE)
        refused = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        fake.inject_callback(boss, refused, f"pb:{(await Campaign.get(code=CODE)).id}")
        still_open = await fake.wait_for("sendMessage", chat_id=boss, since=refused.seq + 1)
        assert "还有未完成的任务" in still_open.text
        for task in tasks[1:]:
            await visit.cancel(actor, task.id, "对象已迁出本市")
        mark = fake.mark()
        fake.inject_command(boss, "publish", CODE)
        confirm = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        campaign = await Campaign.get(code=CODE)
        assert confirm.text == t("zh", "publish.confirm", code=CODE, name=campaign.name)
        fake.inject_callback(boss, confirm, f"pb:{campaign.id}")
        published = await fake.wait_for("sendMessage", chat_id=boss, since=confirm.seq + 1)
    assert published.text == t("zh", "publish.done", code=CODE, tasks=1)
    assert (await Campaign.get(code=CODE)).status == "published"
    assert (await Task.get(id=first.id)).state == "published"


async def test_a_report_reviewed_before_delivery_is_not_announced(world, fake, tmp_path):
    first = await Task.filter(campaign__code=CODE).order_by("id").first()
    await submit(world, first, tmp_path)
    await reporting.review(world.coordinator, first.id, "approve", "")
    async with running(fake, tmp_path) as bot:
        await bot.sender.idle(timeout=60)
    row = await OutboxMessage.get(kind="report.submitted")
    assert row.status == OutboxStatus.SENT and row.external_id is None
    assert fake.sent_to(world.boss) == []


async def test_return_needs_the_latest_revision(world, fake, tmp_path):
    first = await Task.filter(campaign__code=CODE).order_by("id").first()
    await submit(world, first, tmp_path)
    async with running(fake, tmp_path) as bot:
        notice = await fake.wait_for("sendMessage", chat_id=world.boss, timeout=60)
        # Another coordinator returned it meanwhile, and the team submitted revision 2.
        await reporting.review(world.coordinator, first.id, "return", "补充说明")
        await submit(world, first, tmp_path, revise=True)
        mark = fake.mark()
        fake.inject_callback(world.boss, notice, f"rv:a:{first.id}:1")
        stale = await fake.wait_for("answerCallbackQuery", since=mark)
        assert stale.params["text"] == t("zh", "coord.review.stale")
        await bot.sender.idle(timeout=60)
    assert (await Task.get(id=first.id)).state == "report_submitted"


async def decide_by_button(fake, boss, notice, key: str, task_id: int, comments: str):
    mark = fake.mark()
    fake.inject_callback(boss, notice, f"rv:{key}:{task_id}:1")
    ask = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
    fake.inject_text(boss, comments)
    return await fake.wait_for("sendMessage", chat_id=boss, since=ask.seq + 1)


async def test_return_and_reject_reach_each_member_with_the_reason(world, fake, tmp_path):
    tasks = await Task.filter(campaign__code=CODE).order_by("id").prefetch_related("target")
    teams = {task.id: [a.id for a in await world.team(task.id)] for task in tasks}
    returned = tasks[0]
    team_r = teams[returned.id]
    # Two teams without a common member, so each member expects exactly one message.
    rejected = next(x for x in tasks[1:] if not set(teams[x.id]) & set(team_r))
    team_x = teams[rejected.id]
    outsider = await Inspector.exclude(id__in=team_r + team_x).order_by("id").first()
    async with running(fake, tmp_path) as bot:
        await bot.sender.idle(timeout=60)  # assignments to nobody yet: not what is tested
        users = {i: await world.bind(fake, i) for i in [*team_r, *team_x, outsider.id]}
        english = users[team_r[1]]
        mark = fake.mark()
        fake.inject_command(english, "lang", "en")
        await fake.wait_for("sendMessage", chat_id=english, since=mark)
        start = fake.mark()
        for task in (returned, rejected):
            await submit(world, task, tmp_path)
        bot.sender.wake()
        notices = {}
        for task in (returned, rejected):
            notices[task.id] = await fake.wait_for(
                lambda c, n=task.number: c.method == "sendMessage" and n in (c.text or ""),
                chat_id=world.boss,
                since=start,
            )
        # The sign requests the domain queued with each report: sent while it was a draft,
        # or dropped as stale once submitted; either way before the decisions.
        await bot.sender.idle(timeout=60)
        decided = fake.mark()
        await decide_by_button(
            fake, world.boss, notices[returned.id], "r", returned.id, "补充整改照片"
        )
        await decide_by_button(
            fake, world.boss, notices[rejected.id], "x", rejected.id, "签到地点不符"
        )
        bot.sender.wake()
        got = {}
        for inspector_id in team_r + team_x:
            got[inspector_id] = await fake.wait_for(
                "sendMessage", chat_id=users[inspector_id], since=decided, timeout=30
            )
        await bot.sender.idle(timeout=60)
    for inspector_id in team_r + team_x:
        since_start = [c.text for c in fake.sent_to(users[inspector_id]) if c.seq >= decided]
        assert since_start == [got[inspector_id].text]  # once each, and only their own task
        assert got[inspector_id].params["protect_content"] is True
    zh_name = t("zh", "insp.task_name", target=returned.target.name, number=returned.number)
    assert got[team_r[0]].text == t(
        "zh", "reviewed.returned", name=zh_name, revision=1, by="赵敏", comments="补充整改照片"
    )
    en_name = t("en", "insp.task_name", target=returned.target.name, number=returned.number)
    assert got[team_r[1]].text == t(
        "en", "reviewed.returned", name=en_name, revision=1, by="赵敏", comments="补充整改照片"
    )
    assert got[team_r[1]].text.startswith("↩ Coordinator 赵敏 returned")
    x_name = t("zh", "insp.task_name", target=rejected.target.name, number=rejected.number)
    for inspector_id in team_x:
        assert got[inspector_id].text == t(
            "zh", "reviewed.rejected", name=x_name, revision=1, by="赵敏", comments="签到地点不符"
        )
    assert fake.sent_to(users[outsider.id]) == []
    assert (await Task.get(id=returned.id)).state == "returned"
    assert (await Task.get(id=rejected.id)).state == "rejected"
