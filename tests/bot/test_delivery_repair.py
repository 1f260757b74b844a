"""The sender's start mends assignments an older version recorded as delivered without their
consequences: the task becomes notified and each member's notice goes out."""

from __future__ import annotations

import pytest

from domain.messaging.kinds import assignment_key
from domain.storage.models import OutboxMessage, OutboxStatus, Task
from tests.kit.inspector_chat import (
    NOTICE_WAIT,
    assignment_for,
    bound,
    notice_for,
    running,
)

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def test_a_start_repairs_assignments_marked_sent_without_their_notice(
    drawn, fake, tmp_path, notice_font
):
    task = drawn.tasks[0]
    team = await drawn.team(task)
    users = [await bound(fake, actor) for actor in team]
    keys = [assignment_key(task.id, actor.id) for actor in team]
    await OutboxMessage.filter(dedupe_key__in=keys).update(status=OutboxStatus.SENT)

    async with running(fake, tmp_path, notice_font) as bot:
        for user in users:
            notice = await fake.wait_for(notice_for(task), chat_id=user, timeout=NOTICE_WAIT)
            assert notice.files["document"].content.startswith(b"%PDF")
        await bot.sender.idle()

    assert (await Task.get(id=task.id)).state == "notified"
    again = [c for user in users for c in fake.sent_to(user) if assignment_for(task)(c)]
    assert again == []  # recorded as delivered: not sent again
