"""Enrollment through the chat, and what strangers and groups get: the real Application
polling the fake Bot API."""

from __future__ import annotations

import datetime as dt
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from tortoise import timezone

from bot import commands
from bot.i18n import t
from domain.people import enrollment
from domain.storage.models import Coordinator, Inspector, ProcessedUpdate, TelegramAccount
from tests.fakebot.samples import jpeg
from tests.kit.bot import bind

LINK = re.compile(r"https://t\.me/ssj_test_bot\?start=([A-Za-z0-9_-]+)")


def chat_scope(user) -> dict:
    return {"type": "chat", "chat_id": user.id}


def names(menu: list[dict]) -> list[str]:
    return [c["command"] for c in menu]


async def invite_by_chat(fake, boss_user, args: str) -> str:
    mark = fake.mark()
    fake.inject_command(boss_user, "invite", args)
    reply = await fake.wait_for("sendMessage", chat_id=boss_user, since=mark)
    assert reply.params["protect_content"] is True
    return LINK.search(reply.text).group(1)


async def test_invite_then_deep_link_binds_once(world, fake, bot):
    boss, alice, mallory = fake.new_user("赵敏"), fake.new_user("张伟"), fake.new_user("M")
    await bind(world.coordinator, boss)
    code = await invite_by_chat(fake, boss, "inspector ZF001")
    mark = fake.mark()
    fake.inject_start(alice, code)
    welcome = await fake.wait_for("sendMessage", chat_id=alice, since=mark)
    assert welcome.text == t("zh", "start.bound", name="张伟", role="执法检查人员")
    assert (await Inspector.get(id=world.leader.id)).telegram_user_id == alice.id
    assert names(fake.my_commands(chat_scope(alice))) == list(commands.INSPECTOR_MENU)

    mark = fake.mark()
    fake.inject_start(mallory, code)
    refused = await fake.wait_for("sendMessage", chat_id=mallory, since=mark)
    assert refused.text == t("zh", "error.used")
    assert await enrollment.resolve_actor(mallory.id) is None
    assert fake.my_commands(chat_scope(mallory)) == []


async def test_expired_code_is_refused(world, fake, bot):
    past = timezone.now() - dt.timedelta(hours=80)
    issued = await enrollment.issue_invite(
        world.actor(world.coordinator), "inspector", world.member.id, now=past
    )
    bob = fake.new_user()
    mark = fake.mark()
    fake.inject_start(bob, issued.code)
    reply = await fake.wait_for("sendMessage", chat_id=bob, since=mark)
    assert reply.text == t("zh", "error.expired")
    assert (await Inspector.get(id=world.member.id)).telegram_user_id is None


async def test_a_stranger_gets_one_polite_sentence_whatever_they_send(world, fake, bot):
    stranger = fake.new_user("路人")
    sent = await bot.application.bot.send_message(
        stranger.id,
        "旧消息",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="accept:1")]]),
    )
    mark = fake.mark()
    fake.inject_text(stranger, "你好")
    fake.inject_photo(stranger, jpeg(200, 150))
    fake.inject_document(stranger, b"%PDF-1.4", "报告.pdf")
    fake.inject_command(stranger, "tasks")
    fake.inject_command(stranger, "lang", "en")
    fake.inject_start(stranger)
    replies = await fake.wait_for_all("sendMessage", chat_id=stranger, since=mark, count=6)
    assert [r.text for r in replies] == [t("zh", "stranger")] * 6
    fake.inject_callback(stranger, sent.to_dict(), "accept:1")
    answer = await fake.wait_for("answerCallbackQuery", since=mark)
    assert answer.params["text"] == t("zh", "stranger") and answer.params["show_alert"] is True
    assert len(fake.sent_to(stranger)) == 1 + 6
    assert await TelegramAccount.filter(telegram_user_id=stranger.id, language="en").count() == 0


async def test_a_group_gets_talk_privately_and_nothing_else(world, fake, bot):
    alice = fake.new_user("张伟")
    await bind(world.leader, alice)
    group = fake.new_group("检查组")
    mark = fake.mark()
    fake.inject_command(alice, "tasks", chat=group)
    fake.inject_text(alice, f"{world.target.name} 什么时候去？", chat=group)
    fake.inject_command(alice, "start", "abc", chat=group, at_bot=True)
    # Private, after the group messages (all were handled); plain text would be a note now.
    fake.inject_command(alice, "nosuchcommand")
    await fake.wait_for("sendMessage", chat_id=alice, since=mark)
    in_group = fake.sent_to(group)
    assert [c.text for c in in_group] == [t("zh", "private_only")] * 2
    assert [c.text for c in fake.sent_to(alice)] == [t("zh", "fallback")]


