"""A real draw on the demo data set (2-person teams, assignments waiting in the outbox), for the
task services and the inspector scenarios to work on, and a report that passes every rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from demo import build_demo, load_demo
from domain.campaigns.plan import DEFAULT_RATIOS, CampaignSpec, create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.rules.access import Actor, Role
from domain.storage.models import Coordinator, Department, InspectionItem, Task, TeamMember

CODE = "2026-RF-09"

REPORT = {
    "started_at": "2026-11-20T09:30:00+08:00",
    "ended_at": "2026-11-20T11:00:00+08:00",
    "content": "检查人防工程平时使用情况",
    "methods": ["实地检查", "书面检查"],
    "steps": "出示证件和通知书，查看现场，查阅台账",
    "findings": "未发现问题",
    "evaluation": "管理规范",
    "handling_opinion": "无需处理",
    "result_categories": ["1"],
    "follow_up_action": "none",
}


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


async def draw_on_demo() -> Drawn:
    """The demo data, the city's coordinator, and campaign CODE over every item, drawn."""
    await load_demo(build_demo())
    city = await Department.get(code="419800")
    person = await Coordinator.create(name="赵敏", department=city)
    actor = Actor(Role.COORDINATOR, person.id, person.name, department_path=city.path)
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    await create_campaign(
        actor,
        CampaignSpec(
            code=CODE,
            name="2026年第四季度人防双随机抽查",
            department="419800",
            items=items,
            start_date=dt.date(2026, 11, 2),
            due_date=dt.date(2026, 12, 18),
            # The Henan ladder rather than the demo items' ratios (up to 30%): a draw small
            # enough for one list message.
            ratios=dict(DEFAULT_RATIOS),
            ratio_reason="按河南 2021 年的比例",
        ),
    )
    await prepare_draw(actor, CODE)
    await reveal_draw(actor, CODE, dice="31415926535897932384 62643")
    return Drawn(actor, list(await Task.all().order_by("id").prefetch_related("target")))
