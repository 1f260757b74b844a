"""For the inspector scenario tests: a real draw, the bot running against the fake Bot API
with its own evidence directory and a small CJK font (a system CJK font takes seconds per
notice), and the moves an inspector makes in the chat."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest

from bot.app import BotRuntime
from demo import build_demo, load_demo
from domain.campaigns.plan import CampaignSpec, create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.config import Settings
from domain.people import enrollment
from domain.rules.access import Actor, Role
from domain.storage.models import Coordinator, Department, InspectionItem, Inspector, Task
from tests.bot.conftest import FAST, bind
from tests.fakebot import Call, FakeBotAPI, User
from tests.notice.fontmaker import cjk_test_font
from tests.tasks.conftest import Drawn

# Fixtures (named, so a test module imports them without shadowing its own parameters):
#     from tests.bot.inspector_kit import drawn_fixture, font_fixture


@pytest.fixture(name="notice_font", scope="session")
def font_fixture(tmp_path_factory) -> str:
    return str(cjk_test_font(tmp_path_factory.mktemp("fonts") / "test-cjk.ttf"))


@pytest.fixture(name="drawn")
async def drawn_fixture(db) -> Drawn:
    """A real draw on the demo data: 2-person teams, assignments waiting in the outbox."""
    await load_demo(build_demo())
    city = await Department.get(code="419800")
    person = await Coordinator.create(name="赵敏", department=city)
    actor = Actor(Role.COORDINATOR, person.id, person.name, department_path=city.path)
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    spec = CampaignSpec(
        code="2026-RF-09",
        name="2026年第四季度人防双随机抽查",
        department="419800",
        items=items,
        start_date=dt.date(2026, 11, 2),
        due_date=dt.date(2026, 12, 18),
    )
    await create_campaign(actor, spec)
    await prepare_draw(actor, spec.code)
    await reveal_draw(actor, spec.code, dice="31415926535897932384 62643")
    return Drawn(actor, list(await Task.all().order_by("id").prefetch_related("target")))


# Telegram's one message a second per chat is the outbox sender's own test (test_dispatcher.py);
# here it would only make an inspector with several tasks wait for their assignments.
QUICK = dataclasses.replace(FAST, sender=dataclasses.replace(FAST.sender, per_chat_interval=0.02))


@contextlib.asynccontextmanager
async def running(fake: FakeBotAPI, data_dir: Path, font: str) -> AsyncIterator[BotRuntime]:
    settings = Settings(
        telegram_token=fake.token, telegram_api_url=fake.url, data_dir=data_dir, font_path=font
    )
    runtime = BotRuntime(settings, QUICK)  # every audience's handlers, as in production
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


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


def notice_for(task: Task):
    return lambda c: (
        c.method == "sendDocument"
        and any(task.number in (f.filename or "") for f in c.files.values())
    )
