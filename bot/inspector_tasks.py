"""What the inspector handlers share: my open tasks (each one loaded through the domain's
access check), the current task (kept per account in the database, so a restart keeps it),
how a task is named, and how a refusal reads."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.i18n import t
from bot.parts import split_text
from bot.render import Outgoing
from bot.session import session_of
from bot.texts_zh import TEXTS as ZH
from domain import chat_accounts, people
from domain.access import Actor
from domain.deadlines import OPEN_TASK_STATES
from domain.errors import PermissionDenied, UserError
from domain.evidence import PhotoRejected
from domain.evidence_service import EvidenceClosed
from domain.lifecycle import TaskState
from domain.models import MemberStatus, TeamMember
from domain.task_access import TaskView, load_task

Context = ContextTypes.DEFAULT_TYPE
NAMES = "ssj.task_names"
ALERT_MAX = 190  # Telegram shows at most 200 characters in a callback answer


class NoCurrentTask(UserError):
    def __init__(self, key: str):
        super().__init__(ZH[key])
        self.key = key


# -- my tasks -----------------------------------------------------------------------------


async def open_task_ids(
    actor: Actor, campaign_id: int | None = None, *, assigned_only: bool = False
) -> list[int]:
    """Candidates only: every task is then loaded with the actor, and the domain decides."""
    query = TeamMember.filter(inspector_id=actor.id, task__state__in=OPEN_TASK_STATES).exclude(
        status=MemberStatus.RECUSED
    )
    if campaign_id is not None:
        query = query.filter(task__campaign_id=campaign_id)
    if assigned_only:
        query = query.filter(status=MemberStatus.ASSIGNED)
    return sorted(set(await query.values_list("task_id", flat=True)))


async def my_open_tasks(actor: Actor, campaign_id: int | None = None, **kw: Any) -> list[TaskView]:
    views = []
    for task_id in await open_task_ids(actor, campaign_id, **kw):
        try:
            views.append(await load_task(actor, task_id, purpose="list"))
        except PermissionDenied:
            continue
    return sorted(views, key=lambda v: (v.task.due_date, v.task.number))


def remember(context: Context, view: TaskView) -> None:
    """Keep how a task is named, so receipts can say which task they went to without loading
    (and auditing a view of) the task again for each one."""
    if context.user_data is not None:
        names = context.user_data.setdefault(NAMES, {})
        names[view.task.id] = (view.task.target.name, view.task.number)


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


async def evidence_task(context: Context, actor: Actor) -> int:
    """The task evidence goes to. Unlike `current_task`, a chosen task that closed meanwhile
    stays chosen (while the inspector is still on its team), and with no open task the latest
    one is taken: the domain then refuses, naming its state, instead of the evidence landing on
    another task or going unexplained."""
    ids = await open_task_ids(actor)
    mine = TeamMember.filter(inspector_id=actor.id).exclude(status=MemberStatus.RECUSED)
    chosen = await current_id(context)
    if chosen is not None and chosen not in ids and await mine.filter(task_id=chosen).exists():
        return chosen
    if not ids and chosen is None:
        latest = (
            await mine.order_by("-task__updated_at", "-task_id")
            .limit(1)
            .values_list("task_id", flat=True)
        )
        if latest:
            return latest[0]
    return await current_task(context, actor)


async def set_current(context: Context, task_id: int | None) -> None:
    user_id = session_of(context).telegram_user_id
    if user_id is not None:
        await chat_accounts.set_current_task(user_id, task_id)


async def current_task(context: Context, actor: Actor) -> int:
    """The task chosen with /tasks while it is still open and the actor on its team; with a
    single open task and no choice made, that one. A choice that became unusable (recusal, a
    replacement, the task closed) is cleared and refused once, so nothing meant for it lands on
    another task unnoticed."""
    ids = await open_task_ids(actor)
    chosen = await current_id(context)
    if chosen is not None and chosen in ids:
        return chosen
    if chosen is not None:
        await set_current(context, None)
        raise NoCurrentTask("insp.current_gone")
    if len(ids) == 1:
        await set_current(context, ids[0])
        return ids[0]
    raise NoCurrentTask("insp.choose_task" if ids else "insp.no_tasks")


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
    if isinstance(error, NoCurrentTask):
        return t(lang, error.key)
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
