"""/draw end to end on the demo data: the real Application polling the fake Bot API, the outbox
sender delivering each team member's assignment privately."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.i18n import t
from domain.campaigns.frozen import frozen_candidates
from domain.campaigns.plan import active_items
from domain.campaigns.prepare import prepare_draw
from domain.storage.models import (
    AuditEntry,
    Campaign,
    Draw,
    DrawStatus,
    OutboxMessage,
    OutboxStatus,
    Task,
    TeamMember,
)
from tests.kit.coordinator_world import CODE, buttons, demo_world, plan_campaign, running
from tests.kit.staffing import rare_target

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


@pytest.fixture
async def world(db, fake):
    return await demo_world(fake)


@pytest.fixture
async def quiet_world(db, fake):
    return await demo_world(fake, inspectors_bound=False)


def texts(calls) -> list[str]:
    return [c.text for c in calls]


async def test_draw_end_to_end_on_demo_data(world, fake, tmp_path):
    await plan_campaign(world)
    campaign = await Campaign.get(code=CODE)
    boss = world.boss
    async with running(fake, tmp_path) as bot:
        mark = fake.mark()
        fake.inject_command(boss, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert choose.text == t("zh", "draw.choose")
        assert [b["callback_data"] for b in buttons(choose)] == [
            f"dr:c:{campaign.id}",
            "dr:new",
            "dr:x",
        ]

        mark = fake.mark()
        fake.inject_callback(boss, choose, f"dr:c:{campaign.id}")
        summary, ask = await fake.wait_for_all("sendMessage", chat_id=boss, since=mark, count=2)
        draw = await Draw.get(campaign_id=campaign.id)
        assert draw.status == DrawStatus.PREPARED
        assert draw.commitment in summary.text
        assert draw.prepared["pool"]["digest"] in summary.text
        for stratum in draw.prepared["strata"]:
            line = t("zh", "draw.stratum", name=stratum["name"], eligible=stratum["eligible"],
                     ratio=stratum["ratio_percent"], take=stratum["take"])  # fmt: skip
            assert line in summary.text
        assert ask.text == t("zh", "draw.ask_dice")

        # Two parties, one message each: the reveal button appears with the 20th digit.
        mark = fake.mark()
        fake.inject_text(boss, "31415 92653")
        first = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert t("zh", "draw.dice_more", missing=10) in first.text
        assert "dr:go:1" not in [b["callback_data"] for b in buttons(first)]
        fake.inject_text(boss, "5897932384/62643")
        second = await fake.wait_for("sendMessage", chat_id=boss, since=first.seq + 1)
        assert "3141592653 / 589793238462643" in second.text
        assert "dr:go:2" in [b["callback_data"] for b in buttons(second)]

        mark = fake.mark()
        fake.inject_callback(boss, second, "dr:go:2")
        result = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        await draw.refresh_from_db()
        tasks = await Task.filter(campaign_id=campaign.id).count()
        assert draw.status == DrawStatus.REVEALED
        assert draw.entropy == "dice:3141592653589793238462643"
        assert draw.record_hash in result.text
        assert f"共抽取 {tasks} 个任务" in result.text and tasks > 0
        fair = json.loads(draw.record)["fairness"]
        assert f"每名执法人员承担 {fair['least']} 至 {fair['most']} 组" in result.text
        assert buttons(result) == [
            {"text": t("zh", "draw.list_button"), "callback_data": f"dl:{campaign.id}"}
        ]
        # The reveal button is gone from the message that was pressed.
        assert (
            "reply_markup" not in fake.world.messages[(boss.id, second.messages[0]["message_id"])]
        )

        # Each team member got their assignment in their private chat, protected.
        await bot.sender.idle(timeout=90)
        rows = await OutboxMessage.filter(kind="assignment")
        assert len(rows) == await TeamMember.filter(task__campaign_id=campaign.id).count()
        assert {r.status for r in rows} == {OutboxStatus.SENT}
        for row in rows:
            received = fake.sent_to(world.user_of(row.recipient_id))
            assert received and all(c.params["protect_content"] is True for c in received)

        # The list itself only on request: protected, every task named, the view audited once.
        mark = fake.mark()
        fake.inject_callback(boss, result, f"dl:{campaign.id}")
        listed = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert listed.params["protect_content"] is True
        numbers = (
            await Task.filter(campaign_id=campaign.id)
            .order_by("id")
            .values_list("number", flat=True)
        )
        assert all(n in listed.text for n in numbers)
        views = await AuditEntry.filter(action="sealed.view", actor=world.coordinator.label)
        listed_views = [json.loads(v.data) for v in views]
        listed_views = [d for d in listed_views if d["purpose"] == "draw.list"]
        assert listed_views == [{"purpose": "draw.list", "tasks": list(numbers)}]


async def test_a_new_campaign_through_the_form(world, fake, tmp_path):
    boss = world.boss
    async with running(fake, tmp_path):
        mark = fake.mark()
        fake.inject_command(boss, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert choose.text == t("zh", "draw.choose_none")
        fake.inject_callback(boss, choose, "dr:new")
        ask_code = await fake.wait_for("sendMessage", chat_id=boss, since=choose.seq + 1)
        assert ask_code.text == t("zh", "draw.ask_code")
        fake.inject_text(boss, "2026 RF")
        bad = await fake.wait_for("sendMessage", chat_id=boss, since=ask_code.seq + 1)
        assert bad.text == t("zh", "draw.code_bad")
        fake.inject_text(boss, "2026-RF-10")
        ask_name = await fake.wait_for("sendMessage", chat_id=boss, since=bad.seq + 1)
        fake.inject_text(boss, "2026年人防工程平时使用专项抽查")
        items = await fake.wait_for("sendMessage", chat_id=boss, since=ask_name.seq + 1)
        assert items.text == t("zh", "draw.ask_items")
        mark = fake.mark()
        fake.inject_callback(boss, items, "dr:it:ok")  # nothing chosen yet: refused
        alert = await fake.wait_for("answerCallbackQuery", since=mark)
        assert alert.params["text"] == t("zh", "draw.items_none")
        for index in (6, 8, 6, 7):  # 6 chosen then unchosen: 7 and 8 stay
            fake.inject_callback(boss, items, f"dr:it:{index}")
            await fake.wait_for("editMessageReplyMarkup", chat_id=boss, since=mark)
            mark = fake.mark()
        fake.inject_callback(boss, items, "dr:it:ok")
        ask_dates = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert ask_dates.text == t("zh", "draw.ask_dates")
        fake.inject_text(boss, "2026-12-20 2026-12-01")  # due before start: the domain says so
        refused = await fake.wait_for("sendMessage", chat_id=boss, since=ask_dates.seq + 1)
        assert "截止日期 2026-12-01 早于开始日期 2026-12-20" in refused.text
        fake.inject_text(boss, "2026年12月1日 至 2026年12月30日")
        created, summary, ask = await fake.wait_for_all(
            "sendMessage", chat_id=boss, since=refused.seq + 1, count=3
        )
    campaign = await Campaign.get(code="2026-RF-10")
    # What the campaign got, not the defaults the form did not ask about.
    ratios = "A 类 30%、B 类 30%、C 类 30%、D 类 30%、高风险 50%"
    assert created.text == f"已创建抽查计划 2026-RF-10（抽取比例：{ratios}；每组 2 名执法人员）。"
    assert campaign.item_codes == ["RF-419800-008", "RF-419800-009"]
    assert (campaign.start_date, campaign.due_date) == (dt.date(2026, 12, 1), dt.date(2026, 12, 30))
    # No ratios asked in the form: the items' (RF-419800-008's 30%, the highest) in every class.
    assert campaign.ratios == {"A": "30", "B": "30", "C": "30", "D": "30", "high": "50"}
    assert campaign.ratio_reason == "" and campaign.team_size == 2
    draw = await Draw.get(campaign_id=campaign.id)
    assert draw.commitment in summary.text and ask.text == t("zh", "draw.ask_dice")


async def test_a_prepared_draw_resumes_after_a_restart(world, fake, tmp_path):
    await plan_campaign(world)
    campaign = await Campaign.get(code=CODE)
    boss = world.boss
    async with running(fake, tmp_path):
        fake.inject_command(boss, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=boss)
        fake.inject_callback(boss, choose, f"dr:c:{campaign.id}")
        fresh, _ = await fake.wait_for_all(
            "sendMessage", chat_id=boss, since=choose.seq + 1, count=2
        )
        fake.inject_text(boss, "12345678901234567890")
        await fake.wait_for("sendMessage", chat_id=boss, since=choose.seq + 1, count=3)
    draw = await Draw.get(campaign_id=campaign.id)
    # Restarted, the coordinator starts /draw again rather than go on with what they typed
    # (test_draw_half_entered_goes_on_after_a_restart): the prepared draw is resumed.
    async with running(fake, tmp_path):
        mark = fake.mark()
        fake.inject_command(boss, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        fake.inject_callback(boss, choose, f"dr:c:{campaign.id}")
        summary, _ = await fake.wait_for_all(
            "sendMessage", chat_id=boss, since=choose.seq + 1, count=2
        )
        # What the witnesses saw at prepare, every digest included, under the resumed note.
        assert summary.text == t("zh", "draw.resumed") + "\n" + fresh.text
        assert draw.prepared["pool"]["snapshot_digest"] in fresh.text
        fake.inject_text(boss, "98765432109876543210")
        ready = await fake.wait_for("sendMessage", chat_id=boss, since=summary.seq + 2)
        fake.inject_callback(boss, ready, "dr:go:1")
        result = await fake.wait_for("sendMessage", chat_id=boss, since=ready.seq + 1)
    await draw.refresh_from_db()
    assert await Draw.filter(campaign_id=campaign.id).count() == 1
    assert draw.entropy == "dice:98765432109876543210" and draw.record_hash in result.text


async def test_abandon_keeps_the_reason_and_allows_a_new_prepare(world, fake, tmp_path):
    await plan_campaign(world)
    campaign = await Campaign.get(code=CODE)
    boss = world.boss
    async with running(fake, tmp_path):
        fake.inject_command(boss, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=boss)
        fake.inject_callback(boss, choose, f"dr:c:{campaign.id}")
        await fake.wait_for("sendMessage", chat_id=boss, since=choose.seq + 1, count=2)
        mark = fake.mark()
        fake.inject_command(boss, "abandon", CODE)
        usage = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert usage.text == t("zh", "abandon.usage")
        fake.inject_command(boss, "abandon", f"{CODE} 骰子被碰倒 重新掷")
        done = await fake.wait_for("sendMessage", chat_id=boss, since=usage.seq + 1)
        assert done.text == t("zh", "abandon.done", code=CODE)
        fake.inject_command(boss, "abandon", f"{CODE} again")
        again = await fake.wait_for("sendMessage", chat_id=boss, since=done.seq + 1)
        assert "没有待揭示的抽取" in again.text
    [draw] = await Draw.filter(campaign_id=campaign.id)
    assert draw.status == DrawStatus.ABANDONED and draw.abandoned_reason == "骰子被碰倒 重新掷"


async def test_a_draw_prepared_with_a_beacon_asks_for_its_value(quiet_world, fake, tmp_path):
    world, beacon = quiet_world, {"source": "drand", "round": 4242}
    await plan_campaign(world)
    await prepare_draw(world.coordinator, CODE, beacon=beacon)  # e.g. from the CLI
    campaign = await Campaign.get(code=CODE)
    boss = world.boss
    async with running(fake, tmp_path):
        fake.inject_command(boss, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=boss)
        fake.inject_callback(boss, choose, f"dr:c:{campaign.id}")
        summary, ask = await fake.wait_for_all(
            "sendMessage", chat_id=boss, since=choose.seq + 1, count=2
        )
        assert t("zh", "draw.beacon", source="drand", round=4242) in summary.text
        assert ask.text == t("zh", "draw.ask_beacon")
        fake.inject_text(boss, "31415926535897932384")  # dice: not what was fixed
        refused = await fake.wait_for("sendMessage", chat_id=boss, since=ask.seq + 1)
        assert "十六进制" in refused.text
        value = "AB" * 32
        fake.inject_text(boss, value)
        got = await fake.wait_for("sendMessage", chat_id=boss, since=refused.seq + 1)
        assert got.text.startswith(t("zh", "draw.beacon_got", value=value.lower())[:20])
        fake.inject_callback(boss, got, "dr:go:b")
        result = await fake.wait_for("sendMessage", chat_id=boss, since=got.seq + 1)
    draw = await Draw.get(campaign_id=campaign.id)
    assert draw.entropy == "beacon:" + value.lower() and draw.record_hash in result.text


async def test_draw_half_entered_goes_on_after_a_restart(world, fake, tmp_path):
    """The first party's digits outlive a restart (bot/persistence.py): the second party's
    complete them and the reveal uses both."""
    await plan_campaign(world)
    campaign = await Campaign.get(code=CODE)
    boss = world.boss
    async with running(fake, tmp_path):
        mark = fake.mark()
        fake.inject_command(boss, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        mark = fake.mark()
        fake.inject_callback(boss, choose, f"dr:c:{campaign.id}")
        await fake.wait_for_all("sendMessage", chat_id=boss, since=mark, count=2)
        mark = fake.mark()
        fake.inject_text(boss, "31415 92653")
        first = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert t("zh", "draw.dice_more", missing=10) in first.text

    async with running(fake, tmp_path):  # a new process, the same database
        mark = fake.mark()
        fake.inject_text(boss, "5897932384/62643")
        second = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        assert "3141592653 / 589793238462643" in second.text
        mark = fake.mark()
        fake.inject_callback(boss, second, "dr:go:2")
        result = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        draw = await Draw.get(campaign_id=campaign.id)
        assert draw.status == DrawStatus.REVEALED
        assert draw.entropy == "dice:3141592653589793238462643"
        assert draw.record_hash in result.text


async def refused_prepare(fake, boss, campaign):
    """/draw on `campaign`, whose prepare is refused: the refusal with its buttons."""
    mark = fake.mark()
    fake.inject_command(boss, "draw")
    choose = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
    fake.inject_callback(boss, choose, f"dr:c:{campaign.id}")
    return await fake.wait_for("sendMessage", chat_id=boss, since=choose.seq + 1)


async def test_a_refused_prepare_is_corrected_in_the_chat_and_prepared_again(world, fake, tmp_path):
    await plan_campaign(world)
    target = await rare_target()
    campaign = await Campaign.get(code=CODE)
    boss = world.boss
    codes = [i.code for i in await active_items(90)]
    async with running(fake, tmp_path):
        refused = await refused_prepare(fake, boss, campaign)
        assert target.credit_code in refused.text and t("zh", "draw.fix_ask") in refused.text
        assert [b["callback_data"] for b in buttons(refused)] == [
            "dr:fx:u", "dr:fx:d", "dr:fx:i", "dr:fx:del", "dr:x"
        ]  # fmt: skip
        assert await Draw.filter(campaign_id=campaign.id).count() == 0

        fake.inject_callback(boss, refused, "dr:fx:d")
        ask = await fake.wait_for("sendMessage", chat_id=boss, since=refused.seq + 1)
        assert ask.text == t("zh", "draw.ask_dates")
        fake.inject_text(boss, "2026-12-20 2026-12-01")  # due before start: the domain says so
        again = await fake.wait_for("sendMessage", chat_id=boss, since=ask.seq + 1)
        assert "截止日期 2026-12-01 早于开始日期 2026-12-20" in again.text
        assert "dr:fx:i" in [b["callback_data"] for b in buttons(again)]

        mark = fake.mark()
        fake.inject_callback(boss, again, "dr:fx:i")
        items = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
        ticked = [b["text"].startswith("☑") for b in buttons(items)][: len(codes)]
        assert ticked == [c in campaign.item_codes for c in codes]
        mark = fake.mark()
        fake.inject_callback(boss, items, f"dr:it:{codes.index('RF-419800-007')}")
        await fake.wait_for("editMessageReplyMarkup", chat_id=boss, since=mark)
        mark = fake.mark()
        fake.inject_callback(boss, items, "dr:it:ok")
        edited, summary, dice = await fake.wait_for_all(
            "sendMessage", chat_id=boss, since=mark, count=3
        )
    assert edited.text == t("zh", "draw.edited", code=CODE)
    await campaign.refresh_from_db()
    assert "RF-419800-007" not in campaign.item_codes and campaign.due_date == dt.date(2026, 12, 18)
    draw = await Draw.get(campaign_id=campaign.id)
    assert draw.status == DrawStatus.PREPARED and draw.commitment in summary.text
    assert dice.text == t("zh", "draw.ask_dice")
    edits = await AuditEntry.filter(action="campaign.edit", object_id=CODE)
    assert len(edits) == 1 and edits[0].actor == world.coordinator.label


async def test_the_unstaffable_are_left_out_on_request(world, fake, tmp_path):
    await plan_campaign(world)
    target = await rare_target()
    campaign = await Campaign.get(code=CODE)
    async with running(fake, tmp_path):
        refused = await refused_prepare(fake, world.boss, campaign)
        fake.inject_callback(world.boss, refused, "dr:fx:u")
        summary, _ = await fake.wait_for_all(
            "sendMessage", chat_id=world.boss, since=refused.seq + 1, count=2
        )
    draw = await Draw.get(campaign_id=campaign.id)
    assert draw.prepared["exclusions"]["unstaffable"] == 1 and draw.commitment in summary.text
    frozen = await frozen_candidates(draw.id)
    assert all(target.credit_code not in ids for ids in frozen["strata"].values())


async def test_a_campaign_whose_prepare_is_refused_can_be_deleted(world, fake, tmp_path):
    await plan_campaign(world)
    await rare_target()
    campaign = await Campaign.get(code=CODE)
    async with running(fake, tmp_path):
        refused = await refused_prepare(fake, world.boss, campaign)
        fake.inject_callback(world.boss, refused, "dr:fx:del")
        confirm = await fake.wait_for("sendMessage", chat_id=world.boss, since=refused.seq + 1)
        assert confirm.text == t("zh", "draw.delete_confirm", code=CODE)
        assert await Campaign.filter(code=CODE).exists()  # not before it is confirmed
        fake.inject_callback(world.boss, confirm, "dr:fx:del!")
        done = await fake.wait_for("sendMessage", chat_id=world.boss, since=confirm.seq + 1)
    assert done.text == t("zh", "draw.deleted", code=CODE)
    assert not await Campaign.filter(code=CODE).exists()
    assert await AuditEntry.filter(action="campaign.delete", object_id=CODE).count() == 1
