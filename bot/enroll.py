"""Who may talk to the bot, and enrollment.

Every update passes two handlers before any other (negative groups):
- `_dedupe`: an update id already handled is dropped (Telegram redelivers after a crash or a
  lost answer), so a redelivered update changes nothing twice;
- `_gate`: resolves the account's language and Actor; in a group or channel, answers only
  "talk to me privately" and stops; from a stranger (not bound), answers one polite sentence
  and stops, except for `/start <code>`.
Then, in group 0: /start (deep-link binding), /help, /lang, and for coordinators /invite and
/unbind. `install_fallback` adds the last handlers of group 0, for what nobody handled.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import commands
from bot.buttons import BadButton
from bot.delivery.render import Outgoing, Rendered, Renderer
from bot.i18n import parse_language, t
from bot.i18n.zh import TEXTS as ZH
from bot.session import Session, keep_session, session_of, wake_sender
from domain import clock
from domain.errors import PermissionDenied, UserError
from domain.messaging import chat_accounts
from domain.people import enrollment
from domain.people import persons as people
from domain.rules.access import Role

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
ONLY_MESSAGES = filters.UpdateType.MESSAGE


def install(app: Application) -> None:
    app.add_handler(TypeHandler(Update, _dedupe), group=-1000)
    app.add_handler(TypeHandler(Update, _gate), group=-900)
    app.add_handler(CommandHandler("start", start, filters=ONLY_MESSAGES))
    app.add_handler(CommandHandler("help", help_command, filters=ONLY_MESSAGES))
    app.add_handler(CommandHandler("lang", lang_command, filters=ONLY_MESSAGES))
    app.add_handler(CommandHandler("invite", invite_command, filters=ONLY_MESSAGES))
    app.add_handler(CommandHandler("unbind", unbind_command, filters=ONLY_MESSAGES))


def install_fallback(app: Application) -> None:
    app.add_handler(MessageHandler(ONLY_MESSAGES, fallback))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_error_handler(on_error)


# -- before anything else ------------------------------------------------------------------


async def _dedupe(update: Update, context: Context) -> None:
    if not await chat_accounts.remember_update(update.update_id):
        log.info("update %s was already handled: ignored", update.update_id)
        raise ApplicationHandlerStop


async def _gate(update: Update, context: Context) -> None:
    user, chat = update.effective_user, update.effective_chat
    if update.my_chat_member is not None:
        await _membership(update.my_chat_member)
        raise ApplicationHandlerStop
    account = await chat_accounts.account_of(user.id) if user else chat_accounts.Account()
    lang = account.language
    actor = await enrollment.resolve_actor(user.id) if user else None
    keep_session(context, Session(user.id if user else None, actor, lang))
    if chat is None or chat.type != ChatType.PRIVATE:
        await _answer_once(update, t(lang, "private_only"), only_if_addressed=True)
        raise ApplicationHandlerStop
    if account.blocked:
        await chat_accounts.note_active(user.id)
    if actor is None and not _is_command(update, "start"):
        await _answer_once(update, t(lang, "stranger"))
        raise ApplicationHandlerStop


async def _membership(change: ChatMemberUpdated) -> None:
    if change.chat.type != ChatType.PRIVATE:
        return
    status = change.new_chat_member.status
    if status == ChatMemberStatus.BANNED:  # "kicked": the user blocked the bot
        await chat_accounts.blocked_bot(change.from_user.id)
    elif status == ChatMemberStatus.MEMBER:
        await chat_accounts.note_active(change.from_user.id)


def _is_command(update: Update, name: str) -> bool:
    message = update.message
    if message is None or not message.text or not message.entities:
        return False
    first = message.entities[0]
    if first.type != MessageEntityType.BOT_COMMAND or first.offset != 0:
        return False
    return message.text[1 : first.length].split("@")[0].lower() == name


def _addressed(update: Update) -> bool:
    """In a group: a command, a mention of the bot or a reply to it. Other chatter gets no
    answer, or a bot in a busy group would answer every line."""
    message = update.effective_message
    if message is None:
        return False
    entities = message.entities or ()
    if any(e.type in (MessageEntityType.BOT_COMMAND, MessageEntityType.MENTION) for e in entities):
        return True
    reply = message.reply_to_message
    return bool(reply and reply.from_user and reply.from_user.is_bot)


async def _answer_once(update: Update, text: str, only_if_addressed: bool = False) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None or update.channel_post is not None:
        if not only_if_addressed or _addressed(update):
            await update.effective_message.reply_text(text)


# -- commands ------------------------------------------------------------------------------


def _error_text(lang: str, error: UserError) -> str:
    if isinstance(error, PermissionDenied):
        return t(lang, "error.permission")
    key = f"error.{getattr(error, 'reason', '')}"
    return t(lang, key) if key in ZH else str(error)


async def start(update: Update, context: Context) -> None:
    session = session_of(context)
    message, user = update.message, update.effective_user
    if context.args:
        try:
            binding = await enrollment.redeem(context.args[0], user.id)
        except UserError as error:
            await message.reply_text(_error_text(session.lang, error))
            return
        keep_session(context, Session(user.id, binding.actor, session.lang))
        await commands.set_chat_menu(context.bot, message.chat_id, binding.actor, session.lang)
        role = t(session.lang, f"role.{binding.role.value}")
        await message.reply_text(t(session.lang, "start.bound", name=binding.name, role=role))
        wake_sender(context)  # messages that waited for this account
        return
    if session.actor is None:
        await message.reply_text(t(session.lang, "stranger"))
        return
    await message.reply_text(t(session.lang, "start.welcome", name=session.actor.name))


async def help_command(update: Update, context: Context) -> None:
    session = session_of(context)
    assert session.actor is not None
    await update.message.reply_text(t(session.lang, f"help.{session.actor.role.value}"))


async def lang_command(update: Update, context: Context) -> None:
    session = session_of(context)
    chosen = parse_language(context.args[0]) if context.args else None
    if chosen is None:
        await update.message.reply_text(t(session.lang, "lang.usage"))
        return
    await chat_accounts.set_language(session.telegram_user_id, chosen)
    keep_session(context, Session(session.telegram_user_id, session.actor, chosen))
    if session.actor is not None:
        await commands.set_chat_menu(context.bot, update.message.chat_id, session.actor, chosen)
    await update.message.reply_text(t(chosen, "lang.set"))


async def _person_command(update: Update, context: Context, usage: str) -> tuple | None:
    """(session, person) for `/<cmd> inspector CERT_NO` or `/<cmd> coordinator ID`."""
    session = session_of(context)
    if session.actor is None or session.actor.role != Role.COORDINATOR:
        await update.message.reply_text(t(session.lang, "error.permission"))
        return None
    if len(context.args or ()) != 2:
        await update.message.reply_text(t(session.lang, usage))
        return None
    try:
        return session, await people.find_person(*context.args)
    except UserError as error:
        await update.message.reply_text(_error_text(session.lang, error))
        return None


async def invite_command(update: Update, context: Context) -> None:
    found = await _person_command(update, context, "invite.usage")
    if found is None:
        return
    session, person = found
    try:
        issued = await enrollment.issue_invite(session.actor, context.args[0].lower(), person.id)
    except UserError as error:
        await update.message.reply_text(_error_text(session.lang, error))
        return
    text = t(
        session.lang,
        "invite.link",
        role=t(session.lang, f"role.{issued.role.value}"),
        name=issued.person_name,
        expires=clock.local(issued.expires_at).strftime("%Y-%m-%d %H:%M"),
        link=issued.deep_link(context.bot.username),
    )
    # The link is a credential: not forwardable.
    await update.message.reply_text(text, protect_content=True)


async def unbind_command(update: Update, context: Context) -> None:
    found = await _person_command(update, context, "unbind.usage")
    if found is None:
        return
    session, person = found
    role = context.args[0].lower()
    try:
        old = await enrollment.unbind(session.actor, role, person.id)
    except UserError as error:
        await update.message.reply_text(_error_text(session.lang, error))
        return
    await commands.clear_chat_menu(context.bot, old)
    await update.message.reply_text(
        t(session.lang, "unbind.done", role=t(session.lang, f"role.{role}"), name=person.name)
    )


# -- what nobody handled -------------------------------------------------------------------


async def fallback(update: Update, context: Context) -> None:
    await update.message.reply_text(t(session_of(context).lang, "fallback"))


async def stale_button(update: Update, context: Context) -> None:
    await update.callback_query.answer(t(session_of(context).lang, "callback.stale"))


async def on_error(update: object, context: Context) -> None:
    """A UserError raised by a handler is shown as is; anything else is logged (without the
    update's content: it may carry task data) and answered with a generic apology."""
    error = context.error
    if not isinstance(update, Update):
        log.error("bot error outside an update", exc_info=error)
        return
    lang = session_of(context).lang
    if isinstance(error, UserError):
        text = _error_text(lang, error)
    else:
        log.error("handling update %s failed", update.update_id, exc_info=error)
        text = t(lang, "error.generic")
    if update.callback_query is not None:
        # Unanswered, the button keeps spinning; a forged one gets its answer right there.
        forged = isinstance(error, BadButton)
        with contextlib.suppress(TelegramError):  # already answered, or too old to answer
            await update.callback_query.answer(text if forged else None, show_alert=forged)
        if forged:
            return
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE and update.effective_message:
        await update.effective_message.reply_text(text)


# -- outbox kinds of this module -----------------------------------------------------------


def blocked_notice(out: Outgoing) -> Rendered:
    p = out.payload
    cert = f"（{p['cert_no']}）" if p.get("cert_no") and out.lang == "zh" else ""
    if p.get("cert_no") and out.lang != "zh":
        cert = f" ({p['cert_no']})"
    role = t(out.lang, f"role.{p['role']}")
    return Rendered(t(out.lang, "notice.blocked", role=role, name=p["name"], cert=cert))


RENDERERS: dict[str, Renderer] = {chat_accounts.BLOCKED_NOTICE: blocked_notice}
