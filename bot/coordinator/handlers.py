"""Coordinators in the chat: /draw (bot/coordinator/draw.py), /status, /abandon, /publish, the
drawn list on request, and reviewing submitted reports (bot/coordinator/review.py).

Private chats only (the gate in bot/enroll.py answers groups before anything here runs). Who
may do what is the domain's decision: anyone else gets the domain's refusal and nothing about
campaigns. Task data is sent with protect_content and never logged at INFO or above.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot.conversations import kept_conversation
from bot.coordinator import draw as coordinator_draw
from bot.coordinator import review as coordinator_review
from bot.coordinator.common import (
    Context,
    answer,
    campaign_by_id,
    campaign_label,
    coordinated_campaigns,
    coordinator_or_refuse,
    error_text,
    keyboard,
    lang_of,
)
from bot.coordinator.formatting import ListedTask, member_label, status_text, task_list_text
from bot.coordinator.review import PhotoRoot
from bot.delivery.parts import split_text
from bot.i18n import t
from bot.session import session_of, settings_of
from domain.campaigns.plan import get_campaign
from domain.campaigns.prepare import abandon_draw
from domain.campaigns.status import campaign_status
from domain.errors import UserError
from domain.rules.access import require_coordinator
from domain.storage.models import CampaignStatus
from domain.tasks.closing import publish_campaign
from domain.tasks.views import campaign_tasks

log = logging.getLogger(__name__)
PRIVATE_MESSAGES = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
TEXT = PRIVATE_MESSAGES & filters.TEXT & ~filters.COMMAND
ACTIVE = [CampaignStatus.DRAWN, CampaignStatus.COMPLETED]


def install(app: Application) -> None:
    PhotoRoot.data_dir = settings_of(app).data_dir
    dialogue = kept_conversation(
        "coordinator",
        entry_points=[
            *coordinator_draw.entry_points(PRIVATE_MESSAGES, TEXT),
            *coordinator_review.entry_points(),
        ],
        states={
            **coordinator_draw.states(PRIVATE_MESSAGES, TEXT),
            **coordinator_review.states(TEXT),
        },
        fallbacks=coordinator_draw.fallbacks(PRIVATE_MESSAGES),
        allow_reentry=True,
    )
    app.add_handler(dialogue)
    app.add_handler(CommandHandler("status", status_command, filters=PRIVATE_MESSAGES))
    app.add_handler(CommandHandler("abandon", abandon_command, filters=PRIVATE_MESSAGES))
    app.add_handler(CommandHandler("publish", publish_command, filters=PRIVATE_MESSAGES))
    app.add_handler(CallbackQueryHandler(status_button, pattern=r"^st:\d+$"))
    app.add_handler(CallbackQueryHandler(publish_button, pattern=r"^pb:\d+$"))
    app.add_handler(CallbackQueryHandler(list_button, pattern=r"^dl:\d+$"))
    for handler in coordinator_review.handlers(PRIVATE_MESSAGES):
        app.add_handler(handler)


# -- /status -------------------------------------------------------------------------------


async def _send_status(update: Update, context: Context, code: str) -> None:
    lang, actor = lang_of(context), session_of(context).actor
    try:
        report = await campaign_status(actor, code)
    except UserError as error:
        await answer(update, context, error_text(lang, error))
        return
    await answer(update, context, status_text(lang, report), protect_content=True)


async def status_command(update: Update, context: Context) -> None:
    actor = await coordinator_or_refuse(update, context)
    if actor is None:
        return
    if context.args:
        await _send_status(update, context, context.args[0])
        return
    campaigns = await coordinated_campaigns(actor, ACTIVE)
    lang = lang_of(context)
    if len(campaigns) == 1:
        await _send_status(update, context, campaigns[0].code)
    elif not campaigns:
        await update.message.reply_text(t(lang, "status.none"))
    else:
        rows = [[(campaign_label(c), f"st:{c.id}")] for c in campaigns]
        await update.message.reply_text(t(lang, "status.choose"), reply_markup=keyboard(rows))


async def status_button(update: Update, context: Context) -> None:
    actor = await coordinator_or_refuse(update, context)
    if actor is None:
        return
    try:
        campaign = await campaign_by_id(actor, update.callback_query.data.split(":")[1])
    except UserError as error:
        await answer(update, context, error_text(lang_of(context), error))
        return
    await _send_status(update, context, campaign.code)


# -- /abandon ------------------------------------------------------------------------------


async def abandon_command(update: Update, context: Context) -> None:
    actor = await coordinator_or_refuse(update, context)
    if actor is None:
        return
    lang = lang_of(context)
    if len(context.args or ()) < 2:
        await update.message.reply_text(t(lang, "abandon.usage"))
        return
    code, reason = context.args[0], " ".join(context.args[1:])
    try:
        await abandon_draw(actor, code, reason)
    except UserError as error:
        await update.message.reply_text(error_text(lang, error))
        return
    await update.message.reply_text(t(lang, "abandon.done", code=code))


# -- /publish ------------------------------------------------------------------------------


async def publish_command(update: Update, context: Context) -> None:
    """Publishing cannot be undone: it asks once more, with a button."""
    actor = await coordinator_or_refuse(update, context)
    if actor is None:
        return
    lang = lang_of(context)
    if len(context.args or ()) != 1:
        await update.message.reply_text(t(lang, "publish.usage"))
        return
    try:
        campaign = await get_campaign(context.args[0])
        require_coordinator(actor, campaign.department.path)
    except UserError as error:
        await update.message.reply_text(error_text(lang, error))
        return
    rows = [[(t(lang, "publish.button"), f"pb:{campaign.id}")]]
    text = t(lang, "publish.confirm", code=campaign.code, name=campaign.name)
    await update.message.reply_text(text, reply_markup=keyboard(rows))


async def publish_button(update: Update, context: Context) -> None:
    actor = await coordinator_or_refuse(update, context)
    if actor is None:
        return
    query, lang = update.callback_query, lang_of(context)
    try:
        campaign = await campaign_by_id(actor, query.data.split(":")[1])
        published = await publish_campaign(actor, campaign.code)
    except UserError as error:
        await answer(update, context, error_text(lang, error))
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    log.info("campaign %s published by coordinator %s", campaign.code, actor.id)
    await context.bot.send_message(
        update.effective_chat.id, t(lang, "publish.done", code=campaign.code, tasks=published)
    )


# -- the drawn list, on request ------------------------------------------------------------


async def list_button(update: Update, context: Context) -> None:
    """The drawn tasks with their targets and teams: sealed data, so the list is read through
    the domain's access rule (which audits the view, once) and the message is protected."""
    actor = await coordinator_or_refuse(update, context)
    if actor is None:
        return
    lang = lang_of(context)
    try:
        campaign = await campaign_by_id(actor, update.callback_query.data.split(":")[1])
        rows = [
            ListedTask(
                view.task.number,
                view.task.target.name,
                view.task.stratum,
                view.task.state,
                [member_label(lang, m.inspector.name, m.role) for m in view.members],
            )
            for view in await campaign_tasks(actor, campaign, purpose="draw.list")
        ]
    except UserError as error:
        await answer(update, context, error_text(lang, error))
        return
    await update.callback_query.answer()
    for chunk in split_text(task_list_text(lang, campaign.code, rows)):
        await context.bot.send_message(update.effective_chat.id, chunk, protect_content=True)
