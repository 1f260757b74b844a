"""Correcting a campaign in /draw when its prepare is refused (a candidate nobody can staff, a
period the calendar does not cover, ...): the refusal comes with buttons (reveal.fix_rows) to
leave the unstaffable candidates out (counted in the record), change the dates or the items
(draw.py asks for them as in a new campaign's form), or delete the campaign; a corrected
campaign is prepared again. Nothing was frozen or committed, so nothing public changes; each
correction is the domain's `edit_campaign` or `delete_campaign`, with its audit entry, and the
domain refuses it once a draw is open or revealed.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot.coordinator.common import Context, error_text, lang_of
from bot.coordinator.formatting import parse_dates
from bot.coordinator.reveal import (
    DIALOGUE,
    END,
    FIX,
    close_buttons,
    dialogue_of,
    offer_fixes,
    prepare,
    say,
)
from bot.i18n import t
from bot.session import session_of
from domain.campaigns.plan import delete_campaign, edit_campaign, get_campaign
from domain.errors import UserError

FIX_DATES = "draw.fix_dates"


async def _again(update: Update, context: Context, **options: bool) -> str | int:
    return await prepare(update, context, await get_campaign(dialogue_of(context).code), **options)


async def exclude(update: Update, context: Context) -> str | int:
    await close_buttons(update)
    return await _again(update, context, exclude_unstaffable=True)


async def ask_dates(update: Update, context: Context) -> str:
    await close_buttons(update)
    await say(update, context, t(lang_of(context), "draw.ask_dates"))
    return FIX_DATES


async def corrected(update: Update, context: Context, changes: dict) -> str | int:
    """Save `changes` to the campaign and prepare it again; a refusal asks once more."""
    lang, code = lang_of(context), dialogue_of(context).code
    try:
        await edit_campaign(session_of(context).actor, code, changes)
    except UserError as error:
        return await offer_fixes(update, context, error)
    await say(update, context, t(lang, "draw.edited", code=code))
    return await _again(update, context)


async def dates_entered(update: Update, context: Context) -> str | int:
    dates = parse_dates(update.message.text)
    if dates is None:
        await say(update, context, t(lang_of(context), "draw.dates_bad"))
        return FIX_DATES
    return await corrected(update, context, {"start_date": dates[0], "due_date": dates[1]})


async def ask_delete(update: Update, context: Context) -> str:
    await close_buttons(update)
    lang, code = lang_of(context), dialogue_of(context).code
    rows = [[(t(lang, "draw.delete_yes"), "dr:fx:del!"), (t(lang, "coord.cancel"), "dr:x")]]
    await say(update, context, t(lang, "draw.delete_confirm", code=code), rows)
    return FIX


async def delete(update: Update, context: Context) -> int:
    await close_buttons(update)
    lang, code = lang_of(context), dialogue_of(context).code
    try:
        await delete_campaign(session_of(context).actor, code)
    except UserError as error:
        await say(update, context, error_text(lang, error))
    else:
        await say(update, context, t(lang, "draw.deleted", code=code))
    context.user_data.pop(DIALOGUE, None)
    return END


def states(text) -> dict:
    return {
        FIX: [
            CallbackQueryHandler(exclude, pattern=r"^dr:fx:u$"),
            CallbackQueryHandler(ask_dates, pattern=r"^dr:fx:d$"),
            CallbackQueryHandler(ask_delete, pattern=r"^dr:fx:del$"),
            CallbackQueryHandler(delete, pattern=r"^dr:fx:del!$"),
        ],
        FIX_DATES: [MessageHandler(text, dates_entered)],
    }
