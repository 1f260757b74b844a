"""Inspectors, strangers, groups and coordinators of another department learn nothing about
campaigns from the coordinator commands."""

from __future__ import annotations

import pytest

from bot.i18n import t
from domain.campaigns.prepare import prepare_draw
from domain.storage.models import Coordinator, Department, Draw, Inspector
from tests.kit.coordinator_world import CODE, demo_world, plan_campaign, running

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

COMMANDS = [
    ("draw", ""),
    ("status", ""),
    ("status", CODE),
    ("status", "NO-SUCH-CODE"),
    ("publish", CODE),
    ("abandon", f"{CODE} 理由"),
]


@pytest.fixture
async def world(db, fake):
    world = await demo_world(fake)
    await plan_campaign(world)
    await prepare_draw(world.coordinator, CODE)
    return world


async def _replies(fake, user, count: int, chat=None) -> list[str]:
    mark = fake.mark()
    for command, args in COMMANDS:
        fake.inject_command(user, command, args, chat=chat)
    replies = await fake.wait_for_all("sendMessage", chat_id=chat or user, since=mark, count=count)
    return [r.text for r in replies]


async def test_an_inspector_is_refused_alike_whatever_the_campaign(world, fake, tmp_path):
    inspector = await Inspector.first()
    user = world.user_of(inspector.id)
    async with running(fake, tmp_path):
        replies = await _replies(fake, user, len(COMMANDS))
        fake.inject_text(user, "12345678901234567890")  # no draw conversation was opened
        after = await fake.wait_for("sendMessage", chat_id=user, count=len(COMMANDS) + 1)
    assert replies == [t("zh", "error.permission")] * len(COMMANDS)
    assert after.text != t("zh", "draw.dice_more", missing=0)
    assert all(CODE not in c.text for c in fake.sent_to(user))
    assert await Draw.filter(status="prepared").count() == 1


async def test_a_stranger_gets_the_one_sentence(world, fake, tmp_path):
    stranger = fake.new_user("路人")
    async with running(fake, tmp_path):
        replies = await _replies(fake, stranger, len(COMMANDS))
    assert replies == [t("zh", "stranger")] * len(COMMANDS)


async def test_in_a_group_nothing_but_talk_privately(world, fake, tmp_path):
    group = fake.new_group("检查组")
    async with running(fake, tmp_path):
        replies = await _replies(fake, world.boss, len(COMMANDS), chat=group)
        fake.inject_command(world.boss, "help")  # private, after the group: all were handled
        await fake.wait_for("sendMessage", chat_id=world.boss)
    assert replies == [t("zh", "private_only")] * len(COMMANDS)
    assert [c.text for c in fake.sent_to(world.boss)] == [t("zh", "help.coordinator")]


async def test_a_coordinator_of_another_department_sees_none_of_its_campaigns(
    world, fake, tmp_path
):
    county = await Department.get(code="419802")
    user = fake.new_user("钱程")
    await Coordinator.create(name="钱程", department=county, telegram_user_id=user.id)
    async with running(fake, tmp_path):
        mark = fake.mark()
        fake.inject_command(user, "draw")
        choose = await fake.wait_for("sendMessage", chat_id=user, since=mark)
        fake.inject_command(user, "status", CODE)
        status = await fake.wait_for("sendMessage", chat_id=user, since=choose.seq + 1)
        fake.inject_command(user, "status")
        none = await fake.wait_for("sendMessage", chat_id=user, since=status.seq + 1)
        fake.inject_command(user, "abandon", f"{CODE} 理由")
        abandon = await fake.wait_for("sendMessage", chat_id=user, since=none.seq + 1)
    assert choose.text == t("zh", "draw.choose_none")
    assert [b["callback_data"] for row in choose.result["reply_markup"]["inline_keyboard"]
            for b in row] == ["dr:new", "dr:x"]  # fmt: skip
    assert status.text == t("zh", "error.permission")
    assert none.text == t("zh", "status.none")
    assert abandon.text == t("zh", "error.permission")
    assert await Draw.filter(status="prepared").count() == 1
