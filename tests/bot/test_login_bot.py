"""/login in the chat: a bound person gets a one-time sign-in code in their private chat, not
forwardable, that the field API exchanges for a token; strangers and groups get none."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import commands
from bot.i18n import t
from domain.people import api_tokens, login
from domain.storage.models import LoginCode
from tests.kit.bot import bind

pytestmark = pytest.mark.clock("2026-11-20 10:00")

CODE = re.compile(r"(\d{6})")


async def ask(fake, user, **kwargs):
    mark = fake.mark()
    fake.inject_command(user, "login", **kwargs)
    return await fake.wait_for("sendMessage", chat_id=user, since=mark)


async def test_an_inspector_gets_a_code_that_signs_them_in(world, fake, bot):
    alice = fake.new_user("张伟")
    await bind(world.leader, alice)
    reply = await ask(fake, alice)
    assert reply.params["protect_content"] is True
    [code] = CODE.findall(reply.text)
    assert reply.text == t("zh", "login.code", code=code, until="10:10", minutes=10)
    assert (await LoginCode.get()).created_by == "inspector:ZF001"
    token = await login.sign_in(code, "127.0.0.1", dt.timedelta(days=30))
    assert await api_tokens.resolve_token(token.token) == world.actor(world.leader)
    assert "login" in commands.INSPECTOR_MENU and "/login" in t("zh", "help.inspector")


async def test_a_coordinator_too_in_their_language(world, fake, bot):
    boss = fake.new_user("赵敏")
    await bind(world.coordinator, boss)
    mark = fake.mark()
    fake.inject_command(boss, "lang", "en")
    await fake.wait_for("sendMessage", chat_id=boss, since=mark)
    reply = await ask(fake, boss)
    [code] = CODE.findall(reply.text)
    assert reply.text.startswith("Your sign-in code: " + code)
    token = await login.sign_in(code, "127.0.0.1", dt.timedelta(days=30))
    assert token.person_id == world.coordinator.id


async def test_strangers_and_groups_get_no_code(world, fake, bot):
    stranger = fake.new_user("路人")
    assert (await ask(fake, stranger)).text == t("zh", "stranger")
    alice = fake.new_user("张伟")
    await bind(world.leader, alice)
    group = fake.new_group("检查组")
    mark = fake.mark()
    fake.inject_command(alice, "login", chat=group)
    reply = await fake.wait_for("sendMessage", chat_id=group, since=mark)
    assert reply.text == t("zh", "private_only")
    assert await LoginCode.all().count() == 0


async def test_asking_for_a_code_leaves_a_conversation_where_it_was(world, fake, bot):
    alice = fake.new_user("张伟")
    await bind(world.leader, alice)
    button = InlineKeyboardButton("回避", callback_data=f"i:cfl:{world.task.id}")
    sent = await bot.application.bot.send_message(
        alice.id, "任务", reply_markup=InlineKeyboardMarkup([[button]])
    )
    mark = fake.mark()
    fake.inject_callback(alice, sent.to_dict(), f"i:cfl:{world.task.id}")
    await fake.wait_for("sendMessage", chat_id=alice, since=mark)  # asks for the reason
    assert CODE.search((await ask(fake, alice)).text)
    # The conflict conversation still waits for its answer: a command now cancels it.
    mark = fake.mark()
    fake.inject_command(alice, "tasks")
    reply = await fake.wait_for("sendMessage", chat_id=alice, since=mark)
    assert reply.text == t("zh", "conflict.cancelled")
