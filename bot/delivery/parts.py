"""The Bot API requests that make up one rendered outbox message."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile

from bot.delivery.render import Rendered

MAX_TEXT = 4096


def markup(rendered: Rendered) -> InlineKeyboardMarkup | None:
    if not rendered.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
            for row in rendered.buttons
        ]
    )


def split_text(text: str, size: int = MAX_TEXT) -> list[str]:
    """Split a long text at line ends where possible (Telegram's limit is 4096 characters)."""
    chunks = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        cut = cut if cut > 0 else size
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*chunks, text] if text or not chunks else chunks


@dataclass(frozen=True)
class Request:
    method: str  # a Bot method taking chat_id first
    args: dict


def requests_for(rendered: Rendered) -> list[Request]:
    """The requests that make up one rendered message: the text (buttons on its last chunk),
    then each file."""
    chunks = split_text(rendered.text) if rendered.text else []
    parts = [
        Request(
            "send_message",
            {
                "text": chunk,
                "parse_mode": rendered.parse_mode,
                "reply_markup": markup(rendered) if i == len(chunks) - 1 else None,
            },
        )
        for i, chunk in enumerate(chunks)
    ]
    for item in rendered.files:
        data = item.content if isinstance(item.content, bytes) else item.content.read_bytes()
        field_name = "photo" if item.kind == "photo" else "document"
        parts.append(
            Request(
                f"send_{field_name}",
                {field_name: InputFile(data, filename=item.filename), "caption": item.caption},
            )
        )
    return parts
