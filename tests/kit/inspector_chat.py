"""The moves an inspector makes in the chat with the running bot, and what to look for in
its answers: for the inspector scenario tests (the draw is tests.kit.drawn's, the `drawn`
and `notice_font` fixtures are tests/bot/conftest.py's)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from bot.app import BotRuntime
from domain.people import enrollment
from domain.rules.access import Actor
from domain.storage.models import Inspector, Task
from tests.fakebot import Call, FakeBotAPI, User
from tests.kit import bot
from tests.kit.bot import bind
from tests.kit.drawn import Drawn


@contextlib.asynccontextmanager
async def running(fake: FakeBotAPI, data_dir: Path, font: str) -> AsyncIterator[BotRuntime]:
    """With its own evidence directory and a small CJK font (a system one takes seconds per
    notice)."""
    async with bot.running(fake, bot.QUICK, data_dir=data_dir, font_path=font) as runtime:
        yield runtime


async def bound(fake: FakeBotAPI, actor: Actor, name: str | None = None) -> User:
    user = fake.new_user(name or actor.name)
    await bind(await Inspector.get(id=actor.id), user)
    return user


async def enroll(fake: FakeBotAPI, draw: Drawn, actor: Actor) -> User:
    """Through an invite and the deep link, so messages that waited for them are sent."""
    issued = await enrollment.issue_invite(draw.coordinator, "inspector", actor.id)
    user = fake.new_user(actor.name)
    mark = fake.mark()
    fake.inject_start(user, issued.code)
    await fake.wait_for("sendMessage", chat_id=user, since=mark)
    return user


async def other_team(draw: Drawn, task: Task, avoid: set[int]) -> tuple[Task, Actor]:
    """Another task and a member of it who is on no team of `task`'s."""
    for other in draw.tasks:
        if other.id == task.id:
            continue
        for actor in await draw.team(other):
            if actor.id not in avoid:
                return other, actor
    raise AssertionError("the demo draw has no inspector outside this team")


def has_button(call: Call, data: str) -> bool:
    markup = call.params.get("reply_markup") or {}
    return any(
        b.get("callback_data") == data for row in markup.get("inline_keyboard", []) for b in row
    )


async def reply_to(fake: FakeBotAPI, user: User, since: int, *, text: str = "") -> Call:
    """The next message the bot sends this user from `since` on (containing `text`)."""
    return await fake.wait_for(
        lambda c: c.method == "sendMessage" and c.delivered and text in (c.text or ""),
        chat_id=user,
        since=since,
    )


async def press(fake: FakeBotAPI, user: User, message: Call, data: str) -> int:
    """Press a button; returns the mark from which the bot's answers follow."""
    mark = fake.mark()
    fake.inject_callback(user, message, data)
    return mark


async def write(fake: FakeBotAPI, user: User, text: str) -> Call:
    mark = fake.mark()
    fake.inject_text(user, text)
    return await reply_to(fake, user, mark)


def seen_by(fake: FakeBotAPI, chat_id: int, queries: Iterable[dict] = ()) -> list[str]:
    """Everything the bot showed in this chat: texts, captions, file names, button labels, and
    the answers to these button presses (updates returned by inject_callback)."""
    query_ids = {q["callback_query"]["id"] for q in queries}
    shown: list[str] = []
    for call in fake.calls:
        if not call.ok:
            continue
        if call.chat_id == chat_id:
            shown += [str(call.params.get(k) or "") for k in ("text", "caption")]
            shown += [f.filename or "" for f in call.files.values()]
            markup = call.params.get("reply_markup") or {}
            shown += [b.get("text", "") for row in markup.get("inline_keyboard", []) for b in row]
        if (
            call.method == "answerCallbackQuery"
            and call.params.get("callback_query_id") in query_ids
        ):
            shown.append(str(call.params.get("text") or ""))
    return shown


def forge_callback(fake: FakeBotAPI, user: User, message: Call, data: str) -> dict:
    """A button press with data the message never had (a crafted client)."""
    query_id = str(10**16 + fake.world.next_id())
    fake.world.callback_queries[query_id] = False
    return fake.inject_update(
        {
            "callback_query": {
                "id": query_id,
                "from": user.to_dict(),
                "chat_instance": str(user.id),
                "data": data,
                "message": message.messages[-1],
            }
        }
    )


def assignment_for(task: Task):
    return lambda c: c.method == "sendMessage" and task.number in (c.text or "")


# A whole draw's notices are PDFs rendered one after another behind the assignments: on a
# loaded machine the one a test awaits can take far longer than a chat reply.
NOTICE_WAIT = 60.0


def notice_for(task: Task):
    return lambda c: (
        c.method == "sendDocument"
        and any(task.number in (f.filename or "") for f in c.files.values())
    )
