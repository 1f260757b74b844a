"""/login: a one-time code for signing in to the field app, sent in the person's private chat.

Any bound person may ask (coordinators use the API too). It is answered before any
conversation sees it, so asking for a code in the middle of a report does not end the report.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot.i18n import t
from bot.inspector.tasks import Context, refuse
from bot.session import session_of
from domain import clock
from domain.errors import UserError
from domain.people import login

# After the gate (-900), which stops strangers and groups, and before every conversation (0).
GROUP = -100


def install(app: Application) -> None:
    private = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("login", login_command, filters=private), group=GROUP)


async def login_command(update: Update, context: Context) -> None:
    session = session_of(context)
    assert session.actor is not None  # the gate answered strangers
    try:
        issued = await login.code_for_self(session.actor)
    except UserError as error:
        await refuse(update, context, error)
        raise ApplicationHandlerStop from None
    text = t(
        session.lang,
        "login.code",
        code=issued.code,
        until=clock.local(issued.expires_at).strftime("%H:%M"),
        minutes=int(login.CODE_TTL.total_seconds() // 60),
    )
    # The code is a credential for ten minutes: not forwardable.
    await update.message.reply_text(text, protect_content=True)
    raise ApplicationHandlerStop
