"""Evidence from the field: text, photos, albums and files sent to the bot go to the current
task, each confirmed by a receipt (the domain's: a photo's hash prefix, the capture time and
place it carries, its anomalies, or that it is on the task already).

An album arrives as one update per item; its receipt is one message, edited as items arrive.
Idempotency keys come from the bot, the update and Telegram's file_unique_id, so a redelivered
update lands once even if the record of handled updates is gone.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, MessageHandler, filters

from bot.i18n import t
from bot.inspector.receipts import Receipt, already_line, photo_lines
from bot.inspector.tasks import (
    Context,
    error_text,
    evidence_task,
    name_of,
    refuse,
    remember_task,
    say,
)
from bot.session import session_of, settings_of
from domain.errors import UserError
from domain.evidence import PhotoRejected
from domain.evidence import service as evidence_service
from domain.evidence.rejections import NoteRefused
from domain.evidence.service import EvidenceClosed
from domain.storage.models import EvidenceKind

log = logging.getLogger(__name__)
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # what bots may download from Telegram's servers
ALBUMS = "ssj.albums"
ALBUMS_KEPT = 8
REFUSED_ALBUMS = "ssj.albums.refused"

NOTE_PREFIXES = {
    "现场情况": EvidenceKind.CONDITION,
    "情况": EvidenceKind.CONDITION,
    "condition": EvidenceKind.CONDITION,
    "问题": EvidenceKind.PROBLEM,
    "problem": EvidenceKind.PROBLEM,
    "询问笔录": EvidenceKind.INTERVIEW,
    "询问": EvidenceKind.INTERVIEW,
    "interview": EvidenceKind.INTERVIEW,
    "书证": EvidenceKind.DOCUMENT,
    "物证": EvidenceKind.DOCUMENT,
    "document": EvidenceKind.DOCUMENT,
    "记录": EvidenceKind.NOTE,
    "note": EvidenceKind.NOTE,
}
_PREFIX = re.compile(
    r"^\s*(" + "|".join(sorted(NOTE_PREFIXES, key=len, reverse=True)) + r")\s*[:：]\s*",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"^\s*(?:来源|source)\s*[:：]\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)


def parse_note(text: str) -> tuple[EvidenceKind, str, str]:
    """(kind, text, source) of a note: an optional leading '问题：' etc. names the kind; a
    document's source is the line starting '来源：'."""
    match = _PREFIX.match(text)
    kind = NOTE_PREFIXES[match.group(1).lower()] if match else EvidenceKind.NOTE
    body = text[match.end() :] if match else text
    source = ""
    if kind == EvidenceKind.DOCUMENT:
        found = _SOURCE.search(body)
        if found:
            source = found.group(1)
            body = (body[: found.start()] + body[found.end() :]).strip()
    return kind, body.strip(), source


def install(app: Application, mine: filters.BaseFilter) -> None:
    app.add_handler(MessageHandler(mine & filters.TEXT & ~filters.COMMAND, text_note))
    app.add_handler(MessageHandler(mine & filters.PHOTO, photo))
    app.add_handler(MessageHandler(mine & filters.Document.ALL, document))


def _key(update: Update, context: Context, unique: str) -> str:
    return f"tg:{context.bot.id}:{update.update_id}:{unique}"


async def text_note(update: Update, context: Context) -> None:
    session = session_of(context)
    lang = session.lang
    kind, body, source = parse_note(update.message.text)
    try:
        task_id = await evidence_task(context, session.actor)
        note = await evidence_service.add_note(
            session.actor,
            task_id,
            kind,
            body,
            idempotency_key=_key(update, context, "text"),
            source=source,
            channel="telegram",
        )
    except EvidenceClosed as error:
        await say(update, await closed_text(context, task_id, error))
        return
    except NoteRefused as error:
        text = _refused_note_text(lang, error)
        if error.code == "document_without_source":
            text = f"{text}\n{t(lang, 'note.document_howto')}"
        await say(update, text)
        return
    except UserError as error:
        await say(update, error_text(lang, error))
        return
    remember_task(context, note.task)  # the note's audit entry is the view of its task
    name = await name_of(context, session.actor, task_id, lang)
    kind_shown = t(lang, f"note.kind.{note.kind}")
    await say(update, t(lang, "note.saved", name=name, kind=kind_shown, id=note.id))


def _refused_note_text(lang: str, error: NoteRefused) -> str:
    key = f"note.refused.{error.code}"
    return t(lang, key) if key in _NOTE_REFUSALS else error.message(lang)


_NOTE_REFUSALS = {"note.refused.document_without_source", "note.refused.empty_note"}


