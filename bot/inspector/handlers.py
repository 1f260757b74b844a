"""Inspectors in the chat: their tasks, acceptance or a declared conflict (回避), check-in.

Every handler here works in private chats only (the gate in bot/enroll.py already answers
groups with one sentence) and acts through the domain's services, which decide who may do
what; a refusal is shown as the domain words it. Evidence is in bot/inspector/evidence.py, the
report in bot/inspector/report.py, "could not inspect" in bot/inspector/unable.py, outbox
renderers in bot/inspector/assignment.py.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.conversations import kept_conversation
from bot.i18n import t
from bot.inspector import evidence as inspector_evidence
from bot.inspector import login as inspector_login
from bot.inspector import notice as inspector_notice
from bot.inspector import report as inspector_report
from bot.inspector import signing as inspector_signing
from bot.inspector import unable as inspector_unable
from bot.inspector.tasks import (
    Context,
    current_id,
    current_task,
    hint,
    my_open_tasks,
    refuse,
    remember,
    say,
    set_current,
    state_label,
    task_name,
)
from bot.session import SESSION, session_of, settings_of, wake_sender
from domain import clock
from domain.errors import UserError
from domain.rules.access import Role
from domain.rules.lifecycle import TaskState
from domain.tasks import team, visit
from domain.tasks.views import load_task, require_member

log = logging.getLogger(__name__)
ONLY_MESSAGES = filters.UpdateType.MESSAGE
PRIVATE = filters.ChatType.PRIVATE
REASON = 1
CONFLICT = "ssj.conflict"
CONVERSATION_TIMEOUT = 15 * 60


class InspectorsOnly(filters.UpdateFilter):
    """Messages from bound inspectors, as the gate (group -900) resolved them for this update;
    anybody else's messages go on to other handlers (coordinators') or the fallback."""

    def __init__(self, application: Application):
        super().__init__(name="InspectorsOnly")
        self.application = application

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        data = self.application.user_data.get(user.id) if user else None
        session = data.get(SESSION) if data else None
        return bool(session and session.actor and session.actor.role == Role.INSPECTOR)


def install(app: Application) -> None:
    inspector_notice.configure(settings_of(app))
    mine = ONLY_MESSAGES & PRIVATE & InspectorsOnly(app)
    inspector_login.install(app)
    # Conversations first: while one waits for an answer, the answer is theirs.
    app.add_handler(conflict_conversation(mine))
    app.add_handler(inspector_report.conversation(mine))
    app.add_handler(inspector_unable.conversation(mine))
    app.add_handler(CommandHandler("tasks", tasks_command, filters=mine))
    app.add_handler(CallbackQueryHandler(choose_task, pattern=r"^i:cur:\d+$"))
    app.add_handler(CallbackQueryHandler(accept_button, pattern=r"^i:acc:\d+$"))
    app.add_handler(CallbackQueryHandler(inspector_notice.notice_button, pattern=r"^i:ntc:\d+$"))
    inspector_signing.install(app)
    app.add_handler(MessageHandler(mine & filters.LOCATION, location))
    inspector_evidence.install(app, mine)


def _task_id(data: str) -> int:
    return int(data.rsplit(":", 1)[1])


def accept_button_for(lang: str, task_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(lang, "btn.accept"), callback_data=f"i:acc:{task_id}")


def conflict_button_for(lang: str, task_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(lang, "btn.conflict"), callback_data=f"i:cfl:{task_id}")


# -- /tasks and the current task -----------------------------------------------------------


async def tasks_command(update: Update, context: Context) -> None:
    session = session_of(context)
    lang = session.lang
    views = await my_open_tasks(session.actor)
    if not views:
        await say(update, t(lang, "insp.no_tasks"))
        return
    current = await current_id(context)
    lines, rows = [t(lang, "insp.tasks.header")], []
    for n, view in enumerate(views, start=1):
        remember(context, view)
        mark = t(lang, "insp.tasks.current") if view.task.id == current else ""
        lines.append(
            t(
                lang,
                "insp.tasks.line",
                n=n,
                name=task_name(view, lang),
                state=state_label(view.task.state, lang),
                due=view.task.due_date.isoformat(),
                mark=mark,
            )
        )
        label = f"{n}. {view.task.target.name}"
        rows.append([InlineKeyboardButton(label[:60], callback_data=f"i:cur:{view.task.id}")])
    await say(update, "\n".join(lines), InlineKeyboardMarkup(rows))


async def choose_task(update: Update, context: Context) -> None:
    session = session_of(context)
    query = update.callback_query
    try:
        view = await load_task(session.actor, _task_id(query.data), purpose="current")
        require_member(session.actor, view)
    except UserError as error:
        await refuse(update, context, error)
        return
    await set_current(context, view.task.id)
    remember(context, view)
    await query.answer()
    lang = session.lang
    text = t(
        lang,
        "insp.current.set",
        name=task_name(view, lang),
        state=state_label(view.task.state, lang),
    )
    tip = hint(view.task.state, lang)
    rows = [[InlineKeyboardButton(t(lang, "btn.notice"), callback_data=f"i:ntc:{view.task.id}")]]
    if inspector_unable.may_declare(view, session.actor):
        rows.append([inspector_unable.button_for(lang, view.task.id)])
    await say(update, f"{text}\n{tip}" if tip else text, InlineKeyboardMarkup(rows))


# -- acceptance and conflicts --------------------------------------------------------------


async def accept_button(update: Update, context: Context) -> None:
    session = session_of(context)
    query, lang = update.callback_query, session.lang
    task_id = _task_id(query.data)
    try:
        state = await team.accept(session.actor, task_id)
        view = await load_task(session.actor, task_id, purpose="accept")
    except UserError as error:
        await refuse(update, context, error)
        return
    await query.answer(t(lang, "accept.answer"))
    await set_current(context, task_id)
    remember(context, view)
    # A conflict may still come to light after accepting: that button stays.
    await _set_buttons(query, InlineKeyboardMarkup([[conflict_button_for(lang, task_id)]]))
    done = t(lang, "accept.done", name=task_name(view, lang))
    after = "accept.team_done" if state == TaskState.ACCEPTED else "accept.waiting"
    await say(update, f"{done}\n{t(lang, after)}")


async def _set_buttons(query, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except BadRequest as error:  # not modified, or the message is gone: nothing to fix
        log.debug("could not change the buttons of a message: %s", error)


def conflict_conversation(mine: filters.BaseFilter) -> ConversationHandler:
    return kept_conversation(
        "inspector.conflict",
        entry_points=[CallbackQueryHandler(conflict_button, pattern=r"^i:cfl:\d+$")],
        states={REASON: [MessageHandler(mine & filters.TEXT & ~filters.COMMAND, reason)]},
        fallbacks=[MessageHandler(mine & filters.COMMAND, cancel_conflict)],
        conversation_timeout=CONVERSATION_TIMEOUT,
        allow_reentry=True,
    )


async def conflict_button(update: Update, context: Context) -> int:
    session = session_of(context)
    query = update.callback_query
    try:
        view = await load_task(session.actor, _task_id(query.data), purpose="recusal")
        require_member(session.actor, view)
    except UserError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    message = query.message
    context.user_data[CONFLICT] = (view.task.id, message.chat_id, message.message_id)
    await query.answer()
    lang = session.lang
    await say(update, t(lang, "conflict.ask", name=task_name(view, lang)))
    return REASON


async def reason(update: Update, context: Context) -> int:
    session = session_of(context)
    pending = context.user_data.pop(CONFLICT, None)
    if pending is None:
        return ConversationHandler.END
    task_id, chat_id, message_id = pending
    try:
        await team.declare_conflict(session.actor, task_id, update.message.text)
    except UserError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    wake_sender(context)  # the replacement's assignment is in the outbox
    if await current_id(context) == task_id:
        await set_current(context, None)
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as error:
        log.debug("could not remove the buttons of an assignment: %s", error)
    await say(update, t(session.lang, "conflict.done"))
    return ConversationHandler.END


async def cancel_conflict(update: Update, context: Context) -> int:
    context.user_data.pop(CONFLICT, None)
    await say(update, t(session_of(context).lang, "conflict.cancelled"))
    return ConversationHandler.END


# -- on site -------------------------------------------------------------------------------


async def location(update: Update, context: Context) -> None:
    """A shared location (a live location's first point too) checks in on the current task."""
    session = session_of(context)
    point = update.message.location
    try:
        task_id = await current_task(context, session.actor)
        await visit.check_in(session.actor, task_id, point.latitude, point.longitude)
        view = await load_task(session.actor, task_id, purpose="check_in")
    except UserError as error:
        await refuse(update, context, error)
        return
    at = clock.local(view.task.checkin_at or clock.now())
    lang = session.lang
    text = t(
        lang,
        "checkin.done",
        name=task_name(view, lang),
        time=at.strftime("%Y-%m-%d %H:%M"),
        lat=point.latitude,
        lon=point.longitude,
    )
    await say(update, text)
