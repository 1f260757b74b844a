"""What the inspector handlers share: my open tasks and the current task as the domain decides
them (the choice kept per account in the database, so a restart keeps it), how a task is
named, and how a refusal reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.buttons import BadButton
from bot.delivery.parts import split_text
from bot.delivery.render import Outgoing
from bot.i18n import t
from bot.i18n.zh import TEXTS as ZH
from bot.session import session_of
from domain.errors import PermissionDenied, UserError
from domain.evidence import PhotoRejected
from domain.evidence.service import EvidenceClosed
from domain.messaging import chat_accounts
from domain.people import persons as people
from domain.rules.access import Actor
from domain.rules.lifecycle import TaskState
from domain.storage.models import Task
from domain.tasks import current
from domain.tasks.views import TaskView, load_task

Context = ContextTypes.DEFAULT_TYPE
NAMES = "ssj.task_names"
ALERT_MAX = 190  # Telegram shows at most 200 characters in a callback answer
Rule = Callable[[Actor, int | None], Awaitable[current.Current]]


# -- my tasks -----------------------------------------------------------------------------


async def my_open_tasks(actor: Actor, campaign_id: int | None = None, **kw: Any) -> list[TaskView]:
    """The domain's list of the actor's open tasks (`domain.tasks.current.open_tasks`)."""
    return await current.open_tasks(actor, campaign_id, **kw)


def remember(context: Context, view: TaskView) -> None:
    remember_task(context, view.task)


def remember_task(context: Context, task: Task) -> None:
    """Keep how a task is named (`task.target` loaded), so receipts can say which task they
    went to without loading (and auditing a view of) the task again for each one."""
    if context.user_data is not None:
        names = context.user_data.setdefault(NAMES, {})
        names[task.id] = (task.target.name, task.number)


async def name_of(context: Context, actor: Actor, task_id: int, lang: str) -> str:
    known = (context.user_data or {}).get(NAMES, {}).get(task_id)
    if known is None:
        view = await load_task(actor, task_id, purpose="current")
        remember(context, view)
        known = (view.task.target.name, view.task.number)
    return t(lang, "insp.task_name", target=known[0], number=known[1])


async def current_id(context: Context) -> int | None:
    user_id = session_of(context).telegram_user_id
    return await chat_accounts.current_task_of(user_id) if user_id is not None else None


async def set_current(context: Context, task_id: int | None) -> None:
    user_id = session_of(context).telegram_user_id
    if user_id is not None:
        await chat_accounts.set_current_task(user_id, task_id)


async def _routed(context: Context, actor: Actor, rule: Rule) -> int:
    """Ask the domain's rule with the account's remembered choice; store what it says to."""
    chosen = await current_id(context)
    try:
        found = await rule(actor, chosen)
    except current.NoCurrentTask as refusal:
        if refusal.forget:
            await set_current(context, None)
        raise
    if found.remember:
        await set_current(context, found.task_id)
    return found.task_id


async def evidence_task(context: Context, actor: Actor) -> int:
    """The task evidence goes to (`domain.tasks.current.evidence_task`)."""
    return await _routed(context, actor, current.evidence_task)


async def current_task(context: Context, actor: Actor) -> int:
    """The current task (`domain.tasks.current.current_task`)."""
    return await _routed(context, actor, current.current_task)


async def recipient_actor(out: Outgoing) -> Actor:
    """Who an outbox message is for, as the domain knows them."""
    return people.actor_for(await people.load_person(out.recipient_kind, out.recipient_id))


# -- words --------------------------------------------------------------------------------


def state_label(state: str, lang: str) -> str:
    s = TaskState(state)
    return s.label_en if lang == "en" else s.label_zh


def task_name(view: TaskView, lang: str) -> str:
    return t(lang, "insp.task_name", target=view.task.target.name, number=view.task.number)


def hint(state: str, lang: str) -> str:
    key = f"insp.hint.{state}"
    return t(lang, key) if key in ZH else ""


def error_text(lang: str, error: UserError) -> str:
    if isinstance(error, PermissionDenied):
        return t(lang, "insp.not_yours")
    if isinstance(error, PhotoRejected | EvidenceClosed):
        return error.message(lang)
    if isinstance(error, current.NoCurrentTask):
        return t(lang, f"insp.{error.reason}")
    if isinstance(error, BadButton):
        return t(lang, "error.bad_button")
    return str(error)


# -- replies ------------------------------------------------------------------------------


async def say(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None, **kw: Any
) -> Any:
    """A reply in the private chat; task data in it may not be forwarded or saved."""
    chunks = split_text(text)
    sent = None
    for i, chunk in enumerate(chunks):
        sent = await update.effective_chat.send_message(
            chunk,
            reply_markup=markup if i == len(chunks) - 1 else None,
            protect_content=True,
            **kw,
        )
    return sent


async def refuse(update: Update, context: Context, error: UserError) -> None:
    """Show a refusal: as an alert on a button press (and in the chat when it is long)."""
    text = error_text(session_of(context).lang, error)
    query = update.callback_query
    if query is None:
        await say(update, text)
        return
    short = text if len(text) <= ALERT_MAX else text[: ALERT_MAX - 1] + "…"
    await query.answer(short, show_alert=True)
    if short != text:
        await say(update, text)
