"""The demo data set with a coordinator and every inspector bound to users of the fake Bot API,
and the real bot running against it, for the coordinator scenario tests."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from bot.app import BotRuntime
from demo import build_demo, load_demo
from domain.campaigns.plan import DEFAULT_RATIOS, CampaignSpec, create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.rules.access import Actor, Role
from domain.storage.models import Coordinator, Department, InspectionItem, Inspector, TeamMember
from tests.fakebot import FakeBotAPI, User
from tests.kit import bot
from tests.kit.fonts import shared_cjk_test_font

CODE = "2026-RF-09"
# One chat gets several assignments quickly (QUICK); a notice PDF may take a while to send.
CONFIG = dataclasses.replace(
    bot.QUICK, sender=dataclasses.replace(bot.QUICK.sender, send_timeout=5.0)
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
            # The Henan ladder rather than the demo items' ratios (up to 30%): a draw small
            # enough for one list message.
            ratios=dict(DEFAULT_RATIOS),
            ratio_reason="按河南 2021 年的比例",
        ),
    )


async def drawn_world(fake: FakeBotAPI) -> DemoWorld:
    """Campaign CODE planned and drawn, inspectors unbound: the teams' side is played through
    the domain services in the tests of what the coordinator sees."""
    world = await demo_world(fake, inspectors_bound=False)
    await plan_campaign(world)
    await prepare_draw(world.coordinator, CODE)
    await reveal_draw(world.coordinator, CODE, dice="31415926535897932384 62643")
    return world


@contextlib.asynccontextmanager
async def running(fake: FakeBotAPI, data_dir: Path) -> AsyncIterator[BotRuntime]:
    """With its own evidence directory and a small CJK font for the teams' notice PDFs (a
    system CJK font takes seconds each)."""
    async with bot.running(
        fake, CONFIG, data_dir=data_dir, font_path=shared_cjk_test_font()
    ) as runtime:
        yield runtime


def buttons(call) -> list[dict]:
    """The inline buttons of the message a call produced (as the chat shows it now)."""
    markup = call.messages[-1].get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]
