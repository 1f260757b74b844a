"""What the handlers know about the update at hand: who is writing and in which language, as
the gate resolved it (bot/enroll.py), plus the application-wide settings and outbox sender."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.i18n import DEFAULT
from domain.config import Settings
from domain.rules.access import Actor

if TYPE_CHECKING:
    from bot.delivery.sender import OutboxSender

SESSION = "ssj.session"
SETTINGS = "ssj.settings"
SENDER = "ssj.sender"


@dataclass(frozen=True)
class Session:
    telegram_user_id: int | None
    actor: Actor | None  # None: not bound (a stranger)
    lang: str = DEFAULT


def session_of(context: Any) -> Session:
    data = context.user_data
    if data and SESSION in data:
        return data[SESSION]
    return Session(None, None)


def keep_session(context: Any, session: Session) -> None:
    if context.user_data is not None:
        context.user_data[SESSION] = session


def settings_of(context: Any) -> Settings:
    return context.bot_data.get(SETTINGS) or Settings()


def sender_of(context: Any) -> OutboxSender | None:
    return context.bot_data.get(SENDER)


def wake_sender(context: Any) -> None:
    """After a handler queued outbox messages: deliver them now rather than at the next poll."""
    sender = sender_of(context)
    if sender is not None:
        sender.wake()
