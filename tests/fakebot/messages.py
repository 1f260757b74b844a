"""Sending, editing and deleting messages, and getFile. The checks are Telegram's own (chat
not found, text too long, message not modified...), so a bot that trips them in production
trips them here first."""

from __future__ import annotations

import copy
import html
import re
import time
from typing import Any

from .faults import bad_request
from .registry import Ctx, method
from .world import Chat

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64


def find_chat(ctx: Ctx) -> Chat:
    chat_id = ctx.params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise bad_request("chat_id is empty")
    if isinstance(chat_id, str):
        chat = next((c for c in ctx.world.chats.values() if f"@{c.username}" == chat_id), None)
    else:
        chat = ctx.world.chats.get(chat_id)
    if chat is None:
        raise bad_request("chat not found")
    return chat


def rendered(text: str, parse_mode: Any) -> str:
    """The text as the user reads it: Telegram turns HTML markup into entities."""
    if isinstance(parse_mode, str) and parse_mode.upper() == "HTML":
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def inline_markup(params: dict[str, Any]) -> dict[str, Any] | None:
    """Only inline keyboards are part of a message; reply keyboards are not echoed back."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_EMPTY")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _common(ctx: Ctx, chat: Chat) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if ctx.params.get("protect_content"):
        out["has_protected_content"] = True
    markup = inline_markup(ctx.params)
    if markup is not None:
        out["reply_markup"] = markup
    reply = ctx.params.get("reply_parameters") or {}
    reply_id = reply.get("message_id") or ctx.params.get("reply_to_message_id")
    original = ctx.world.messages.get((chat.id, reply_id)) if reply_id else None
    if original is not None:
        out["reply_to_message"] = {k: v for k, v in original.items() if k != "reply_to_message"}
    return out


def _caption(ctx: Ctx) -> dict[str, Any]:
    caption = ctx.params.get("caption")
    if not caption:
        return {}
    shown = rendered(caption, ctx.params.get("parse_mode"))
    if len(shown) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return {"caption": shown}


def _post(ctx: Ctx, chat: Chat, **content: Any) -> dict[str, Any]:
    message = ctx.world.add_message(chat, ctx.world.bot, **content, **_common(ctx, chat))
    return copy.deepcopy(message)


@method("sendMessage")
def send_message(ctx: Ctx) -> dict[str, Any]:
    chat = find_chat(ctx)
    text = rendered(str(ctx.params.get("text") or ""), ctx.params.get("parse_mode"))
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return _post(ctx, chat, text=text)


def _photo(ctx: Ctx, field: str, value: Any) -> list[dict[str, Any]]:
    if field in ctx.files:
        return ctx.world.photo_sizes(ctx.files[field].content)
    stored = ctx.world.files.get(str(value))
    if stored is not None:
        return [{**stored.to_file(), "width": 1280, "height": 960}]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return ctx.world.photo_sizes(b"")
    raise bad_request("wrong file identifier/HTTP URL specified")


def _document(ctx: Ctx, field: str, value: Any) -> dict[str, Any]:
    if field in ctx.files:
        upload = ctx.files[field]
        name = upload.filename or "file"
        return ctx.world.document(upload.content, name, upload.content_type)
    stored = ctx.world.files.get(str(value))
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return {k: v for k, v in stored.to_file().items() if k != "file_path"}


@method("sendPhoto")
def send_photo(ctx: Ctx) -> dict[str, Any]:
    chat = find_chat(ctx)
    caption = _caption(ctx)
    return _post(ctx, chat, photo=_photo(ctx, "photo", ctx.params.get("photo")), **caption)


@method("sendDocument")
def send_document(ctx: Ctx) -> dict[str, Any]:
    chat = find_chat(ctx)
    caption = _caption(ctx)
    document = _document(ctx, "document", ctx.params.get("document"))
    return _post(ctx, chat, document=document, **caption)


@method("sendMediaGroup")
def send_media_group(ctx: Ctx) -> list[dict[str, Any]]:
    chat = find_chat(ctx)
    media = ctx.params.get("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media items: must be 2-10")
    group_id = str(ctx.world.next_id())
    sent = []
    for item in media:
        source = str(item.get("media", ""))
        field = source.removeprefix("attach://") if source.startswith("attach://") else ""
        sub = Ctx(ctx.world, ctx.updates, {**ctx.params, **item}, ctx.files)
        if item.get("type") == "photo":
            content: dict[str, Any] = {"photo": _photo(sub, field, source)}
        else:
            content = {item.get("type", "document"): _document(sub, field, source)}
        sent.append(_post(sub, chat, media_group_id=group_id, **content, **_caption(sub)))
    return sent


@method("sendLocation")
def send_location(ctx: Ctx) -> dict[str, Any]:
    chat = find_chat(ctx)
    location = {"latitude": ctx.params["latitude"], "longitude": ctx.params["longitude"]}
    return _post(ctx, chat, location=location)


def _bot_message(ctx: Ctx) -> dict[str, Any]:
    chat = find_chat(ctx)
    message = ctx.world.messages.get((chat.id, ctx.params.get("message_id")))
    if message is None:
        raise bad_request("message to edit not found")
    if message["from"]["id"] != ctx.world.bot.id:
        raise bad_request("message can't be edited")
    return message


def _edit(ctx: Ctx, key: str | None) -> dict[str, Any] | bool:
    if ctx.params.get("inline_message_id"):
        return True
    message = _bot_message(ctx)
    before = (message.get(key) if key else None, message.get("reply_markup"))
    if key == "text" and "text" not in message:
        raise bad_request("there is no text in the message to edit")
    new_value = rendered(str(ctx.params.get(key) or ""), ctx.params.get("parse_mode"))
    if key == "text" and not new_value.strip():
        raise bad_request("message text is empty")
    # Editing text or caption without reply_markup removes the inline keyboard, as in Telegram.
    after = (new_value if key else None, inline_markup(ctx.params))
    if before == after:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    if key:
        message[key] = new_value
    if after[1] is None:
        message.pop("reply_markup", None)
    else:
        message["reply_markup"] = after[1]
    message["edit_date"] = int(time.time())
    return copy.deepcopy(message)


@method("editMessageText")
def edit_message_text(ctx: Ctx) -> dict[str, Any] | bool:
    return _edit(ctx, "text")


@method("editMessageCaption")
def edit_message_caption(ctx: Ctx) -> dict[str, Any] | bool:
    return _edit(ctx, "caption")


@method("editMessageReplyMarkup")
def edit_message_reply_markup(ctx: Ctx) -> dict[str, Any] | bool:
    return _edit(ctx, None)


@method("deleteMessage")
def delete_message(ctx: Ctx) -> bool:
    chat = find_chat(ctx)
    if ctx.world.messages.pop((chat.id, ctx.params.get("message_id")), None) is None:
        raise bad_request("message to delete not found")
    return True


@method("getFile")
def get_file(ctx: Ctx) -> dict[str, Any]:
    stored = ctx.world.files.get(str(ctx.params.get("file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.file_size > ctx.world.download_limit:
        raise bad_request("file is too big")
    return stored.to_file()
