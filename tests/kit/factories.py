"""Building a small world in the database for service tests: a city, a county, a campaign and
one task with its team, without running a draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.rules.access import Actor, Role
from domain.rules.credit_code import complete
from domain.storage.models import (
    Campaign,
    Coordinator,
    Department,
    Draw,
    Inspector,
    MemberRole,
    MemberStatus,
    Target,
    Task,
    TeamMember,
)

CATEGORY = "人防工程平时使用"


@dataclass
class World:
    city: Department
    county: Department
    campaign: Campaign
    task: Task
    target: Target
    leader: Inspector
    member: Inspector
    outsider: Inspector
    coordinator: Coordinator

    def actor(self, person: Inspector | Coordinator) -> Actor:
        if isinstance(person, Coordinator):
            return Actor(Role.COORDINATOR, person.id, person.name, department_path=self.city.path)
        return Actor(Role.INSPECTOR, person.id, person.name, cert_no=person.cert_no)


async def inspector(cert: str, name: str, dept: Department, expert: bool = False) -> Inspector:
    return await Inspector.create(
        cert_no=cert,
        name=name,
        department=dept,
        cert_valid_until=dt.date(2030, 12, 31),
        specialties=[CATEGORY],
        is_expert=expert,
    )


async def world(state: str = "drawn", checkin: dt.datetime | None = None) -> World:
    city = await Department.create(code="3299", name="示范市人防办", path="/3299/")
    county = await Department.create(
        code="329901", name="东城区人防办", parent=city, path="/3299/329901/"
    )
    target = await Target.create(
        credit_code=complete("91329901MA0000001"),
        name="示范地下商场有限公司",
        categories=[CATEGORY],
        region=county,
        address="东城区人民路1号地下一层",
        latitude=33.75,
        longitude=113.31,
    )
    campaign = await Campaign.create(
        code="2026-RF-01",
        name="2026年人防工程平时使用专项抽查",
        department=city,
        item_codes=["RF-07"],
        region_codes=[city.code],
        start_date=dt.date(2026, 11, 2),
        due_date=dt.date(2026, 12, 18),
        ratios={"A": "1", "B": "2", "C": "10", "D": "30", "high": "50"},
        status="drawn",
    )
    draw = await Draw.create(campaign=campaign, commitment="0" * 64, secret="s", prepared={})
    task = await Task.create(
        number="2026-RF-01-0001",
        campaign=campaign,
        draw=draw,
        target=target,
        stratum="329901:B",
        ticket="0.1",
        item_codes=["RF-07"],
        state=state,
        due_date=campaign.due_date,
        year=2026,
        checkin_at=checkin,
    )
    leader = await inspector("ZF001", "张伟", city)
    member = await inspector("ZF002", "李娜", city)
    outsider = await inspector("ZF003", "王强", city)
    await TeamMember.create(task=task, inspector=leader, role=MemberRole.LEADER, ticket="0.2")
    await TeamMember.create(task=task, inspector=member, role=MemberRole.MEMBER, ticket="0.3")
    coordinator = await Coordinator.create(name="赵敏", department=city)
    return World(city, county, campaign, task, target, leader, member, outsider, coordinator)


async def another_task(w: World, n: int, state: str = "accepted") -> Task:
    """Another task of the campaign with the world's leader on its team."""
    target = await Target.create(
        credit_code=complete(f"91329901MA{n:07d}"),
        name=f"示范公司{n}",
        categories=["人防工程平时使用"],
        region=w.county,
    )
    task = await Task.create(
        number=f"2026-RF-01-{n:04d}",
        campaign=w.campaign,
        draw_id=w.task.draw_id,
        target=target,
        stratum="329901:B",
        ticket=f"0.{n}",
        state=state,
        due_date=w.campaign.due_date,
        year=2026,
    )
    await TeamMember.create(task=task, inspector=w.leader, role=MemberRole.LEADER, ticket="0.9")
    return task


async def set_state(task: Task, state: str) -> None:
    """A change of state, as the lifecycle makes it: the task's updated_at moves on."""
    task.state = state
    await task.save()


async def recuse(w: World, task: Task) -> None:
    await TeamMember.filter(task_id=task.id, inspector_id=w.leader.id).update(
        status=MemberStatus.RECUSED
    )
