"""The bot's conversations are built one way: kept across restarts by bot/persistence.py, under
a stable name, with buttons tracked per chat and user rather than per message (each step says
which of its buttons are current), which PTB warns about and which is intended."""

from __future__ import annotations

import warnings
from typing import Any

from telegram.ext import ConversationHandler
from telegram.warnings import PTBUserWarning


def kept_conversation(name: str, **options: Any) -> ConversationHandler:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(name=name, persistent=True, **options)
