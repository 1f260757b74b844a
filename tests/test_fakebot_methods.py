"""Bot API methods of the fake as a bare python-telegram-bot Bot calls them: what is recorded,
what comes back, and the checks Telegram itself makes."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
)
from telegram.error import BadRequest

from tests.fakebot import FakeBotAPI
from tests.fakebot.samples import jpeg


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as b:
        yield b


async def test_get_me_is_the_bot_the_token_names(fake, bot):
    assert bot.id == int(fake.token.split(":")[0])
    assert bot.username == fake.bot.username
    assert fake.calls_of("getMe")[0].ok


async def test_params_keep_their_types_and_uploads_their_bytes(fake, bot):
    alice = fake.new_user()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("确认", callback_data="ok:1")]])
    first = await bot.send_message(alice.id, "123", reply_markup=keyboard)
    pdf = await bot.send_document(
        alice.id, b"%PDF-1.4 fake", filename="通知书.pdf", caption="true", protect_content=True
    )
    text_call, doc_call = fake.sent_to(alice)
    assert text_call.params["text"] == "123" and text_call.chat_id == alice.id
    assert text_call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok:1"
    assert first.reply_markup == keyboard
    assert doc_call.params["caption"] == "true" and doc_call.params["protect_content"] is True
    upload = doc_call.files["document"]
    assert (upload.filename, upload.content) == ("通知书.pdf", b"%PDF-1.4 fake")
    assert pdf.document.mime_type == "application/pdf" and pdf.has_protected_content
    assert pdf.message_id == first.message_id + 1


async def test_album_upload_comes_back_downloadable(fake, bot):
    alice = fake.new_user()
    images = [jpeg(640, 480, color=(i * 60, 0, 0)) for i in range(3)]
    sent = await bot.send_media_group(
        alice.id,
        [
            InputMediaPhoto(image, caption="现场" if i == 0 else None)
            for i, image in enumerate(images)
        ],
    )
    assert len(sent) == 3 and len({m.media_group_id for m in sent}) == 1
    call = fake.calls_of("sendMediaGroup")[0]
    assert sorted(u.content for u in call.files.values()) == sorted(images)
    file = await bot.get_file(sent[0].photo[-1].file_id)
    data = bytes(await file.download_as_bytearray())
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (640, 480)


async def test_edits_and_deletes_follow_telegram_rules(fake, bot):
    alice = fake.new_user()
    message = await bot.send_message(alice.id, "草稿")
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("草稿", alice.id, message.message_id)
    edited = await bot.edit_message_text(
        "<b>定稿</b>", alice.id, message.message_id, parse_mode="HTML"
    )
    assert edited.text == "定稿" and edited.edit_date is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data="x")]])
    await bot.edit_message_reply_markup(alice.id, message.message_id, reply_markup=keyboard)
    assert fake.world.messages[(alice.id, message.message_id)]["reply_markup"]
    assert await bot.delete_message(alice.id, message.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(alice.id, message.message_id)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice.id, "长" * 4097)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(12345, "陌生人")


async def test_commands_are_kept_per_scope_and_language(fake, bot):
    alice = fake.new_user()
    zh = [BotCommand("tasks", "我的任务")]
    en = [BotCommand("tasks", "My tasks"), BotCommand("lang", "Language")]
    await bot.set_my_commands(zh, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(en, scope=BotCommandScopeChat(alice.id), language_code="en")
    private = {"type": "all_private_chats"}
    assert fake.my_commands(private) == [c.to_dict() for c in zh]
    assert fake.my_commands({"type": "chat", "chat_id": alice.id}, "en") == [
        c.to_dict() for c in en
    ]
    assert fake.my_commands() == []
    got = await bot.get_my_commands(scope=BotCommandScopeChat(alice.id), language_code="en")
    assert list(got) == en
    await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert fake.my_commands(private) == []
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("My-Tasks", "x")])


async def test_long_poll_returns_when_an_update_arrives_and_offset_confirms(fake, bot):
    alice = fake.new_user()
    polling = asyncio.create_task(bot.get_updates(timeout=30))
    injected = fake.inject_text(alice, "你好")
    updates = await asyncio.wait_for(polling, 5)
    assert [u.update_id for u in updates] == [injected["update_id"]]
    assert updates[0].message.from_user.id == alice.id
    assert await bot.get_updates(offset=injected["update_id"] + 1, timeout=0) == ()
    assert fake.updates.pending == []


async def test_oversized_files_and_stale_callback_answers_are_refused(fake, bot):
    alice = fake.new_user()
    big = fake.inject_document(alice, b"x", "video.mp4", file_size=25 * 1024 * 1024)
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(big["message"]["document"]["file_id"])
    sent = await bot.send_message(
        alice.id,
        "选",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]]),
    )
    query = fake.inject_callback(alice, sent.to_dict(), "a")["callback_query"]
    assert await bot.answer_callback_query(query["id"])
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query["id"])


async def test_unknown_methods_answer_true_and_are_listed(fake, bot):
    assert await bot.set_my_description("抽查机器人") is True
    assert fake.unhandled == {"setMyDescription"}
    assert fake.calls_of("setMyDescription")[0].params["description"] == "抽查机器人"
