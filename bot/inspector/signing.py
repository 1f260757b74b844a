"""After /report: every teammate confirms the saved revision, then one of them submits.

Teammates are asked through the outbox ("report.sign"), queued by the domain when a revision
is saved (domain/tasks/signatures.py), so a request survives a restart and goes out once per
revision; when everyone has signed, the domain tells the drafter ("report.signed"), who gets a
Submit button. Signing and submitting are the domain's (they refuse with the state and the
next steps); a Sign button of an older revision is refused here in the chat's words, and by
the domain as well, so nobody signs a text they were not shown.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.delivery.render import Button, Outgoing, Rendered, Renderer
from bot.i18n import t
from bot.inspector import report_flow as flow
from bot.inspector.tasks import Context, recipient_actor, refuse, say, task_name
from bot.session import session_of, wake_sender
from domain.errors import PermissionDenied, UserError
from domain.messaging.kinds import REPORT_SIGN, REPORT_SIGNED
from domain.storage.models import Report
from domain.tasks import reporting, signatures
from domain.tasks.views import TaskView, load_task

SIGN = REPORT_SIGN
SIGNED = REPORT_SIGNED


def install(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(sign_button, pattern=r"^i:sgn:\d+:\d+$"))
    app.add_handler(CallbackQueryHandler(submit_button, pattern=r"^i:sub:\d+$"))


def markup(buttons: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[b] for b in buttons])


def sign_button_for(lang: str, task_id: int, revision: int) -> InlineKeyboardButton:
    data = f"i:sgn:{task_id}:{revision}"
    return InlineKeyboardButton(t(lang, "report.btn.sign"), callback_data=data)


def submit_button_for(lang: str, task_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(lang, "report.btn.submit"), callback_data=f"i:sub:{task_id}")


def edit_button_for(lang: str, task_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(lang, "report.btn.edit"), callback_data=f"i:rpe:{task_id}")


async def drop_buttons(query: CallbackQuery) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        pass  # not modified, or the message is gone


def _author(view: TaskView, report: Report):
    return signatures.drafter_of(view, report)


async def ask_teammates(context: Context, view: TaskView, report: Report) -> None:
    """Each other current member is asked to confirm this revision (once: the domain's
    dedupe key), and the sender woken."""
    await signatures.ask_teammates(view, report)
    wake_sender(context)


async def hub(update: Update, context: Context, view: TaskView, report: Report) -> None:
    """/report on a drafted report: read it, sign, submit or change it."""
    lang = session_of(context).lang
    await ask_teammates(context, view, report)  # a lost request is made again, still once each
    text = t(
        lang,
        "report.hub",
        name=task_name(view, lang),
        revision=report.revision,
        summary=flow.summary(report.data, lang),
    )
    task_id = view.task.id
    buttons = [
        sign_button_for(lang, task_id, report.revision),
        submit_button_for(lang, task_id),
        edit_button_for(lang, task_id),
    ]
    await say(update, text, markup(buttons))


async def sign_button(update: Update, context: Context) -> None:
    session = session_of(context)
    query, lang = update.callback_query, session.lang
    _, _, task, rev = query.data.split(":")
    task_id, revision = int(task), int(rev)
    try:
        view = await load_task(session.actor, task_id, purpose="sign")
        report = await reporting.report_of(view)
        if report is not None and report.revision != revision:
            await query.answer(t(lang, "sign.stale", revision=report.revision), show_alert=True)
            return
        remaining = await reporting.sign_report(session.actor, task_id, revision)
    except UserError as error:
        await refuse(update, context, error)
        return
    await query.answer(t(lang, "sign.answer"))
    await drop_buttons(query)
    if remaining:
        sep = ", " if lang == "en" else "、"
        await say(update, t(lang, "sign.done", revision=revision, names=sep.join(remaining)))
        return
    text = t(lang, "sign.all_done", revision=revision)
    await say(update, text, markup([submit_button_for(lang, task_id)]))
    wake_sender(context)  # the domain told the drafter, if someone else drafted it


async def submit_button(update: Update, context: Context) -> None:
    session = session_of(context)
    query = update.callback_query
    try:
        await reporting.submit_report(session.actor, int(query.data.rsplit(":", 1)[1]))
    except UserError as error:
        await refuse(update, context, error)
        return
    await query.answer()
    await drop_buttons(query)
    await say(update, t(session.lang, "submit.done"))


# -- outbox kinds --------------------------------------------------------------------------


async def _report_for(out: Outgoing) -> tuple[TaskView, Report] | None:
    """The task and report as the recipient may see them; None once the request is stale."""
    actor = await recipient_actor(out)
    try:
        view = await load_task(actor, out.payload["task_id"], purpose="sign")
    except PermissionDenied:
        return None
    report = await reporting.report_of(view)
    if view.member_for(actor) is None or report is None:
        return None
    if report.revision != out.payload["revision"] or view.task.state != "report_drafted":
        return None
    return view, report


async def sign_request(out: Outgoing) -> Rendered | None:
    found = await _report_for(out)
    if found is None:
        return None
    view, report = found
    author = _author(view, report)
    text = t(
        out.lang,
        "sign.request",
        author=author.inspector.name if author else "",
        name=task_name(view, out.lang),
        revision=report.revision,
        summary=flow.summary(report.data, out.lang),
    )
    data = f"i:sgn:{view.task.id}:{report.revision}"
    return Rendered(text, buttons=((Button(t(out.lang, "report.btn.sign"), data),),))


async def signed_notice(out: Outgoing) -> Rendered | None:
    found = await _report_for(out)
    if found is None:
        return None
    view, report = found
    text = t(out.lang, "signed.ready", name=task_name(view, out.lang), revision=report.revision)
    data = f"i:sub:{view.task.id}"
    return Rendered(text, buttons=((Button(t(out.lang, "report.btn.submit"), data),),))


RENDERERS: dict[str, Renderer] = {SIGN: sign_request, SIGNED: signed_notice}
