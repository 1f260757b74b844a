"""The fake Bot API against the real python-telegram-bot: an Application polling it or fed by
its webhook, and a bare Bot for the failure modes."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import Conflict, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from tests.fakebot import FakeBotAPI, blocked, too_many_requests
from tests.fakebot.samples import EXIF_ARTIST, exif_of, jpeg


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(webhook_retry_delay=5.0) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


def build_app(fake: FakeBotAPI, *, polling: bool = True) -> Application:
    builder = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
    )
    if not polling:
        builder = builder.updater(None)
    return builder.build()


@contextlib.asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    await app.initialize()
    await app.start()
    if app.updater is not None:
        await app.updater.start_polling()
    try:
        yield app
    finally:
        if app.updater is not None:
            await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_command_reply_goes_to_the_sender_and_updates_are_confirmed(fake):
    app = build_app(fake)

    async def hello(update, context):
        await update.message.reply_text(f"你好 {update.effective_user.id}", protect_content=True)

    app.add_handler(CommandHandler("hello", hello))
    alice, bob = fake.new_user("Alice"), fake.new_user("Bob")
    async with running(app):
        fake.inject_command(alice, "hello")
        reply = await fake.wait_for("sendMessage", chat_id=alice)
    assert alice.id > 2**31
    assert reply.text == f"你好 {alice.id}"
    assert reply.params["protect_content"] is True
    assert reply.messages[0]["has_protected_content"] is True
    assert reply.messages[0]["from"]["id"] == fake.bot.id
    assert fake.sent_to(bob) == []
    # PTB's last getUpdates on stop confirmed the update through its offset.
    assert fake.updates.pending == []
    assert fake.unhandled == set()


async def test_button_press_is_answered_and_the_edit_drops_the_keyboard(fake):
    app = build_app(fake)

    async def menu(update, context):
        buttons = [
            InlineKeyboardButton("接受", callback_data="accept:7"),
            InlineKeyboardButton("回避", callback_data="conflict:7"),
        ]
        await update.message.reply_text("任务 7", reply_markup=InlineKeyboardMarkup([buttons]))

    async def pressed(update, context):
        await update.callback_query.answer("好的")
        await update.callback_query.edit_message_text(f"已选择 {update.callback_query.data}")

    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CallbackQueryHandler(pressed))
    alice = fake.new_user()
    async with running(app):
        fake.inject_command(alice, "menu")
        sent = await fake.wait_for("sendMessage", chat_id=alice)
        update = fake.inject_callback(alice, sent, text="回避")
        answer = await fake.wait_for("answerCallbackQuery")
        edit = await fake.wait_for("editMessageText")
    assert answer.ok
    assert answer.params["callback_query_id"] == update["callback_query"]["id"]
    assert edit.ok and edit.result["text"] == "已选择 conflict:7"
    assert "reply_markup" not in edit.result
    with pytest.raises(LookupError):
        fake.inject_callback(alice, sent, "accept:7")


async def test_files_download_through_get_file_and_photos_lose_exif(fake):
    app = build_app(fake)
    downloaded: dict[int, bytes] = {}

    async def on_file(update, context):
        message = update.message
        media = message.document or message.photo[-1]
        data = bytes(await (await media.get_file()).download_as_bytearray())
        downloaded[message.message_id] = data
        await message.reply_text(hashlib.sha256(data).hexdigest()[:12])

    app.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, on_file))
    alice = fake.new_user()
    original = jpeg()
    async with running(app):
        as_file = fake.inject_document(alice, original, "现场.jpg")
        first = await fake.wait_for("sendMessage", chat_id=alice)
        as_photo = fake.inject_photo(alice, original)
        await fake.wait_for("sendMessage", chat_id=alice, count=2)
    assert first.text == hashlib.sha256(original).hexdigest()[:12]
    assert as_file["message"]["document"]["mime_type"] == "image/jpeg"
    assert exif_of(downloaded[as_file["message"]["message_id"]])[EXIF_ARTIST] == "inspector"
    sizes = as_photo["message"]["photo"]
    assert len(sizes) >= 3 and sizes[-1]["width"] == 1000
    assert exif_of(downloaded[as_photo["message"]["message_id"]]) == {}
    assert len(fake.calls_of("download")) == 2


async def test_updates_of_every_kind_parse_in_ptb(fake):
    app = build_app(fake)
    received: asyncio.Queue[Update] = asyncio.Queue()
    start_args: list[list[str]] = []

    async def collect(update, context):
        await received.put(update)

    async def start(update, context):
        start_args.append(list(context.args))

    app.add_handler(TypeHandler(Update, collect), group=-1)
    app.add_handler(CommandHandler("start", start))
    alice, team = fake.new_user(), fake.new_group("检查组")
    async with running(app):
        fake.inject_start(alice, "INV-abc123")
        fake.inject_location(alice, 31.23, 121.47, horizontal_accuracy=8.0)
        fake.inject_text(alice, "在群里", chat=team)
        album = fake.inject_media_group(alice, [jpeg(400, 300)] * 3, caption="现场")
        updates = [await asyncio.wait_for(received.get(), 5) for _ in range(6)]
    start_update, location, in_group, *photos = updates
    assert start_args == [["INV-abc123"]]
    assert start_update.message.entities[0].type == "bot_command"
    assert location.message.location.latitude == pytest.approx(31.23)
    assert in_group.effective_chat.type == "supergroup" and in_group.effective_chat.id < 0
    assert in_group.effective_user.id == alice.id
    assert {p.message.media_group_id for p in photos} == {album[0]["message"]["media_group_id"]}
    assert [p.message.caption for p in photos] == ["现场", None, None]
    ids = [u.update_id for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == 6


async def test_webhook_delivery_carries_the_secret_and_retries_after_a_refusal(fake):
    app = build_app(fake, polling=False)
    secret, seen = "s3cret_token-1", []

    async def webhook(request):
        header = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        seen.append(header)
        if not hmac.compare_digest(header, secret):
            return web.Response(status=403)
        await app.update_queue.put(Update.de_json(await request.json(), app.bot))
        return web.Response()

    async def ping(update, context):
        await update.message.reply_text("pong")

    app.add_handler(CommandHandler("ping", ping))
    receiver = web.Application()
    receiver.router.add_post("/tg", webhook)
    runner = web.AppRunner(receiver)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/tg"
    alice = fake.new_user()
    try:
        async with running(app):
            await app.bot.set_webhook(url, secret_token="wrong")
            update = fake.inject_command(alice, "ping")
            await fake.wait_until(lambda: any(d.status == 403 for d in fake.deliveries))
            with pytest.raises(Conflict):
                await app.bot.get_updates()
            await app.bot.set_webhook(url, secret_token=secret)
            await fake.wait_for_delivery(update)
            reply = await fake.wait_for("sendMessage", chat_id=alice)
            info = await app.bot.get_webhook_info()
    finally:
        await runner.cleanup()
    assert seen == ["wrong", secret]
    assert reply.text == "pong"
    assert info.url == url and info.pending_update_count == 0


@pytest.fixture
def timedelta_periods(monkeypatch):
    """PTB 22 warns on every RetryAfter unless told to use timedelta (PTB 23's behaviour)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_retry_after_surfaces_as_retry_after(fake, bot, timedelta_periods):
    alice = fake.new_user()
    fake.fail_next("sendMessage", too_many_requests(3))
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(alice.id, "一")
    assert caught.value.retry_after == dt.timedelta(seconds=3)
    await bot.send_message(alice.id, "二")
    assert [c.text for c in fake.sent_to(alice)] == ["二"]
    assert [c.status for c in fake.calls_of("sendMessage")] == [429, 200]


async def test_blocked_user_surfaces_as_forbidden_for_that_chat_only(fake, bot):
    alice, bob = fake.new_user(), fake.new_user()
    fake.block(alice)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice.id, "任务")
    await bot.send_message(bob.id, "任务")
    fake.fail_next("sendMessage", blocked(), chat_id=bob)
    with pytest.raises(Forbidden):
        await bot.send_message(bob.id, "任务")
    fake.unblock(alice)
    await bot.send_message(alice.id, "任务")
    assert len(fake.sent_to(alice)) == 1 and len(fake.sent_to(bob)) == 1
