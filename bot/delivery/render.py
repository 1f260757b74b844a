"""Turning an outbox message into what Telegram shows: a renderer per kind.

Each module of the bot that renders outbox kinds declares them in a plain mapping, and
bot/renderers.py gathers those mappings into the one table the sender renders with:

    async def assigned(out: Outgoing) -> Rendered | None: ...

    RENDERERS: dict[str, Renderer] = {"task.assigned": assigned}

A renderer gets the payload and the recipient's language and returns the text, buttons, files
and whether to protect the content (True by default: any message carrying task data must keep
it). Returning None sends nothing and counts the message as delivered (e.g. it no longer
applies). An unknown kind gets a generic notice that names nothing, and a warning in the log.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.i18n import t

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None  # at most 64 bytes
    url: str | None = None


@dataclass(frozen=True)
class OutFile:
    filename: str
    content: bytes | Path
    kind: str = "document"  # "document" keeps the bytes as they are; "photo" is recompressed
    caption: str | None = None


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    files: tuple[OutFile, ...] = ()
    protect_content: bool = True
    parse_mode: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """What a renderer sees of an outbox message."""

    kind: str
    payload: dict[str, Any]
    lang: str
    recipient_kind: str
    recipient_id: int
    outbox_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


Renderer = Callable[[Outgoing], "Rendered | Awaitable[Rendered | None] | None"]


def by_recipient(renderers: Mapping[str, Renderer]) -> Renderer:
    """One kind that reaches several audiences, each rendered its own way: the renderer of the
    recipient's kind (e.g. "coordinator", "inspector"); any other recipient is sent nothing."""

    def render_for(out: Outgoing) -> Rendered | Awaitable[Rendered | None] | None:
        chosen = renderers.get(out.recipient_kind)
        return None if chosen is None else chosen(out)

    return render_for


def generic(out: Outgoing) -> Rendered:
    # Logged by kind and id only: the payload may hold sealed task data.
    log.warning(
        "no renderer for outbox kind %r (message %s): sent a generic notice",
        out.kind,
        out.outbox_id,
    )
    return Rendered(t(out.lang, "notice.generic"))


async def render(out: Outgoing, renderers: Mapping[str, Renderer]) -> Rendered | None:
    result = renderers.get(out.kind, generic)(out)
    if inspect.isawaitable(result):
        result = await result
    return result
