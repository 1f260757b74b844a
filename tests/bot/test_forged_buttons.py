"""A modified client can send any callback data: ids of 23 digits (beyond any integer column),
Unicode digits that int() would read as another id, positions beyond a list. Every such press
is answered on the button, with a message, and nothing fails."""

from __future__ import annotations

import logging

from bot.i18n import t
from domain.rules.ids import MAX_ID
from domain.storage.models import Task
from tests.kit.bot import bind
from tests.kit.inspector_chat import forge_callback, reply_to

HUGE = "9" * 23
# Unicode digits that `\d` matches and int() reads: "١" would otherwise mean task 1.
UNICODE_ONE = ["١", "𝟏", "１"]
BAD = t("zh", "error.bad_button")


def inspector_buttons(task_id: int) -> list[str]:
    forged = []
    for prefix in ("i:acc", "i:cur", "i:ntc", "i:cfl", "i:sub", "i:rpe", "i:cni"):
        forged += [f"{prefix}:{HUGE}", f"{prefix}:{MAX_ID + 1}"]
        forged += [f"{prefix}:{one}" for one in UNICODE_ONE]
    forged += [f"i:sgn:{HUGE}:1", f"i:sgn:{task_id}:{HUGE}", f"i:sgn:{task_id}:١"]
    return forged


def coordinator_buttons(task_id: int) -> list[str]:
    forged = []
    for prefix in ("st", "pb", "dl"):
        forged += [f"{prefix}:{HUGE}", f"{prefix}:١", f"{prefix}:{MAX_ID + 1}"]
    for key in ("rv:a", "rv:r", "ru:a", "ru:x"):
        forged += [f"{key}:{HUGE}:1", f"{key}:{task_id}:{HUGE}", f"{key}:𝟏:1"]
    return forged


async def test_forged_buttons_are_answered_and_fail_nothing(world, fake, bot, caplog):
    caplog.set_level(logging.WARNING)
    alice, boss = fake.new_user("张伟"), fake.new_user("赵敏")
    await bind(world.leader, alice)
    await bind(world.coordinator, boss)
    state = (await Task.get(id=world.task.id)).state
    for user, command, forged in (
        (alice, "tasks", inspector_buttons(world.task.id)),
        (boss, "status", coordinator_buttons(world.task.id)),
    ):
        mark = fake.mark()
        fake.inject_command(user, command)
        shown = await reply_to(fake, user, mark)
        mark = fake.mark()
        for data in forged:
            forge_callback(fake, user, shown, data)
        answers = await fake.wait_for_all("answerCallbackQuery", since=mark, count=len(forged))
        texts = [a.params.get("text") for a in answers]
        assert set(texts) <= {BAD, t("zh", "callback.stale"), None}, texts
        # The coordinator's chat says a refusal in a message of its own, after a plain answer.
        if None in texts:
            await fake.wait_for_all(
                lambda c: c.method == "sendMessage" and c.text == BAD,
                chat_id=user,
                since=mark,
                count=texts.count(None),
            )
        assert BAD in texts or None in texts
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert (await Task.get(id=world.task.id)).state == state  # "١" did not accept task 1
