"""Failure modes of the fake Bot API as a bare python-telegram-bot Bot meets them, and the
rate-limit rules on their own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from tests.fakebot import FakeBotAPI, RateLimits, hang, server_error
from tests.fakebot.faults import ApiError, RateLimiter


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


@pytest.fixture
def timedelta_periods(monkeypatch):
    """PTB 22 warns on every RetryAfter unless told to use timedelta (PTB 23's behaviour)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_server_errors_are_network_errors_until_they_stop(fake, bot):
    alice = fake.new_user()
    fake.fail_next(None, server_error(500), times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(alice.id, "重试")
    await bot.send_message(alice.id, "重试")
    assert len(fake.sent_to(alice)) == 1


async def test_a_held_request_times_out_and_may_still_have_been_delivered(fake, bot):
    alice = fake.new_user()
    fake.fail_next("sendMessage", hang(delivered=True))
    with pytest.raises(TimedOut):
        await bot.send_message(alice.id, "到了吗", read_timeout=0.3)
    held = fake.calls_of("sendMessage")[0]
    assert held.status is None and held.delivered
    assert [c.text for c in fake.sent_to(alice)] == ["到了吗"]


async def test_stopping_the_server_releases_a_held_request(bot):
    async with FakeBotAPI(token=bot.token) as other:
        alice = other.new_user()
        other.fail_next("sendMessage", hang())
        async with Bot(other.token, base_url=other.base_url) as client:
            sending = asyncio.create_task(client.send_message(alice.id, "x", read_timeout=60))
            await other.wait_for(lambda c: c.status is None)
            await other.stop()
            with pytest.raises(NetworkError):
                await sending
        assert other.sent_to(alice) == []


async def test_rate_limits_reject_and_record_violations(fake, bot, timedelta_periods):
    fake.enforce_rate_limits(RateLimits(overall=(3, 60.0), per_chat=(1, 60.0)))
    alice, bob, carol, dave = (fake.new_user() for _ in range(4))
    await bot.send_message(alice.id, "1")
    with pytest.raises(RetryAfter):
        await bot.send_message(alice.id, "2")
    await bot.send_message(bob.id, "1")
    await bot.send_message(carol.id, "1")
    with pytest.raises(RetryAfter):
        await bot.send_message(dave.id, "1")
    assert [(v.rule, v.chat_id) for v in fake.violations] == [
        ("per_chat", alice.id),
        ("overall", dave.id),
    ]
    assert all(1 <= v.retry_after <= 60 for v in fake.violations)
    assert len(fake.messages()) == 3


def check(limiter: RateLimiter, chat_id: int, now: float) -> int | None:
    """The retry_after of a refusal, or None when accepted."""
    try:
        limiter.check("sendMessage", {"chat_id": chat_id, "text": "x"}, now)
    except ApiError as error:
        assert error.status == 429
        return error.retry_after
    return None


def test_overall_limit_is_a_sliding_window():
    limiter = RateLimiter(RateLimits(overall=(30, 1.0), per_chat=None))
    assert [check(limiter, 1000 + i, i / 100) for i in range(30)] == [None] * 30
    assert check(limiter, 2000, 0.5) == 1
    # The first message leaves the window at t=1.0, the second at 1.01.
    assert check(limiter, 2001, 1.0) is None
    assert check(limiter, 2002, 1.005) == 1
    assert check(limiter, 2003, 1.01) is None
    assert [v.rule for v in limiter.violations] == ["overall", "overall"]


def test_per_chat_and_per_group_limits():
    limiter = RateLimiter(RateLimits(slack=0.01))
    assert check(limiter, 7, 0.0) is None
    assert check(limiter, 7, 0.5) == 1
    assert check(limiter, 7, 0.995) is None  # within the slack of the 1 s window
    assert check(limiter, 8, 0.996) is None
    group = -1_002_000_000_001
    assert [check(limiter, group, 2.0 + i) for i in range(20)] == [None] * 20
    assert check(limiter, group, 30.0) == 32  # the first of the 20 leaves at t=62
    assert [v.rule for v in limiter.violations] == ["per_chat", "per_group"]
    assert limiter.violations[-1].chat_id == group


def test_album_counts_once_and_other_methods_are_free():
    limiter = RateLimiter(RateLimits(overall=(1, 1.0), per_chat=None))
    limiter.check("sendMediaGroup", {"chat_id": 1, "media": [{}, {}, {}]}, 0.0)
    limiter.check("answerCallbackQuery", {"callback_query_id": "1"}, 0.1)
    limiter.check("sendChatAction", {"chat_id": 1, "action": "typing"}, 0.2)
    with pytest.raises(ApiError):
        limiter.check("sendMessage", {"chat_id": 2}, 0.3)


async def test_waits_honour_since_and_report_what_they_saw(fake, bot):
    alice = fake.new_user()
    await bot.send_message(alice.id, "旧")
    mark = fake.mark()
    waiting = asyncio.create_task(fake.wait_for("sendMessage", chat_id=alice, since=mark))
    await bot.send_message(alice.id, "新")
    assert (await waiting).text == "新"
    with pytest.raises(TimeoutError, match="sendMessage:200"):
        await fake.wait_for("sendPhoto", timeout=0.05)
