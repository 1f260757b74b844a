"""The second half of /draw (see bot/coordinator/draw.py): prepare the chosen campaign's draw
(or resume the one prepared before), take the public entropy, reveal.

Dice digits come one message per party, at least 20 in all. The reveal button sits under the
latest count and names it: a button under an older count (fewer digits than entered since) is
refused. A draw prepared with a beacon asks for that round's value instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import ConversationHandler

from bot.coordinator.common import Context, error_text, keyboard, lang_of
from bot.coordinator.formatting import (
    dice_digits,
    dice_entropy,
    dice_progress_text,
    missing_digits,
    prepared_text,
    result_text,
)
from bot.i18n import t
from bot.session import session_of, settings_of, wake_sender
from domain.campaigns.prepare import Unstaffed, prepare_draw, resume_draw
from domain.campaigns.reveal import reveal_draw
from domain.draw.seed import normalize_entropy
from domain.errors import UserError
from domain.storage.models import Campaign

log = logging.getLogger(__name__)
END = ConversationHandler.END
ENTROPY = "draw.entropy"
FIX = "draw.fix"  # a refused prepare, with the corrections offered (bot/coordinator/correct.py)
DIALOGUE = "ssj.draw"


@dataclass
class DrawDialogue:
    code: str = ""
    name: str = ""
    campaign_id: int = 0
    items: list[tuple[str, str]] = field(default_factory=list)  # offered: (code, name)
    chosen: set[int] = field(default_factory=set)
    parts: list[str] = field(default_factory=list)  # each party's dice digits
    beacon: bool = False
    beacon_value: str = ""
    practice: bool = False
    editing: bool = False  # the items are those of a campaign being corrected


def dialogue_of(context: Context) -> DrawDialogue:
    return context.user_data.setdefault(DIALOGUE, DrawDialogue())


async def say(update: Update, context: Context, text: str, rows=None) -> None:
    await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=keyboard(rows) if rows else None
    )


async def close_buttons(update: Update) -> None:
    """Take the buttons off the pressed message, so that it cannot be pressed twice."""
    query = update.callback_query
    await query.answer()
    if query.message is not None and query.message.reply_markup is not None:
        await query.edit_message_reply_markup(None)


def fix_rows(lang: str, error: UserError) -> list[list[tuple[str, str]]]:
    rows = [[(t(lang, "draw.fix_exclude"), "dr:fx:u")]] if isinstance(error, Unstaffed) else []
    return [
        *rows,
        [(t(lang, "draw.fix_dates"), "dr:fx:d"), (t(lang, "draw.fix_items"), "dr:fx:i")],
        [(t(lang, "draw.fix_delete"), "dr:fx:del"), (t(lang, "coord.cancel"), "dr:x")],
    ]


async def offer_fixes(update: Update, context: Context, error: UserError) -> str:
    """A refused prepare or correction, with the corrections that can be made here."""
    lang = lang_of(context)
    text = error_text(lang, error) + "\n\n" + t(lang, "draw.fix_ask")
    await say(update, context, text, fix_rows(lang, error))
    return FIX


async def prepare(
    update: Update, context: Context, campaign: Campaign, *, exclude_unstaffable: bool = False
) -> str | int:
    """Resume the campaign's prepared draw, or prepare one. A refused prepare (nothing was
    frozen) comes with the corrections that can be made here."""
    lang, dialogue = lang_of(context), dialogue_of(context)
    actor = session_of(context).actor
    try:
        prepared = await resume_draw(actor, campaign.code)
    except UserError as error:
        await say(update, context, error_text(lang, error))
        return END
    resumed = prepared is not None
    if prepared is None:
        try:
            complaints = settings_of(context).high_risk_complaints
            prepared = await prepare_draw(
                actor,
                campaign.code,
                high_risk_complaints=complaints,
                exclude_unstaffable=exclude_unstaffable,
            )
        except UserError as error:
            dialogue.code = campaign.code
            return await offer_fixes(update, context, error)
    dialogue.code, dialogue.campaign_id = campaign.code, campaign.id
    dialogue.practice = prepared.practice
    dialogue.beacon = bool(prepared.beacon) and not prepared.practice
    summary = prepared_text(lang, prepared, campaign.name)
    if resumed:
        summary = t(lang, "draw.resumed") + "\n" + summary
    await say(update, context, summary)
    if dialogue.practice:
        await say(update, context, t(lang, "draw.ask_practice"), go_rows(lang, "p"))
    else:
        await say(
            update, context, t(lang, "draw.ask_beacon" if dialogue.beacon else "draw.ask_dice")
        )
    return ENTROPY


def go_rows(lang: str, ticket: str) -> list[list[tuple[str, str]]]:
    return [
        [(t(lang, "draw.go_button"), f"dr:go:{ticket}")],
        [(t(lang, "draw.redo_button"), "dr:redo"), (t(lang, "coord.cancel"), "dr:x")],
    ]


async def entropy_entered(update: Update, context: Context) -> str:
    lang, dialogue, text = lang_of(context), dialogue_of(context), update.message.text
    if dialogue.practice:
        await say(update, context, t(lang, "draw.ask_practice"), go_rows(lang, "p"))
        return ENTROPY
    if dialogue.beacon:
        try:
            normalize_entropy(beacon=text)
        except UserError as error:
            await say(update, context, error_text(lang, error))
            return ENTROPY
        dialogue.beacon_value = text.strip()
        got = t(lang, "draw.beacon_got", value=dialogue.beacon_value.lower())
        await say(update, context, got, go_rows(lang, "b"))
        return ENTROPY
    digits = dice_digits(text)
    if digits is None:
        await say(update, context, t(lang, "draw.dice_bad"))
        return ENTROPY
    dialogue.parts.append(digits)
    ready = not missing_digits(dialogue.parts)
    if ready:
        rows = go_rows(lang, str(len(dialogue.parts)))
    else:
        rows = [[(t(lang, "draw.redo_button"), "dr:redo"), (t(lang, "coord.cancel"), "dr:x")]]
    await say(update, context, dice_progress_text(lang, dialogue.parts), rows)
    return ENTROPY


async def go(update: Update, context: Context) -> str | int:
    """Reveal with what the pressed message showed: a count under which more digits arrived
    since is not the latest and is refused."""
    query, lang, dialogue = update.callback_query, lang_of(context), dialogue_of(context)
    ticket = query.data.split(":")[2]
    expected = "p" if dialogue.practice else "b" if dialogue.beacon else str(len(dialogue.parts))
    if ticket != expected or (ticket not in ("p", "b") and missing_digits(dialogue.parts)):
        await query.answer(t(lang, "draw.go_stale"), show_alert=True)
        return ENTROPY
    await close_buttons(update)
    actor = session_of(context).actor
    try:
        result = await reveal_draw(
            actor,
            dialogue.code,
            dice="" if dialogue.beacon else dice_entropy(dialogue.parts),
            beacon_value=dialogue.beacon_value,
        )
    except UserError as error:
        await say(update, context, error_text(lang, error))
        context.user_data.pop(DIALOGUE, None)
        return END
    log.info("draw revealed by coordinator %s", actor.id)
    wake_sender(context)  # the teams' assignments
    rows = [[(t(lang, "draw.list_button"), f"dl:{dialogue.campaign_id}")]]
    # Counts and the record hash carry no task data, and witnesses may need the hash.
    await say(update, context, result_text(lang, result), rows)
    context.user_data.pop(DIALOGUE, None)
    return END


async def redo(update: Update, context: Context) -> str:
    await close_buttons(update)
    dialogue = dialogue_of(context)
    dialogue.parts, dialogue.beacon_value = [], ""
    lang = lang_of(context)
    await say(update, context, t(lang, "draw.ask_beacon" if dialogue.beacon else "draw.ask_dice"))
    return ENTROPY
