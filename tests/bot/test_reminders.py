"""Reminders stored in the database fire once, across restarts of the bot."""

from __future__ import annotations

import datetime as dt

from tortoise import timezone

from bot.delivery import reminders
from bot.delivery.render import Outgoing, Rendered
from bot.renderers import renderer_table
from domain.messaging import outbox
from domain.storage.models import OutboxMessage, OutboxStatus, Reminder, ReminderStatus
from tests.kit.bot import bind, running

KIND = "test.due_soon"


def due_soon(out: Outgoing) -> Rendered:
    return Rendered(f"任务 {out.payload['reminder']['subject_id']} 将于 1 个工作日后到期")


RENDERERS = renderer_table({KIND: due_soon})


async def remind(world, minutes_ago: int) -> Reminder:
    return await outbox.schedule_reminder(
        "task",
        world.task.id,
        KIND,
        timezone.now() - dt.timedelta(minutes=minutes_ago),
        "inspector",
        world.leader.id,
        dedupe_key=f"due1:{world.task.id}:{world.leader.id}",
    )


async def test_a_reminder_due_across_a_restart_is_sent_once(world, fake):
    alice = fake.new_user()
    await bind(world.leader, alice)
    async with running(fake, renderers=RENDERERS):
        pass  # the first process stops before the reminder falls due
    reminder = await remind(world, minutes_ago=5)
    async with running(fake, renderers=RENDERERS) as second:
        # Its own job fired at start too: the two sweeps race and only one fires it.
        fired_here = await reminders.sweep(second.application)
        sent = await fake.wait_for("sendMessage", chat_id=alice)
        assert await reminders.sweep(second.application) == 0
        await second.sender.idle()
    assert fired_here in (0, 1)
    assert sent.text == f"任务 {world.task.id} 将于 1 个工作日后到期"
    assert sent.params["protect_content"] is True
    assert len(fake.sent_to(alice)) == 1
    await reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FIRED


async def test_a_reminder_claimed_by_a_process_that_died_is_sent_once(world, fake):
    alice = fake.new_user()
    await bind(world.leader, alice)
    await remind(world, minutes_ago=1)
    assert await reminders.sweep() == 1
    # A sender claimed it and died before sending: the row is left 'sending'.
    [claimed] = await outbox.claim_due()
    assert claimed.status == OutboxStatus.SENDING
    async with running(fake, renderers=RENDERERS) as restarted:
        await fake.wait_for("sendMessage", chat_id=alice)
        await restarted.sender.idle()
        assert await reminders.sweep(restarted.application) == 0
    assert len(fake.sent_to(alice)) == 1
    row = await OutboxMessage.get(id=claimed.id)
    assert row.status == OutboxStatus.SENT
