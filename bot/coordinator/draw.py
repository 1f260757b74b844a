"""/draw: a guided conversation from choosing (or creating) a campaign to the revealed draw.

    /draw → choose a planned campaign ─────────────────────────────┐
          └ or create one: code → name → items (buttons) → dates ──┤
    prepare: eligible counts per stratum, pool digest, commitment ←┘
      (refused: correct the campaign here and prepare again, see correct.py)
    → public entropy: dice digits (one message per party, ≥ 20 digits in all) or the beacon
      value fixed at prepare → reveal (the button under the latest count) → counts and the
      record hash, and a button for the list itself.

A campaign whose draw was prepared before (in an earlier conversation, or by the CLI) resumes at
the entropy: conversations do not survive a restart, prepared draws do. Every decision (who may
draw what, whether the entropy is good enough) is the domain's.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.buttons import button_index
from bot.coordinator import correct
from bot.coordinator.common import (
    Context,
    campaign_by_id,
    campaign_label,
    coordinated_campaigns,
    coordinator_or_refuse,
    error_text,
    keyboard,
    lang_of,
)
from bot.coordinator.formatting import parse_dates, ratios_text
from bot.coordinator.reveal import (
    DIALOGUE,
    ENTROPY,
    FIX,
    DrawDialogue,
    close_buttons,
    dialogue_of,
    entropy_entered,
    go,
    prepare,
    redo,
    say,
)
from bot.i18n import t
from bot.session import session_of
from domain.campaigns.plan import (
    CampaignSpec,
    active_items,
    create_campaign,
    department_code_of,
    get_campaign,
)
from domain.errors import NotFound, UserError
from domain.storage.models import CampaignStatus

END = ConversationHandler.END
CHOOSE, CODE, NAME, ITEMS, DATES = (
    "draw.choose",
    "draw.code",
    "draw.name",
    "draw.items",
    "draw.dates",
)
MAX_ITEMS = 90  # an inline keyboard holds 100 buttons


# -- choose or create ----------------------------------------------------------------------


async def start(update: Update, context: Context) -> str | int:
    actor = await coordinator_or_refuse(update, context)
    if actor is None:
        return END
    lang = lang_of(context)
    context.user_data[DIALOGUE] = DrawDialogue()
    campaigns = await coordinated_campaigns(actor, [CampaignStatus.PLANNED])
    rows = [[(campaign_label(c), f"dr:c:{c.id}")] for c in campaigns]
    rows.append([(t(lang, "draw.new_button"), "dr:new"), (t(lang, "coord.cancel"), "dr:x")])
    await say(update, context, t(lang, "draw.choose" if campaigns else "draw.choose_none"), rows)
    return CHOOSE


async def chosen(update: Update, context: Context) -> str | int:
    await close_buttons(update)
    actor = session_of(context).actor
    try:
        campaign = await campaign_by_id(actor, update.callback_query.data.split(":")[2])
    except UserError as error:
        await say(update, context, error_text(lang_of(context), error))
        return END
    return await prepare(update, context, campaign)


async def new(update: Update, context: Context) -> str:
    await close_buttons(update)
    await say(update, context, t(lang_of(context), "draw.ask_code"))
    return CODE


async def code_entered(update: Update, context: Context) -> str:
    lang, code = lang_of(context), update.message.text.strip()
    if not code or len(code) > 64 or any(c.isspace() for c in code):
        await say(update, context, t(lang, "draw.code_bad"))
        return CODE
    try:
        await get_campaign(code)
    except NotFound:
        dialogue_of(context).code = code
        await say(update, context, t(lang, "draw.ask_name"))
        return NAME
    await say(update, context, t(lang, "draw.code_taken", code=code))
    return CODE


def _item_rows(lang: str, dialogue: DrawDialogue) -> list[list[tuple[str, str]]]:
    rows = [
        [(("☑ " if i in dialogue.chosen else "☐ ") + name[:40], f"dr:it:{i}")]
        for i, (_, name) in enumerate(dialogue.items)
    ]
    return [*rows, [(t(lang, "draw.items_done"), "dr:it:ok"), (t(lang, "coord.cancel"), "dr:x")]]


async def name_entered(update: Update, context: Context) -> str:
    lang, name = lang_of(context), update.message.text.strip()
    if not name or len(name) > 200:
        await say(update, context, t(lang, "draw.name_bad"))
        return NAME
    dialogue = dialogue_of(context)
    dialogue.name = name
    items = await active_items(MAX_ITEMS)
    dialogue.items = [(i.code, i.name) for i in items]
    await say(update, context, t(lang, "draw.ask_items"), _item_rows(lang, dialogue))
    return ITEMS


async def item_toggled(update: Update, context: Context) -> str:
    query, dialogue = update.callback_query, dialogue_of(context)
    dialogue.chosen ^= {button_index(query.data.split(":")[2], len(dialogue.items))}
    await query.answer()
    await query.edit_message_reply_markup(keyboard(_item_rows(lang_of(context), dialogue)))
    return ITEMS


async def edit_items(update: Update, context: Context) -> str:
    """The campaign's items in the new campaign's form, those it has ticked."""
    await close_buttons(update)
    lang, dialogue = lang_of(context), dialogue_of(context)
    campaign = await get_campaign(dialogue.code)
    dialogue.items = [(i.code, i.name) for i in await active_items(MAX_ITEMS)]
    dialogue.chosen = {n for n, (c, _) in enumerate(dialogue.items) if c in campaign.item_codes}
    dialogue.editing = True
    await say(update, context, t(lang, "draw.ask_items"), _item_rows(lang, dialogue))
    return ITEMS


async def items_done(update: Update, context: Context) -> str | int:
    lang, dialogue = lang_of(context), dialogue_of(context)
    if not dialogue.chosen:
        await update.callback_query.answer(t(lang, "draw.items_none"), show_alert=True)
        return ITEMS
    await close_buttons(update)
    if dialogue.editing:
        dialogue.editing = False
        items = [dialogue.items[n][0] for n in sorted(dialogue.chosen)]
        return await correct.corrected(update, context, {"items": items})
    await say(update, context, t(lang, "draw.ask_dates"))
    return DATES


async def dates_entered(update: Update, context: Context) -> str | int:
    lang, dialogue = lang_of(context), dialogue_of(context)
    actor = session_of(context).actor
    dates = parse_dates(update.message.text)
    if dates is None:
        await say(update, context, t(lang, "draw.dates_bad"))
        return DATES
    spec = CampaignSpec(
        code=dialogue.code,
        name=dialogue.name,
        department=await department_code_of(actor),
        items=[dialogue.items[i][0] for i in sorted(dialogue.chosen)],
        start_date=dates[0],
        due_date=dates[1],
    )
    try:
        await create_campaign(actor, spec)
    except UserError as error:  # stays here: the dates can be typed again, or /cancel
        await say(update, context, error_text(lang, error) + "\n" + t(lang, "draw.fix_or_cancel"))
        return DATES
    campaign = await get_campaign(spec.code)
    ratios = ratios_text(lang, campaign.ratios)
    created = t(lang, "draw.created", code=spec.code, ratios=ratios, team=campaign.team_size)
    await say(update, context, created)
    return await prepare(update, context, campaign)


async def cancel(update: Update, context: Context) -> int:
    if update.callback_query is not None:
        await close_buttons(update)
    dialogue = context.user_data.pop(DIALOGUE, None)
    prepared = dialogue is not None and dialogue.campaign_id
    key = "draw.cancelled_prepared" if prepared else "draw.cancelled"
    await say(update, context, t(lang_of(context), key))
    return END


def entry_points(private, text) -> list:
    return [CommandHandler("draw", start, filters=private)]


def states(private, text) -> dict:
    fixing = correct.states(text)
    fixing[FIX].append(CallbackQueryHandler(edit_items, pattern=r"^dr:fx:i$"))
    return {
        **fixing,
        CHOOSE: [
            CallbackQueryHandler(chosen, pattern=r"^dr:c:\d+$"),
            CallbackQueryHandler(new, pattern=r"^dr:new$"),
        ],
        CODE: [MessageHandler(text, code_entered)],
        NAME: [MessageHandler(text, name_entered)],
        ITEMS: [
            CallbackQueryHandler(item_toggled, pattern=r"^dr:it:\d+$"),
            CallbackQueryHandler(items_done, pattern=r"^dr:it:ok$"),
        ],
        DATES: [MessageHandler(text, dates_entered)],
        ENTROPY: [
            MessageHandler(text, entropy_entered),
            CallbackQueryHandler(go, pattern=r"^dr:go:(\d+|p|b)$"),
            CallbackQueryHandler(redo, pattern=r"^dr:redo$"),
        ],
    }


def fallbacks(private) -> list:
    return [
        CommandHandler("cancel", cancel, filters=private),
        CallbackQueryHandler(cancel, pattern=r"^dr:x$"),
    ]
