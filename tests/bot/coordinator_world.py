"""The demo data set with a coordinator and every inspector bound to users of the fake Bot API,
and the real bot running against it, for the coordinator scenario tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from bot.app import BotConfig, BotRuntime
from bot.delivery.sender import SenderConfig
from demo import build_demo, load_demo
from domain.campaigns.plan import CampaignSpec, create_campaign
from domain.config import Settings
from domain.messaging.outbox import RetryPolicy
from domain.rules.access import Actor, Role
from domain.storage.models import Coordinator, Department, InspectionItem, Inspector, TeamMember
from tests.fakebot import FakeBotAPI, User
from tests.notice.fontmaker import cjk_test_font

CODE = "2026-RF-09"
CONFIG = BotConfig(
    sender=SenderConfig(
        poll_interval=0.05,
        per_chat_interval=0.02,  # one chat gets several assignments: keep the test short
        send_timeout=5.0,
        retry=RetryPolicy(
            base=dt.timedelta(milliseconds=50), cap=dt.timedelta(seconds=1), max_attempts=5
        ),
    ),
    reminder_interval=3600,
    poll_timeout=1,
)


@dataclass
class DemoWorld:
    coordinator: Actor
    boss: User  # the coordinator's Telegram user
    inspectors: dict[int, User]  # inspector id -> their Telegram user

    def user_of(self, inspector_id: int) -> User:
        return self.inspectors[inspector_id]

    async def bind(self, fake: FakeBotAPI, inspector_id: int) -> User:
        inspector = await Inspector.get(id=inspector_id)
        user = fake.new_user(inspector.name)
        inspector.telegram_user_id = user.id
        await inspector.save(update_fields=["telegram_user_id"])
        self.inspectors[inspector_id] = user
        return user

    async def team(self, task_id: int) -> list[Actor]:
        members = (
            await TeamMember.filter(task_id=task_id)
            .exclude(status="recused")
            .order_by("id")
            .prefetch_related("inspector")
        )
        return [
            Actor(Role.INSPECTOR, m.inspector_id, m.inspector.name, cert_no=m.inspector.cert_no)
            for m in members
        ]


async def demo_world(fake: FakeBotAPI, *, inspectors_bound: bool = True) -> DemoWorld:
    """Without inspectors bound, their assignments are not delivered (nobody to send them to),
    which spares tests about something else rendering two dozen notice PDFs."""
    await load_demo(build_demo())
    city = await Department.get(code="419800")
    boss = fake.new_user("赵敏")
    person = await Coordinator.create(name="赵敏", department=city, telegram_user_id=boss.id)
    actor = Actor(Role.COORDINATOR, person.id, person.name, department_path=city.path)
    world = DemoWorld(actor, boss, {})
    if inspectors_bound:
        for inspector in await Inspector.all().order_by("id"):
            await world.bind(fake, inspector.id)
    return world


async def plan_campaign(world: DemoWorld, code: str = CODE, due: dt.date | None = None) -> None:
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    await create_campaign(
        world.coordinator,
        CampaignSpec(
            code=code,
            name="2026年第四季度人防双随机抽查",
            department="419800",
            items=items,
            start_date=dt.date(2026, 11, 2),
            due_date=due or dt.date(2026, 12, 18),
        ),
    )


@functools.cache
def notice_font() -> str:
    """A small CJK font for the teams' notice PDFs: a system CJK font takes seconds each."""
    return str(cjk_test_font(Path(tempfile.mkdtemp(prefix="ssj-font-")) / "test-cjk.ttf"))


def bot_settings(fake: FakeBotAPI, data_dir: Path) -> Settings:
    return Settings(
        telegram_token=fake.token,
        telegram_api_url=fake.url,
        data_dir=data_dir,
        font_path=notice_font(),
    )


@contextlib.asynccontextmanager
async def running(fake: FakeBotAPI, data_dir: Path) -> AsyncIterator[BotRuntime]:
    runtime = BotRuntime(bot_settings(fake, data_dir), CONFIG)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


def buttons(call) -> list[dict]:
    """The inline buttons of the message a call produced (as the chat shows it now)."""
    markup = call.messages[-1].get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]