async def closed_text(context: Context, task_id: int, error: EvidenceClosed) -> str:
    """Which task refused the evidence and why; once it is over, how to pick another one."""
    session = session_of(context)
    name = await name_of(context, session.actor, task_id, session.lang)
    text = t(session.lang, "evidence.closed", name=name, message=error.message(session.lang))
    if error.state not in evidence_service.BEFORE_VISIT:
        text += "\n" + t(session.lang, "evidence.closed_other")
    return text


# -- photos and files ----------------------------------------------------------------------


async def photo(update: Update, context: Context) -> None:
    """A compressed photo: Telegram re-encoded it and dropped its EXIF."""
    biggest = update.message.photo[-1]
    await _store(update, context, biggest.file_id, biggest.file_unique_id, "", biggest.file_size)


async def document(update: Update, context: Context) -> None:
    doc = update.message.document
    await _store(update, context, doc.file_id, doc.file_unique_id, doc.file_name, doc.file_size)


async def _store(
    update: Update,
    context: Context,
    file_id: str,
    unique: str,
    name: str | None,
    size: int | None,
) -> None:
    session = session_of(context)
    lang = session.lang
    message = update.message
    compressed = bool(message.photo)
    shown = name or t(lang, "file.unnamed")
    try:
        task_id = await evidence_task(context, session.actor)
    except UserError as error:
        await refuse(update, context, error)
        return
    lines: list[str]
    stored = already = False
    if size is not None and size > DOWNLOAD_LIMIT:
        lines = [t(lang, "file.too_big", name=shown, size=f"{size / 1024 / 1024:.1f}")]
    else:
        try:
            data = await _download(context, file_id)
            if data is None:
                lines = [t(lang, "file.too_big", name=shown, size="> 20")]
            else:
                added = await evidence_service.add_photo(
                    session.actor,
                    task_id,
                    data,
                    store=evidence_service.photo_store(settings_of(context).data_dir),
                    idempotency_key=_key(update, context, unique),
                    file_name=name or f"{unique}.jpg",
                    caption=message.caption or "",
                    channel="telegram",
                )
                remember_task(context, added.evidence.task)  # its audit entry is the view
                if (first := added.receipt.already_there) is not None:
                    lines, already = [already_line(lang, added.receipt, first)], True
                else:
                    lines, stored = photo_lines(lang, added.receipt), True
        except PhotoRejected as error:
            if error.code == "empty":
                lines = [t(lang, "file.empty", name=shown)]
            else:
                lines = [t(lang, "photo.refused", message=error.message(lang))]
            if error.code == "not_an_image":
                lines.append(t(lang, "note.document_howto"))
        except EvidenceClosed as error:
            if _first_refusal(context, message.media_group_id):
                await say(update, await closed_text(context, task_id, error))
            return
        except UserError as error:
            await refuse(update, context, error)
            return
    name = await name_of(context, session.actor, task_id, lang)
    if already and message.media_group_id is None:
        lines = [t(lang, "photo.already_in", name=name, message=lines[0])]
    await _confirm(update, context, name, lines, compressed, stored=stored)


def _first_refusal(context: Context, group: str | None) -> bool:
    """An album arrives as one update per item: refusing it once says all there is to say."""
    if group is None:
        return True
    refused: list[str] = context.user_data.setdefault(REFUSED_ALBUMS, [])
    if group in refused:
        return False
    refused.append(group)
    del refused[:-ALBUMS_KEPT]
    return True


async def _download(context: Context, file_id: str) -> bytes | None:
    """The file's bytes; None when Telegram says it is above the bots' download limit."""
    try:
        found = await context.bot.get_file(file_id)
    except BadRequest as error:
        if "too big" in str(error).lower():
            return None
        raise
    return bytes(await found.download_as_bytearray())


async def _confirm(
    update: Update, context: Context, name: str, lines: list[str], compressed: bool, stored: bool
) -> None:
    lang = session_of(context).lang
    compressed = compressed and stored
    group = update.message.media_group_id
    if group is None:
        receipt = Receipt(name, lines, 1, compressed)
        await say(update, receipt.text(lang, album=False) if stored else "\n".join(lines))
        return
    albums: dict[str, Receipt] = context.user_data.setdefault(ALBUMS, {})
    receipt = albums.get(group)
    if receipt is None:
        receipt = albums[group] = Receipt(name)
        for old in list(albums)[:-ALBUMS_KEPT]:
            albums.pop(old, None)
    receipt.lines += lines
    receipt.count += 1
    receipt.compressed = receipt.compressed or compressed
    text = receipt.text(lang, album=True)
    if receipt.message_id is None:
        sent = await say(update, text)
        receipt.chat_id, receipt.message_id = sent.chat_id, sent.message_id
        return
    await context.bot.edit_message_text(
        text, chat_id=receipt.chat_id, message_id=receipt.message_id
    )
