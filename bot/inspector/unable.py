"""/unable: the team leader reports that the current task could not be inspected (无法检查:
the business is closed, cannot be found, refused entry...).

A short conversation: the result category (6–12, the could-not-inspect outcomes in
docs/domain.md), what happened, then a confirmation, since the task then leaves the team and
awaits the coordinators' review. The domain (domain.tasks.visit.could_not_inspect) makes the
transition and refuses with the state and the next steps; the first step only asks it early, so
nobody types a reason that would be refused.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.buttons import button_id
from bot.conversations import kept_conversation
from bot.i18n import t
from bot.inspector.tasks import (
    Context,
    current_id,
    current_task,
    refuse,
    say,
    set_current,
    state_label,
    task_name,
)
from bot.session import session_of
from domain.errors import UserError
from domain.rules import lifecycle
from domain.rules.access import Role
from domain.rules.report import COULD_NOT_INSPECT_CATEGORIES, RESULT_CATEGORIES
from domain.tasks import visit
from domain.tasks.common import lifecycle_role
from domain.tasks.views import TaskView, load_task, require_member

CATEGORY, REASON, CONFIRM = range(10, 13)
PENDING = "ssj.unable"
TRANSITION = "declare_could_not_inspect"
CODES = [code for code in RESULT_CATEGORIES if code in COULD_NOT_INSPECT_CATEGORIES]


def conversation(mine: filters.BaseFilter) -> ConversationHandler:
    return kept_conversation(
        "inspector.unable",
        entry_points=[
            CommandHandler("unable", unable_command, filters=mine),
            CallbackQueryHandler(unable_button, pattern=r"^i:cni:\d+$"),
        ],
        states={
            CATEGORY: [
                CallbackQueryHandler(category_button, pattern=r"^i:cn:c:\w+$"),
                MessageHandler(mine & filters.TEXT & ~filters.COMMAND, use_buttons),
            ],
            REASON: [MessageHandler(mine & filters.TEXT & ~filters.COMMAND, reason_text)],
            CONFIRM: [
                CallbackQueryHandler(confirm_button, pattern=r"^i:cn:ok$"),
                # Typing again replaces the reason rather than becoming a note.
                MessageHandler(mine & filters.TEXT & ~filters.COMMAND, reason_text),
            ],
        },
        fallbacks=[
            CallbackQueryHandler(cancel, pattern=r"^i:cn:x$"),
            MessageHandler(mine & filters.COMMAND, cancel),
        ],
        conversation_timeout=30 * 60,
        allow_reentry=True,
    )


def label(code: str, lang: str) -> str:
    zh, en = RESULT_CATEGORIES[code]
    return f"{code} {en if lang == 'en' else zh}"


def button_for(lang: str, task_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(lang, "btn.unable"), callback_data=f"i:cni:{task_id}")


def may_declare(view: TaskView, actor) -> bool:
    """Whether the domain would let this actor declare it now (reason and category aside)."""
    return TRANSITION in lifecycle.allowed(view.task.state, lifecycle_role(actor, view))


async def _usable(context: Context, task_id: int) -> TaskView:
    """The task, if the actor is on its team and may declare it now; else a refusal that says
    why: only the leader may, or not in this state."""
    actor, lang = session_of(context).actor, session_of(context).lang
    view = await load_task(actor, task_id, purpose="could_not_inspect")
    require_member(actor, view)
    if may_declare(view, actor):
        return view
    state = view.task.state
    if TRANSITION in lifecycle.allowed(state, Role.LEADER):
        raise UserError(t(lang, "unable.leader_only"))
    raise UserError(t(lang, "unable.not_now", state=state_label(state, lang)))


async def unable_command(update: Update, context: Context) -> int:
    session = session_of(context)
    try:
        view = await _usable(context, await current_task(context, session.actor))
    except UserError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    return await _ask_category(update, context, view)


async def unable_button(update: Update, context: Context) -> int:
    query = update.callback_query
    try:
        view = await _usable(context, button_id(query.data))
    except UserError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    await query.answer()
    return await _ask_category(update, context, view)


async def _ask_category(update: Update, context: Context, view: TaskView) -> int:
    lang = session_of(context).lang
    context.user_data[PENDING] = {"task_id": view.task.id, "name": task_name(view, lang)}
    rows = [[InlineKeyboardButton(label(c, lang), callback_data=f"i:cn:c:{c}")] for c in CODES]
    rows.append([InlineKeyboardButton(t(lang, "unable.btn.cancel"), callback_data="i:cn:x")])
    text = t(lang, "unable.ask_category", name=task_name(view, lang))
    await say(update, text, InlineKeyboardMarkup(rows))
    return CATEGORY


async def category_button(update: Update, context: Context) -> int:
    query, lang = update.callback_query, session_of(context).lang
    pending = context.user_data.get(PENDING)
    code = query.data.rsplit(":", 1)[1]
    if pending is None or code not in CODES:
        await query.answer(t(lang, "callback.stale"))
        return ConversationHandler.END
    pending["category"] = code
    await query.answer()
    await say(update, t(lang, "unable.ask_reason", category=label(code, lang)))
    return REASON


async def use_buttons(update: Update, context: Context) -> int:
    await say(update, t(session_of(context).lang, "unable.use_buttons"))
    return CATEGORY


async def reason_text(update: Update, context: Context) -> int:
    lang = session_of(context).lang
    pending = context.user_data.get(PENDING)
    if pending is None:
        return ConversationHandler.END
    pending["reason"] = update.message.text.strip()
    text = t(
        lang,
        "unable.confirm",
        name=pending["name"],
        category=label(pending["category"], lang),
        reason=pending["reason"],
    )
    buttons = [
        InlineKeyboardButton(t(lang, "unable.btn.ok"), callback_data="i:cn:ok"),
        InlineKeyboardButton(t(lang, "unable.btn.cancel"), callback_data="i:cn:x"),
    ]
    await say(update, text, InlineKeyboardMarkup([buttons]))
    return CONFIRM


async def confirm_button(update: Update, context: Context) -> int:
    session, query = session_of(context), update.callback_query
    pending = context.user_data.pop(PENDING, None)
    if pending is None or "reason" not in pending:
        await query.answer(t(session.lang, "callback.stale"))
        return ConversationHandler.END
    task_id = pending["task_id"]
    try:
        await visit.could_not_inspect(
            session.actor, task_id, pending["reason"], [pending["category"]]
        )
    except UserError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    await query.answer()
    if await current_id(context) == task_id:
        await set_current(context, None)  # closed for the team: notes may not go there any more
    lang = session.lang
    await say(
        update,
        t(lang, "unable.done", name=pending["name"], category=label(pending["category"], lang)),
    )
    return ConversationHandler.END


async def cancel(update: Update, context: Context) -> int:
    context.user_data.pop(PENDING, None)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await say(update, t(session_of(context).lang, "unable.cancelled"))
    return ConversationHandler.END
