"""The bot's own settings: identity, command menus per scope and language, webhook, and the
small answers (callback queries, chat actions)."""

from __future__ import annotations

import json
import re
from typing import Any

from .faults import bad_request
from .messages import find_chat
from .registry import Ctx, method
from .updates import Webhook

COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
    scope = getattr(scope, "to_dict", lambda: scope)() if scope is not None else None
    return json.dumps(scope or {"type": "default"}, sort_keys=True), str(language_code or "")


@method("getMe")
def get_me(ctx: Ctx) -> dict[str, Any]:
    return {
        **ctx.world.bot.to_dict(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@method("logOut")
@method("close")
def log_out(ctx: Ctx) -> bool:
    return True


@method("setMyCommands")
def set_my_commands(ctx: Ctx) -> bool:
    commands = ctx.params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        if not COMMAND_RE.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("command description must be 1-256 characters")
    key = scope_key(ctx.params.get("scope"), ctx.params.get("language_code"))
    ctx.world.commands[key] = commands
    return True


@method("getMyCommands")
def get_my_commands(ctx: Ctx) -> list[dict[str, Any]]:
    key = scope_key(ctx.params.get("scope"), ctx.params.get("language_code"))
    return ctx.world.commands.get(key, [])


@method("deleteMyCommands")
def delete_my_commands(ctx: Ctx) -> bool:
    key = scope_key(ctx.params.get("scope"), ctx.params.get("language_code"))
    ctx.world.commands.pop(key, None)
    return True


@method("setWebhook")
def set_webhook(ctx: Ctx) -> bool:
    url = str(ctx.params.get("url") or "")
    secret = ctx.params.get("secret_token")
    if secret is not None and not SECRET_RE.match(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if ctx.params.get("drop_pending_updates"):
        ctx.updates.drop_pending()
    if ctx.params.get("allowed_updates") is not None:
        ctx.updates.allowed_updates = list(ctx.params["allowed_updates"])
    ctx.updates.webhook = Webhook(url, str(secret) if secret else None) if url else None
    ctx.updates.poke()
    return True


@method("deleteWebhook")
def delete_webhook(ctx: Ctx) -> bool:
    if ctx.params.get("drop_pending_updates"):
        ctx.updates.drop_pending()
    ctx.updates.webhook = None
    ctx.updates.poke()
    return True


@method("getWebhookInfo")
def get_webhook_info(ctx: Ctx) -> dict[str, Any]:
    hook = ctx.updates.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(ctx.updates.pending),
    }
    if ctx.updates.allowed_updates:
        info["allowed_updates"] = ctx.updates.allowed_updates
    return info


@method("answerCallbackQuery")
def answer_callback_query(ctx: Ctx) -> bool:
    query_id = str(ctx.params.get("callback_query_id"))
    if ctx.world.callback_queries.get(query_id, True):
        # Unknown or already answered: Telegram's words for both.
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    ctx.world.callback_queries[query_id] = True
    return True


@method("sendChatAction")
def send_chat_action(ctx: Ctx) -> bool:
    find_chat(ctx)
    if ctx.params.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True