async def test_lang_en_switches_replies_and_menu(world, fake, bot):
    boss = fake.new_user("赵敏")
    await bind(world.coordinator, boss)
    mark = fake.mark()
    fake.inject_command(boss, "lang", "en")
    switched = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
    fake.inject_command(boss, "help")
    help_text = await fake.wait_for("sendMessage", chat_id=boss, since=switched.seq + 1)
    assert switched.text == "Language set to English."
    assert help_text.text == t("en", "help.coordinator")
    menu = fake.my_commands(chat_scope(boss))
    assert names(menu) == list(commands.COORDINATOR_MENU)
    assert menu[0]["description"] == "Start a draw"
    described = {c["command"]: c["description"] for c in menu}
    assert described["publish"] == "Publish the results"
    assert described["abandon"] == "Abandon a prepared draw"
    assert (await TelegramAccount.get(telegram_user_id=boss.id)).language == "en"
    fake.inject_command(boss, "lang", "zh")
    back = await fake.wait_for("sendMessage", chat_id=boss, since=help_text.seq + 1)
    assert back.text == "已切换为中文。"


async def test_menus_per_scope(world, fake, bot):
    assert names(fake.my_commands()) == list(commands.DEFAULT_MENU)
    assert fake.my_commands()[0]["description"] == "开始使用"
    assert fake.my_commands(language_code="en")[0]["description"] == "Start"
    boss, deputy_user = fake.new_user(), fake.new_user()
    await bind(world.coordinator, boss)
    deputy = await Coordinator.create(name="孙丽", department=world.city)
    code = await invite_by_chat(fake, boss, f"coordinator {deputy.id}")
    mark = fake.mark()
    fake.inject_start(deputy_user, code)
    await fake.wait_for("sendMessage", chat_id=deputy_user, since=mark)
    deputy_menu = fake.my_commands(chat_scope(deputy_user))
    assert names(deputy_menu) == list(commands.COORDINATOR_MENU)
    assert {"publish", "abandon"} <= set(names(deputy_menu))
    described = {c["command"]: c["description"] for c in deputy_menu}
    assert described["publish"] == "公示抽查结果"
    assert described["abandon"] == "作废准备好的抽取"
    assert fake.my_commands(chat_scope(boss)) == []  # bound by hand here, never through /start


async def test_unbind_by_chat_makes_the_account_a_stranger(world, fake, bot):
    boss, alice = fake.new_user(), fake.new_user()
    await bind(world.coordinator, boss)
    code = await invite_by_chat(fake, boss, "inspector ZF001")
    mark = fake.mark()
    fake.inject_start(alice, code)
    await fake.wait_for("sendMessage", chat_id=alice, since=mark)
    fake.inject_command(boss, "unbind", "inspector ZF001")
    done = await fake.wait_for("sendMessage", chat_id=boss, since=mark)
    assert done.text == t("zh", "unbind.done", role="执法检查人员", name="张伟")
    assert fake.my_commands(chat_scope(alice)) == []
    fake.inject_text(alice, "还在吗")
    again = await fake.wait_for("sendMessage", chat_id=alice, since=done.seq + 1)
    assert again.text == t("zh", "stranger")


async def test_inspectors_cannot_invite(world, fake, bot):
    alice = fake.new_user()
    await bind(world.leader, alice)
    mark = fake.mark()
    fake.inject_command(alice, "invite", "inspector ZF002")
    reply = await fake.wait_for("sendMessage", chat_id=alice, since=mark)
    assert reply.text == t("zh", "error.permission")


async def test_a_redelivered_update_changes_nothing_twice(world, fake, bot):
    issued = await enrollment.issue_invite(
        world.actor(world.coordinator), "inspector", world.leader.id
    )
    alice = fake.new_user()
    body = fake.inject_start(alice, issued.code)
    await fake.wait_for("sendMessage", chat_id=alice)
    app = bot.application
    await app.update_queue.put(Update.de_json(body, app.bot))
    fake.inject_command(alice, "nosuchcommand")
    await fake.wait_for("sendMessage", chat_id=alice, count=2)
    assert [c.text for c in fake.sent_to(alice)] == [
        t("zh", "start.bound", name="张伟", role="执法检查人员"),
        t("zh", "fallback"),
    ]
    assert await ProcessedUpdate.filter(update_id=body["update_id"]).count() == 1


def member_update(user, bot_user, old: str, new: str) -> dict:
    def member(status: str) -> dict:
        # A "kicked" member (the user blocked the bot) carries until_date.
        extra = {"until_date": 0} if status == "kicked" else {}
        return {"user": bot_user.to_dict(), "status": status, **extra}

    return {
        "my_chat_member": {
            "chat": user.chat().to_dict(),
            "from": user.to_dict(),
            "date": 0,
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
    }


async def test_blocking_the_bot_is_noticed_and_writing_again_clears_it(world, fake, bot):
    alice, boss = fake.new_user("张伟"), fake.new_user("赵敏")
    await bind(world.leader, alice)
    await bind(world.coordinator, boss)
    fake.inject_update(member_update(alice, fake.bot, "member", "kicked"))
    told = await fake.wait_for("sendMessage", chat_id=boss)
    assert "张伟" in told.text
    assert (await TelegramAccount.get(telegram_user_id=alice.id)).blocked_at is not None
    fake.inject_update(member_update(alice, fake.bot, "kicked", "member"))
    fake.inject_command(alice, "help")
    await fake.wait_for("sendMessage", chat_id=alice)
    assert (await TelegramAccount.get(telegram_user_id=alice.id)).blocked_at is None
    assert fake.sent_to(alice)[0].text == t("zh", "help.inspector")
