"""The command menus Telegram shows, per scope: a minimal one for everybody, and each bound
person's own (inspector or coordinator) in their private chat, in their chosen language.

Default scope: Chinese, with English for clients whose language is English. A person's chat
scope: the language they chose with /lang (set without language_code, so it applies whatever
their client's language; re-set when they switch)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.i18n import t
from domain.rules.access import Actor, Role

log = logging.getLogger(__name__)

DEFAULT_MENU = ("start", "help")
INSPECTOR_MENU = ("tasks", "report", "unable", "login", "lang", "help")
COORDINATOR_MENU = (
    "draw", "status", "publish", "abandon", "invite", "unbind", "login", "lang", "help",
)  # fmt: skip


def menu_for(role: Role) -> tuple[str, ...]:
    return COORDINATOR_MENU if role == Role.COORDINATOR else INSPECTOR_MENU


def commands(lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"cmd.{name}")) for name in names]


async def set_default_menus(bot: Bot) -> None:
    await bot.set_my_commands(commands("zh", DEFAULT_MENU), scope=BotCommandScopeDefault())
    await bot.set_my_commands(
        commands("en", DEFAULT_MENU), scope=BotCommandScopeDefault(), language_code="en"
    )


async def set_chat_menu(bot: Bot, chat_id: int, actor: Actor, lang: str) -> None:
    """The menu of a bound person's private chat. A failure only costs the menu, so it is
    logged rather than raised."""
    try:
        await bot.set_my_commands(
            commands(lang, menu_for(actor.role)), scope=BotCommandScopeChat(chat_id)
        )
    except TelegramError as error:
        log.warning("could not set the command menu of a chat: %s", error)


async def clear_chat_menu(bot: Bot, chat_id: int) -> None:
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        log.warning("could not clear the command menu of a chat: %s", error)
