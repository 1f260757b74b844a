"""What the coordinator handlers share: who is acting (as the domain decides), how a refusal
reads, and the campaigns a coordinator runs."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.buttons import BadButton
from bot.i18n import t
from bot.session import session_of
from domain.campaigns import lookup
from domain.errors import PermissionDenied, UserError
from domain.rules.access import Actor, require_coordinator
from domain.rules.ids import parse_id
from domain.storage.models import Campaign, CampaignStatus

Context = ContextTypes.DEFAULT_TYPE
MAX_CAMPAIGN_BUTTONS = 20


def lang_of(context: Context) -> str:
    return session_of(context).lang


def error_text(lang: str, error: UserError) -> str:
    """Permission refusals in the user's language; other domain messages as they are (they
    name what to fix, in Chinese with the English in brackets)."""
    if isinstance(error, PermissionDenied):
        return t(lang, "error.permission")
    if isinstance(error, BadButton):
        return t(lang, "error.bad_button")
    return str(error)


async def coordinator_or_refuse(update: Update, context: Context) -> Actor | None:
    """The acting coordinator; anyone else is told they may not, and learns nothing more.
    The domain decides: a coordinator coordinates their own department."""
    actor = session_of(context).actor
    try:
        if actor is None:
            raise PermissionDenied("not bound")
        require_coordinator(actor, actor.department_path)
    except PermissionDenied as error:
        await answer(update, context, error_text(lang_of(context), error))
        return None
    return actor


async def answer(update: Update, context: Context, text: str, **kwargs) -> None:
    """Reply in the private chat, whether the update is a message or a button press."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await context.bot.send_message(update.effective_chat.id, text, **kwargs)


async def coordinated_campaigns(actor: Actor, statuses: list[CampaignStatus]) -> list[Campaign]:
    """Campaigns of the actor's department and those below, newest first, as many as buttons."""
    return await lookup.coordinated_campaigns(actor, statuses, MAX_CAMPAIGN_BUTTONS)


async def campaign_by_id(actor: Actor, raw_id: str) -> Campaign:
    """A campaign named by a button; refused like a missing one if the actor may not act on
    it (the domain's rule)."""
    campaign_id = parse_id(raw_id)
    if campaign_id is None:
        raise BadButton
    return await lookup.coordinated_campaign(actor, campaign_id)


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def campaign_label(campaign: Campaign) -> str:
    label = f"{campaign.code} {campaign.name}"
    return label if len(label) <= 40 else label[:39] + "…"
