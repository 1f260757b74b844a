"""A submitted report reaches the coordinators with its photos and their anomalies in view, and
buttons to approve, return or reject it (the last two ask for comments first).

The outbox kind "report.submitted" carries only the task id and the report's revision: what is
shown is read when the message is sent, through the domain's access rule for that coordinator
(and audited as a view of sealed data). A report already reviewed, or replaced by a newer
revision, is not announced any more, and its old buttons do nothing.

A could-not-inspect claim (kind task.could_not_inspect) awaits the same review: its notice shows
the result category and what the leader found, with only the decisions the lifecycle allows
there (approve or reject: there is no report text to return). Its buttons say "ru" rather than
"rv", so an old report's buttons never decide a later claim at the same revision.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.buttons import button_id
from bot.coordinator.common import Context, error_text, lang_of
from bot.coordinator.formatting import (
    PhotoLine,
    ReviewFacts,
    member_label,
    photo_caption,
    review_text,
)
from bot.delivery.parts import MAX_TEXT
from bot.delivery.render import Button, OutFile, Outgoing, Rendered, Renderer
from bot.i18n import anomaly_text, t
from bot.session import session_of
from domain import clock
from domain.errors import PermissionDenied, UserError
from domain.evidence import Variant
from domain.evidence.service import evidence_of, photo_store
from domain.messaging.kinds import REPORT_SUBMITTED
from domain.people.persons import coordinator_actor
from domain.rules.access import Actor
from domain.rules.lifecycle import TaskState
from domain.rules.report import RESULT_CATEGORIES
from domain.storage.models import Evidence, EvidenceKind, Report
from domain.tasks.reporting import report_of, review
from domain.tasks.views import TaskView, load_task
from domain.tasks.visit import UNABLE_KIND

log = logging.getLogger(__name__)
KIND = REPORT_SUBMITTED
COMMENTS = "review.comments"
PENDING = "ssj.review"
MAX_PHOTOS = 10
DECISIONS = {"a": "approve", "r": "return", "x": "reject"}
# Callback prefix -> the state its buttons decide, and which decisions it offers.
AWAITS = {"rv": TaskState.REPORT_SUBMITTED, "ru": TaskState.COULD_NOT_INSPECT}
OFFERED = {"rv": "arx", "ru": "ax"}
NOTES = {"return": "coord.review.returned_note", "reject": "coord.review.rejected_note"}


class PhotoRoot:
    """Where the evidence store lives, set from the settings when the bot is installed (a
    renderer sees only the outbox message)."""

    data_dir: Path = Path("var")


async def _awaiting(
    actor: Actor, task_id: int, revision: int, purpose: str, state: str = TaskState.REPORT_SUBMITTED
):
    """(view, report) if that revision of the report still awaits review, else None."""
    view = await load_task(actor, task_id, purpose=purpose)
    if view.task.state != state:
        return None
    report = await report_of(view)
    if report is None or report.revision != revision:
        return None
    return view, report


def _facts(lang: str, view: TaskView, report: Report, evidence: list[Evidence]) -> ReviewFacts:
    photos = [e for e in evidence if e.kind == EvidenceKind.PHOTO]
    checkin = view.task.checkin_at
    return ReviewFacts(
        number=view.task.number,
        revision=report.revision,
        target=view.task.target.name,
        address=view.task.target.address,
        team=[member_label(lang, m.inspector.name, m.role) for m in view.members],
        checkin=clock.local(checkin).strftime("%Y-%m-%d %H:%M") if checkin else None,
        data=report.data,
        notes=len(evidence) - len(photos),
        photos=[
            PhotoLine(
                i,
                p.photo_sha256 or "",
                [anomaly_text(lang, a) for a in p.anomalies or ()],
            )
            for i, p in enumerate(photos, start=1)
        ],
    )


async def _photo_files(lang: str, facts: ReviewFacts) -> tuple[OutFile, ...]:
    store = photo_store(PhotoRoot.data_dir)
    files = []
    for photo in facts.photos[:MAX_PHOTOS]:
        try:
            data = await asyncio.to_thread(store.read, photo.sha256, Variant.DISPLAY)
        except (FileNotFoundError, ValueError):
            log.warning("review notice: a display copy is missing (photo %d)", photo.index)
            continue
        caption = photo_caption(lang, photo, len(facts.photos))
        files.append(OutFile(f"photo-{photo.index}.jpg", data, kind="photo", caption=caption))
    return tuple(files)


async def submitted(out: Outgoing) -> Rendered | None:
    actor = await coordinator_actor(out.recipient_id)
    if actor is None:
        return None
    task_id, revision = int(out.payload["task_id"]), int(out.payload.get("revision", 1))
    try:
        found = await _awaiting(actor, task_id, revision, "review.notice")
    except PermissionDenied:
        return None
    if found is None:
        return None  # reviewed meanwhile, or a newer revision was submitted
    view, report = found
    evidence = await evidence_of(view)
    facts = _facts(out.lang, view, report, evidence)
    text = review_text(out.lang, facts)
    if len(facts.photos) > MAX_PHOTOS:
        text += "\n" + t(
            out.lang, "coord.review.more_photos", shown=MAX_PHOTOS, total=len(facts.photos)
        )
    buttons = (
        tuple(
            Button(t(out.lang, f"coord.review.{decision}_button"), f"rv:{key}:{task_id}:{revision}")
            for key, decision in DECISIONS.items()
        ),
    )
    return Rendered(text, buttons=buttons, files=await _photo_files(out.lang, facts))


async def unable(out: Outgoing) -> Rendered | None:
    actor = await coordinator_actor(out.recipient_id)
    if actor is None:
        return None
    task_id, revision = int(out.payload["task_id"]), int(out.payload.get("revision", 1))
    try:
        found = await _awaiting(
            actor, task_id, revision, "review.notice", TaskState.COULD_NOT_INSPECT
        )
    except PermissionDenied:
        return None
    if found is None:
        return None  # reviewed meanwhile
    view, report = found
    lang = out.lang
    codes = report.data.get("result_categories") or []
    sep = ", " if lang == "en" else "、"
    categories = sep.join(_category(lang, c) for c in codes) or "—"
    text = "\n".join(
        [
            t(lang, "coord.unable.head", number=view.task.number),
            t(lang, "coord.review.target", target=view.task.target.name,
              address=view.task.target.address),
            t(lang, "coord.review.team", team=sep.join(
                member_label(lang, m.inspector.name, m.role) for m in view.members)),
            t(lang, "coord.unable.category", categories=categories),
            t(lang, "coord.unable.reason", reason=report.data.get("content") or "—"),
        ]
    )  # fmt: skip
    buttons = (
        tuple(
            Button(
                t(lang, f"coord.review.{DECISIONS[key]}_button"), f"ru:{key}:{task_id}:{revision}"
            )
            for key in OFFERED["ru"]
        ),
    )
    return Rendered(text[:MAX_TEXT], buttons=buttons)


RENDERERS: dict[str, Renderer] = {KIND: submitted, UNABLE_KIND: unable}


def _category(lang: str, code: str) -> str:
    if code not in RESULT_CATEGORIES:
        return code
    zh, en = RESULT_CATEGORIES[code]
    return f"{code} {en if lang == 'en' else zh}"


# -- the buttons ---------------------------------------------------------------------------


def _parse(data: str) -> tuple[str, int, int]:
    _, key, _, _ = data.split(":")
    return DECISIONS[key], button_id(data, 2), button_id(data, 3)


async def _still_open(update: Update, context: Context, task_id: int, revision: int) -> bool:
    lang, actor = lang_of(context), session_of(context).actor
    query = update.callback_query
    state = AWAITS[query.data.split(":", 1)[0]]
    try:
        found = await _awaiting(actor, task_id, revision, "review", state)
    except UserError as error:
        await query.answer(error_text(lang, error), show_alert=True)
        return False
    if found is None:
        await query.answer(t(lang, "coord.review.stale"), show_alert=True)
        if query.message is not None and query.message.reply_markup is not None:
            await query.edit_message_reply_markup(None)
        return False
    return True


async def _decide(context: Context, task_id: int, decision: str, comments: str) -> str:
    actor = session_of(context).actor
    # The last approval also completes the campaign (in the domain, with the approval).
    state = await review(actor, task_id, decision, comments)
    # Which task was decided how is task data: not at INFO (the audit log has it anyway).
    log.debug("report of task %s reviewed (%s) by coordinator %s", task_id, decision, actor.id)
    return state


async def _mark(context: Context, chat_id: int, message_id: int, original: str, note: str) -> None:
    room = MAX_TEXT - len(note) - 3
    shown = original if len(original) <= room else original[: room - 1] + "…"
    await context.bot.edit_message_text(
        f"{shown}\n\n{note}", chat_id=chat_id, message_id=message_id, reply_markup=None
    )


async def approve(update: Update, context: Context) -> None:
    query, lang = update.callback_query, lang_of(context)
    decision, task_id, revision = _parse(query.data)
    if not await _still_open(update, context, task_id, revision):
        return
    try:
        await _decide(context, task_id, decision, "")
    except UserError as error:
        await query.answer(error_text(lang, error), show_alert=True)
        return
    await query.answer(t(lang, "coord.review.approved_short"))
    message = query.message
    note = t(lang, "coord.review.approved", name=session_of(context).actor.name)
    await _mark(context, message.chat_id, message.message_id, message.text or "", note)


async def ask_comments(update: Update, context: Context) -> str | int:
    query, lang = update.callback_query, lang_of(context)
    decision, task_id, revision = _parse(query.data)
    if not await _still_open(update, context, task_id, revision):
        return ConversationHandler.END
    await query.answer()
    message = query.message
    context.user_data[PENDING] = (decision, task_id, message.message_id, message.text or "")
    await context.bot.send_message(message.chat_id, t(lang, f"coord.review.ask_{decision}"))
    return COMMENTS


async def comments_entered(update: Update, context: Context) -> str | int:
    lang, comments = lang_of(context), update.message.text.strip()
    pending = context.user_data.pop(PENDING, None)
    if pending is None:
        return ConversationHandler.END
    decision, task_id, message_id, original = pending
    try:
        await _decide(context, task_id, decision, comments)
    except UserError as error:
        await update.message.reply_text(error_text(lang, error))
        return ConversationHandler.END
    note = t(lang, NOTES[decision], name=session_of(context).actor.name, comments=comments)
    await _mark(context, update.effective_chat.id, message_id, original, note)
    await update.message.reply_text(t(lang, f"coord.review.{decision}_done"))
    return ConversationHandler.END


def handlers(private) -> list:
    """Handlers outside the conversation: approving needs no more input."""
    return [CallbackQueryHandler(approve, pattern=r"^r[vu]:a:\d+:\d+$")]


def entry_points() -> list:
    return [CallbackQueryHandler(ask_comments, pattern=r"^(rv:[rx]|ru:x):\d+:\d+$")]


def states(text) -> dict:
    return {COMMENTS: [MessageHandler(text, comments_entered)]}
