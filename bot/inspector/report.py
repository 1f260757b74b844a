"""/report: the guided report conversation, then the team's signatures and the submission.

The questions and what answers mean are in bot/inspector/report_flow.py; saving is the domain's
(domain.tasks.reporting), which refuses with the state and the next steps. Signatures and the
submission are in bot/inspector/signing.py. A /report on a drafted report shows it with its
Sign, Submit and Edit buttons instead of asking again.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.buttons import button_id, button_index
from bot.conversations import kept_conversation
from bot.i18n import t
from bot.inspector import report_flow as flow
from bot.inspector import signing
from bot.inspector.tasks import Context, current_task, refuse, say, task_name
from bot.session import session_of
from domain import clock
from domain.errors import UserError
from domain.rules import lifecycle
from domain.rules.access import Role
from domain.storage.models import Report
from domain.tasks import reporting
from domain.tasks.views import TaskView, load_task, require_member, task_items

ASK = 1
DRAFT = "ssj.report"
REPORT_STATES = {"on_site", "report_drafted", "returned"}
SHOWN_BEFORE = 300  # characters of a saved answer shown with its question


def conversation(mine: filters.BaseFilter) -> ConversationHandler:
    return kept_conversation(
        "inspector.report",
        entry_points=[
            CommandHandler("report", report_command, filters=mine),
            CallbackQueryHandler(edit_button, pattern=r"^i:rpe:\d+$"),
        ],
        states={
            ASK: [
                MessageHandler(mine & filters.TEXT & ~filters.COMMAND, text_answer),
                CallbackQueryHandler(button_answer, pattern=r"^i:rp:"),
            ]
        },
        fallbacks=[MessageHandler(mine & filters.COMMAND, cancel)],
        conversation_timeout=60 * 60,
        allow_reentry=True,
    )


# -- starting ------------------------------------------------------------------------------


async def report_command(update: Update, context: Context) -> int:
    session = session_of(context)
    try:
        task_id = await current_task(context, session.actor)
        view = await load_task(session.actor, task_id, purpose="report")
        require_member(session.actor, view)
        report = await reporting.report_of(view)
        if view.task.state == "report_drafted" and report is not None:
            await signing.hub(update, context, view, report)
            return ConversationHandler.END
        if view.task.state not in REPORT_STATES:
            lifecycle.apply(view.task.state, "start_report", Role.INSPECTOR)
    except UserError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    return await _start(update, context, view, report)


async def edit_button(update: Update, context: Context) -> int:
    session = session_of(context)
    task_id = button_id(update.callback_query.data)
    try:
        view = await load_task(session.actor, task_id, purpose="report")
        require_member(session.actor, view)
    except UserError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    await update.callback_query.answer()
    return await _start(update, context, view, await reporting.report_of(view))


async def _start(update: Update, context: Context, view: TaskView, report: Report | None) -> int:
    existing = dict(report.data) if report else {}
    items = await task_items(view)
    lang = session_of(context).lang
    checkin = view.task.checkin_at
    draft = flow.Draft(
        task_id=view.task.id,
        number=view.task.number,
        step=flow.first_step(),
        fields=flow.initial_fields(existing),
        existing=existing,
        checkin_at=clock.local(checkin).replace(second=0, microsecond=0).isoformat()
        if checkin
        else None,
        items_text="、".join(i.name for i in items),
    )
    context.user_data[DRAFT] = draft
    await say(update, t(lang, "report.start", name=task_name(view, lang)))
    await _ask(update, context, draft)
    return ASK


# -- questions -----------------------------------------------------------------------------


def _button(text: str, draft: flow.Draft, op: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=f"i:rp:{draft.step}:{op}")


def question(draft: flow.Draft, lang: str) -> tuple[str, list[list[InlineKeyboardButton]]]:
    step, rows = draft.step, []
    if step == flow.CONFIRM:
        text = t(lang, "report.confirm", summary=flow.summary(draft.fields, lang))
        problems = flow.problems(draft.fields, lang)
        if problems:
            text += "\n\n" + t(lang, "report.problems", problems="\n".join(problems))
        rows.append([_button(t(lang, "report.btn.save"), draft, "save")])
        rows.append([_button(t(lang, "report.btn.redo"), draft, "redo"),
                     _button(t(lang, "report.btn.cancel"), draft, "x")])  # fmt: skip
        return text, rows
    text = t(lang, f"report.q.{step}")
    if step in flow.MULTI_STEPS or step in flow.SINGLE_STEPS:
        chosen = draft.fields.get(step) or draft.existing.get(step)
        chosen = chosen if isinstance(chosen, list) else [chosen]
        multi = step in flow.MULTI_STEPS
        options = flow.MULTI_STEPS.get(step) or flow.SINGLE_STEPS[step]
        for i, value in enumerate(options):
            mark = "✅ " if value in chosen else ""
            label = mark + flow.choice_label(step, value, lang)
            rows.append([_button(label[:60], draft, f"{'t' if multi else 'c'}:{i}")])
        if multi:
            rows.append([_button(t(lang, "report.btn.done"), draft, "d")])
        return text, rows
    before = draft.existing.get(step)
    if before:
        shown = flow.show_value(step, before, lang)
        if len(shown) > SHOWN_BEFORE:
            shown = shown[:SHOWN_BEFORE] + "…"
        text += "\n" + t(lang, "report.before", value=shown)
    quick = []
    if step in flow.MOMENT_STEPS:
        quick.append(_button(t(lang, "report.btn.now"), draft, "now"))
        if draft.checkin_at:
            quick.append(_button(t(lang, "report.btn.checkin"), draft, "ci"))
    if step == "content" and draft.items_text:
        quick.append(_button(t(lang, "report.btn.items"), draft, "it"))
    if before:
        quick.append(_button(t(lang, "report.btn.keep"), draft, "k"))
    return text, [quick] if quick else []


async def _ask(update: Update, context: Context, draft: flow.Draft) -> None:
    text, rows = question(draft, session_of(context).lang)
    await say(update, text, InlineKeyboardMarkup(rows) if rows else None)


def _now_and_zone(context: Context) -> tuple:
    return clock.now(), clock.office_tz()


async def text_answer(update: Update, context: Context) -> int:
    draft: flow.Draft | None = context.user_data.get(DRAFT)
    if draft is None:
        return ConversationHandler.END
    lang = session_of(context).lang
    now, zone = _now_and_zone(context)
    text = update.message.text
    fields, problem = flow.answer_text(draft.step, text, draft.fields, now, zone)
    if problem:
        await say(update, t(lang, problem, value=text[:40]))
        return ASK
    _advance(draft, fields)
    await _ask(update, context, draft)
    return ASK


def _advance(draft: flow.Draft, fields: dict) -> None:
    draft.fields = fields
    draft.step = flow.next_step(fields, draft.step)


async def button_answer(update: Update, context: Context) -> int:
    query = update.callback_query
    draft: flow.Draft | None = context.user_data.get(DRAFT)
    lang = session_of(context).lang
    _, _, step, op, *rest = query.data.split(":")
    if draft is None or step != draft.step:
        await query.answer(t(lang, "callback.stale"))
        return ASK if draft else ConversationHandler.END
    fields = draft.fields
    now, zone = _now_and_zone(context)
    if op == "t":
        draft.fields = flow.toggle(step, _choice(flow.MULTI_STEPS[step], rest), fields)
        await query.answer()
        _, rows = question(draft, lang)
        await _set_buttons(query, InlineKeyboardMarkup(rows))
        return ASK
    if op == "d":
        problems = flow.multi_problems(step, fields)
        if problems:
            await query.answer("；".join(en if lang == "en" else zh for zh, en in problems)[:190],
                               show_alert=True)  # fmt: skip
            return ASK
    elif op == "c":
        fields = flow.choose(step, _choice(flow.SINGLE_STEPS[step], rest), fields)
    elif op == "now":
        fields = {**fields, step: flow.parse_moment("now", now, zone)}
    elif op == "ci":
        fields = {**fields, step: draft.checkin_at}
    elif op == "it":
        fields = {**fields, step: draft.items_text}
    elif op == "k":
        fields = {**fields, step: draft.existing.get(step)}
    elif op == "save":
        return await _save(update, context, draft)
    elif op == "redo":
        fields, draft.step = flow.initial_fields(draft.existing), flow.first_step()
        await query.answer()
        draft.fields = fields
        await _set_buttons(query, None)
        await _ask(update, context, draft)
        return ASK
    elif op == "x":
        await query.answer()
        await _set_buttons(query, None)
        return await cancel(update, context)
    await query.answer()
    await _set_buttons(query, None)
    _advance(draft, fields)
    await _ask(update, context, draft)
    return ASK


async def _set_buttons(query, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except BadRequest:
        pass  # not modified, or gone


async def cancel(update: Update, context: Context) -> int:
    context.user_data.pop(DRAFT, None)
    await say(update, t(session_of(context).lang, "report.cancelled"))
    return ConversationHandler.END


# -- saving --------------------------------------------------------------------------------


async def _save(update: Update, context: Context, draft: flow.Draft) -> int:
    session = session_of(context)
    query = update.callback_query
    try:
        report = await reporting.save_report(
            session.actor, draft.task_id, flow.final_fields(draft.fields)
        )
        view = await load_task(session.actor, draft.task_id, purpose="report")
    except UserError as error:
        await refuse(update, context, error)
        return ASK
    context.user_data.pop(DRAFT, None)
    await query.answer()
    await _set_buttons(query, None)
    await signing.ask_teammates(context, view, report)
    lang = session.lang
    sign = signing.sign_button_for(lang, view.task.id, report.revision)
    await say(update, t(lang, "report.saved", revision=report.revision), signing.markup([sign]))
    return ConversationHandler.END


def _choice(options: tuple[str, ...], rest: list[str]) -> str:
    """The option a report button names by its position."""
    return options[button_index(rest[0] if rest else "", len(options))]
