"""Reminders fire by themselves: a repeating job turns each due reminder stored in the
database into an outbox message, once (the domain claims each row with a conditional update),
however many restarts happened between its due time and now. PTB's JobQueue keeps nothing
across restarts; the database does."""

from __future__ import annotations

import datetime as dt
import logging

from telegram.ext import Application, ContextTypes

from bot.session import SENDER
from domain.messaging import chat_accounts, outbox

log = logging.getLogger(__name__)
BATCH = 100


async def sweep(application: Application | None = None, now: dt.datetime | None = None) -> int:
    """Fire every reminder due by `now`; returns how many this call fired."""
    fired = 0
    while True:
        messages = await outbox.claim_due_reminders(now, limit=BATCH)
        fired += len(messages)
        if len(messages) < BATCH:
            break
    if fired and application is not None and SENDER in application.bot_data:
        application.bot_data[SENDER].wake()
    if fired:
        log.info("reminders: %d due, queued for delivery", fired)
    return fired


async def reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await sweep(context.application)


async def housekeeping_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await chat_accounts.forget_updates()


def schedule(application: Application, interval: float = 30.0) -> None:
    queue = application.job_queue
    assert queue is not None, "python-telegram-bot[job-queue] is required"
    queue.run_repeating(reminder_job, interval=interval, first=0.0, name="reminders")
    queue.run_repeating(housekeeping_job, interval=6 * 3600, first=60.0, name="housekeeping")
