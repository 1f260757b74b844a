"""Delivery of the outbox through the real Application to the fake Bot API: protection,
pacing, retries, dedupe, blocked users, recipients not yet bound."""

from __future__ import annotations

import logging

import pytest

from bot.delivery.render import Button, OutFile, Outgoing, Rendered
from bot.i18n import t
from bot.renderers import renderer_table
from domain.messaging import outbox
from domain.messaging.chat_accounts import BLOCKED_NOTICE
from domain.people import enrollment
from domain.storage.models import OutboxMessage, OutboxStatus, TelegramAccount
from tests.fakebot import RateLimits, hang, server_error, too_many_requests
from tests.kit.bot import bind, running

KIND = "test.assigned"


def assigned(out: Outgoing) -> Rendered:
    task = out.payload["task"]
    return Rendered(
        f"任务 {task}：{out.payload['target']}" if out.lang == "zh" else f"Task {task}",
        buttons=((Button("接受", callback_data=f"accept:{task}"),),),
        files=(OutFile("通知书.pdf", b"%PDF-1.4 notice"),) if out.payload.get("pdf") else (),
    )


@pytest.fixture
async def bot(world, fake):
    """The running bot, rendering this test's kind besides its own."""
    async with running(fake, renderers=renderer_table({KIND: assigned})) as runtime:
        yield runtime


async def send(recipient, key: str, bot, kind: str = KIND, **payload) -> OutboxMessage:
    message = await outbox.enqueue("inspector", recipient.id, kind, payload, key)
    bot.sender.wake()
    return message


async def test_task_message_is_protected_with_buttons_and_files(world, fake, bot):
    alice = fake.new_user()
    await bind(world.leader, alice)
    row = await send(world.leader, "assign:1:leader", bot, task=1, target="示范商场", pdf=True)
    doc = await fake.wait_for("sendDocument", chat_id=alice)
    [text] = fake.messages("sendMessage", chat_id=alice)
    assert text.text == "任务 1：示范商场"
    assert text.params["protect_content"] is True and doc.params["protect_content"] is True
    assert text.result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "accept:1"
    assert doc.files["document"].content == b"%PDF-1.4 notice"
    assert doc.time - text.time >= 1.0  # two messages to one chat: one per second
    await bot.sender.idle()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.external_id == str(text.result["message_id"])


async def test_the_same_notification_twice_is_sent_once(world, fake, bot):
    alice = fake.new_user()
    await bind(world.leader, alice)
    await send(world.leader, "assign:2:leader", bot, task=2, target="甲")
    await send(world.leader, "assign:2:leader", bot, task=2, target="甲")
    await send(world.leader, "assign:3:leader", bot, task=3, target="乙")
    await fake.wait_for("sendMessage", chat_id=alice, count=2)
    await bot.sender.idle()
    assert [c.text for c in fake.sent_to(alice)] == ["任务 2：甲", "任务 3：乙"]
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 2


async def test_unknown_kind_gets_a_generic_notice_and_a_warning(world, fake, bot, caplog):
    alice = fake.new_user()
    await bind(world.leader, alice)
    with caplog.at_level(logging.WARNING, logger="bot.delivery.render"):
        await send(world.leader, "x:1", bot, kind="nobody.renders", target="机密的名称")
        sent = await fake.wait_for("sendMessage", chat_id=alice)
    assert sent.text == t("zh", "notice.generic")
    assert "nobody.renders" in caplog.text and "机密" not in caplog.text


async def test_429_waits_retry_after_then_delivers_once(world, fake, bot):
    alice = fake.new_user()
    await bind(world.leader, alice)
    fake.fail_next("sendMessage", too_many_requests(1), chat_id=alice.id)
    await send(world.leader, "assign:4:leader", bot, task=4, target="丙")
    delivered = await fake.wait_for(lambda c: c.method == "sendMessage" and c.ok, chat_id=alice)
    refused, accepted = fake.calls_of("sendMessage")
    assert refused.status == 429 and accepted is delivered
    assert accepted.time - refused.time >= 1.0
    assert len(fake.sent_to(alice)) == 1


async def test_500_and_a_timeout_are_retried_without_duplicates(world, fake, bot):
    alice = fake.new_user()
    await bind(world.leader, alice)
    fake.fail_next("sendMessage", server_error(500))
    fake.fail_next("sendMessage", hang())
    row = await send(world.leader, "assign:5:leader", bot, task=5, target="丁")
    await fake.wait_for(lambda c: c.method == "sendMessage" and c.ok, chat_id=alice)
    assert [c.status for c in fake.calls_of("sendMessage")] == [500, None, 200]
    assert [c.text for c in fake.sent_to(alice)] == ["任务 5：丁"]
    await bot.sender.idle()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.attempts == 3


async def test_blocked_user_row_dies_and_the_coordinator_is_told(world, fake, bot):
    alice, boss = fake.new_user("张伟"), fake.new_user("赵敏")
    await bind(world.leader, alice)
    await bind(world.coordinator, boss)
    fake.block(alice)
    row = await send(world.leader, "assign:6:leader", bot, task=6, target="戊")
    told = await fake.wait_for("sendMessage", chat_id=boss)
    assert "张伟" in told.text and "ZF001" in told.text and "戊" not in told.text
    await row.refresh_from_db()
    assert row.status == OutboxStatus.DEAD
    assert (await TelegramAccount.get(telegram_user_id=alice.id)).blocked_at is not None
    notice = await OutboxMessage.get(kind=BLOCKED_NOTICE)
    assert notice.recipient_id == world.coordinator.id
    # Until they write again, nothing more is tried.
    calls = len(fake.calls_of("sendMessage"))
    later = await send(world.leader, "assign:7:leader", bot, task=7, target="己")
    await bot.sender.idle()
    await later.refresh_from_db()
    assert later.status == OutboxStatus.DEAD
    assert len(fake.calls_of("sendMessage")) == calls


async def test_messages_wait_for_the_recipient_to_enrol(world, fake, bot):
    row = await send(world.member, "assign:8:member", bot, task=8, target="庚")
    bob = fake.new_user("李娜")
    issued = await enrollment.issue_invite(
        world.actor(world.coordinator), "inspector", world.member.id
    )
    fake.inject_start(bob, issued.code)
    assignment = await fake.wait_for(lambda c: c.text == "任务 8：庚", chat_id=bob)
    assert assignment.params["protect_content"] is True
    await row.refresh_from_db()
    assert row.attempts >= 1


async def test_one_chat_gets_one_message_per_second_within_the_limits(world, fake, bot):
    limiter = fake.enforce_rate_limits(RateLimits())
    alice, bob = fake.new_user(), fake.new_user()
    await bind(world.leader, alice)
    await bind(world.member, bob)
    for n in range(3):
        await send(world.leader, f"burst:{n}:a", bot, task=n, target="辛")
        await send(world.member, f"burst:{n}:b", bot, task=n, target="辛")
    to_alice = await fake.wait_for_all("sendMessage", chat_id=alice, count=3)
    await fake.wait_for_all("sendMessage", chat_id=bob, count=3)
    assert [c.text for c in to_alice] == [f"任务 {n}：辛" for n in range(3)]
    assert limiter.violations == []
