"""A real draw on the demo data set, for the task services to work on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from demo import build_demo, load_demo
from domain.campaigns.plan import CampaignSpec, create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.rules.access import Actor, Role
from domain.storage.models import Coordinator, Department, InspectionItem, Task, TeamMember


@dataclass
class Drawn:
    coordinator: Actor
    tasks: list[Task]

    async def team(self, task: Task) -> list[Actor]:
        members = (
            await TeamMember.filter(task_id=task.id).order_by("id").prefetch_related("inspector")
        )
        return [
            Actor(Role.INSPECTOR, m.inspector_id, m.inspector.name, cert_no=m.inspector.cert_no)
            for m in members
            if m.status != "recused"
        ]


@pytest.fixture
async def drawn(db) -> Drawn:
    await load_demo(build_demo())
    city = await Department.get(code="419800")
    person = await Coordinator.create(name="赵敏", department=city)
    actor = Actor(Role.COORDINATOR, person.id, person.name, department_path=city.path)
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    await create_campaign(
        actor,
        CampaignSpec(
            code="2026-RF-09",
            name="2026年第四季度人防双随机抽查",
            department="419800",
            items=items,
            start_date=dt.date(2026, 11, 2),
            due_date=dt.date(2026, 12, 18),
        ),
    )
    await prepare_draw(actor, "2026-RF-09")
    await reveal_draw(actor, "2026-RF-09", dice="31415926535897932384 62643")
    tasks = list(await Task.all().order_by("id").prefetch_related("target"))
    return Drawn(actor, tasks)
