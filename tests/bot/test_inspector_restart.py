"""What an inspector chose in the chat outlives the bot: the current task and the language are
in the database, and a current task that is no longer theirs is not used."""

from __future__ import annotations

import pytest

from bot.i18n import t
from domain.messaging import chat_accounts
from domain.rules.access import Actor
from domain.storage.models import Evidence, EvidenceKind, Task
from domain.tasks import team, visit
from tests.kit.drawn import Drawn
from tests.kit.inspector_chat import (
    bound,
    press,
    reply_to,
    running,
    write,
)

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def busy_inspector(draw: Drawn) -> tuple[Actor, Task, Task]:
    """An inspector on exactly two tasks of the draw, both accepted by their whole teams."""
    tasks_of: dict[int, list[Task]] = {}
    actors: dict[int, Actor] = {}
    for task in draw.tasks:
        for actor in await draw.team(task):
            tasks_of.setdefault(actor.id, []).append(task)
            actors[actor.id] = actor
    # The draw's dice are random: whoever has the fewest tasks beyond one is taken, and any
    # tasks of theirs beyond two are cancelled, so that exactly two are open.
    busy = [i for i, tasks in tasks_of.items() if len(tasks) >= 2]
    assert busy, "the demo draw has nobody on two tasks"
    chosen = min(busy, key=lambda i: (len(tasks_of[i]), i))
    pair = tasks_of[chosen][:2]
    for task in tasks_of[chosen][2:]:
        await visit.cancel(draw.coordinator, task.id, "两项任务足矣 (the test needs two)")
    for task in pair:
        for member in await draw.team(task):
            await team.accept(member, task.id)
    return actors[chosen], pair[0], pair[1]


async def test_current_task_and_language_survive_a_restart(drawn, fake, notice_font, tmp_path):
    # Two open tasks: without the stored choice, a note would be refused ("choose a task").
    actor, first, _other = await busy_inspector(drawn)
    await visit.check_in(actor, first.id, 33.75, 113.31)
    alice = await bound(fake, actor)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark, text=t("zh", "insp.tasks.header"))
        mark = await press(fake, alice, listing, f"i:cur:{first.id}")
        await reply_to(fake, alice, mark, text="当前任务")
        mark = fake.mark()
        fake.inject_command(alice, "lang", "en")
        await reply_to(fake, alice, mark, text=t("en", "lang.set"))

    async with running(fake, tmp_path, notice_font) as bot:  # a new process, the same database
        await bot.sender.idle()
        receipt = await write(fake, alice, "Problem: fire exit blocked")
        [note] = await Evidence.filter(kind=EvidenceKind.PROBLEM)
        assert note.task_id == first.id
        name = t("en", "insp.task_name", target=first.target.name, number=first.number)
        assert receipt.text == t(
            "en", "note.saved", name=name, kind=t("en", "note.kind.problem"), id=note.id
        )
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark, text=t("en", "insp.tasks.header"))
        lines = listing.text.splitlines()  # each task: its name, then state and mark
        [marked] = [i for i, line in enumerate(lines) if t("en", "insp.tasks.current") in line]
        assert first.number in lines[marked - 1]


async def test_a_current_task_left_elsewhere_is_refused_then_forgotten(
    drawn, fake, notice_font, tmp_path
):
    actor, first, second = await busy_inspector(drawn)
    await visit.check_in(actor, first.id, 33.75, 113.31)
    alice = await bound(fake, actor)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark, text=t("zh", "insp.tasks.header"))
        mark = await press(fake, alice, listing, f"i:cur:{second.id}")
        await reply_to(fake, alice, mark, text="当前任务")
        # Recusal from another channel (the field app): the chat did not see it happen.
        await team.declare_conflict(actor, second.id, "与该单位负责人系近亲属")
        await bot.sender.idle()

        refused = await write(fake, alice, "消防通道堵塞")
        assert refused.text == t("zh", "insp.current_gone")
        assert await chat_accounts.current_task_of(alice.id) is None
        assert not await Evidence.filter(task_id=second.id).exists()
        # Nothing was chosen since: the one open task left takes the next note, as ever.
        saved = await write(fake, alice, "消防通道堵塞")
        assert saved.text.startswith("已记入"), saved.text
        assert await Evidence.filter(task_id=first.id, text="消防通道堵塞").exists()
