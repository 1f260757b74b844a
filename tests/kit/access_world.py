"""One drawn campaign seen by every kind of caller, for the field API's access matrix: the demo
data, a campaign of a county department drawn into tasks with teams, and a bearer token for each
caller (the task's inspector, another task's inspector, the county's coordinator, its sibling
county's, the city's above it, and tokens that are revoked, expired or read-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from demo import build_demo, load_demo
from domain.campaigns.plan import DEFAULT_RATIOS, CampaignSpec, create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.people import api_tokens
from domain.people.enrollment import invite_by_reference
from domain.rules.access import SYSTEM, Actor, Role
from domain.rules.lifecycle import TaskState
from domain.rules.report import FollowUpAction
from domain.storage.models import (
    Coordinator,
    Department,
    FollowUp,
    InspectionItem,
    Task,
    TeamMember,
)
from domain.tasks.closing import record_penalty
from domain.tasks.team import accept
from domain.tasks.visit import check_in
from tests.kit.office_clock import OfficeClock

CODE = "2026-MX-01"
COUNTY, SIBLING, CITY = "419802", "419803", "419800"
NOW = "2026-11-20 15:00"  # inside the campaign's period
DICE = "31415926535897932384 62643"


@dataclass
class AccessWorld:
    task: Task  # the task the inspector caller is on
    other: Task  # a task of another team
    tokens: dict[str, str | None] = field(default_factory=dict)  # caller -> bearer token
    actors: dict[str, Actor] = field(default_factory=dict)
    spare_token: int = 0  # another token of the task's inspector, for revocation rows
    invite: int = 0  # an open invite to the task's inspector, from the county's coordinator
    item: str = ""  # an inspection item's code, for a new campaign
    penalty: int = 0  # a penalty recorded on the task, not yet published
    followup: int = 0  # an open follow-up of the task

    async def fresh_token(self, caller: str) -> str:
        """Another working token of a caller's, for a row that gives up the one it calls with."""
        if caller == "read_only":
            return (await _issue(self.actors["coordinator"], scope="read")).token
        return (await _issue(self.actors[caller])).token

    def values(self) -> dict[str, object]:
        """What the matrix's paths name in braces."""
        return {
            "task": self.task.id,
            "other": self.other.id,
            "code": CODE,
            "token": self.spare_token,
            "invite": self.invite,
            "item": self.item,
            "penalty": self.penalty,
            "followup": self.followup,
            "cert": self.actors["inspector"].cert_no,
            "kind": "targets",
        }


async def coordinator_of(code: str, name: str) -> Actor:
    department = await Department.get(code=code)
    person = await Coordinator.create(name=name, department=department)
    return Actor(Role.COORDINATOR, person.id, name, department_path=department.path)


async def team_of(task: Task) -> list[Actor]:
    members = (
        await TeamMember.filter(task_id=task.id)
        .exclude(status="recused")
        .order_by("id")
        .prefetch_related("inspector")
    )
    return [
        Actor(Role.INSPECTOR, m.inspector_id, m.inspector.name, cert_no=m.inspector.cert_no)
        for m in members
    ]


async def _two_teams() -> tuple[Task, Task, Actor, Actor]:
    """Two tasks and an inspector of each who is not on the other's team."""
    tasks = list(await Task.filter(campaign__code=CODE).order_by("id").prefetch_related("target"))
    first = tasks[0]
    first_team = await team_of(first)
    for other in tasks[1:]:
        for person in await team_of(other):
            if person.id not in {a.id for a in first_team}:
                return first, other, first_team[0], person
    raise AssertionError("every inspector of the draw is on the first task's team")


async def _issue(person: Actor, **options) -> api_tokens.IssuedToken:
    role = "coordinator" if person.role == Role.COORDINATOR else "inspector"
    return await api_tokens.issue_token(SYSTEM, role, person.id, **options)


async def access_world(clock: OfficeClock) -> AccessWorld:
    """Build at NOW (the clock is left there); the expired token was issued two days before."""
    clock.set(NOW)
    await load_demo(build_demo())
    county = await coordinator_of(COUNTY, "孙立")
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    await create_campaign(
        county,
        CampaignSpec(
            code=CODE,
            name="2026年城东区人防双随机抽查",
            department=COUNTY,
            items=items,
            start_date=dt.date(2026, 11, 2),
            due_date=dt.date(2026, 12, 18),
            ratios=dict(DEFAULT_RATIOS),
            ratio_reason="按河南 2021 年的比例",
            # A county has few officers, most of them covering its own ground.
            avoid_own_jurisdiction=False,
        ),
    )
    # The county's few officers cannot staff every item's targets; two tasks are enough here.
    await prepare_draw(county, CODE, exclude_unstaffable=True)
    await reveal_draw(county, CODE, dice=DICE)
    task, other, inspector, outsider = await _two_teams()
    await _on_site(task)
    actors = {
        "inspector": inspector,
        "other_inspector": outsider,
        "coordinator": county,
        "sibling": await coordinator_of(SIBLING, "钱程"),
        "parent": await coordinator_of(CITY, "赵敏"),
    }
    tokens: dict[str, str | None] = {"anonymous": None}
    for caller, person in actors.items():
        tokens[caller] = (await _issue(person)).token
    revoked = await _issue(county)
    await api_tokens.revoke_token(SYSTEM, revoked.token_id)
    tokens["revoked"] = revoked.token
    clock.set("2026-11-18 15:00")
    tokens["expired"] = (await _issue(county, expires_days=1)).token
    clock.set(NOW)
    tokens["read_only"] = (await _issue(county, scope="read")).token
    spare = (await _issue(inspector)).token_id
    invite = await invite_by_reference(county, "inspector", inspector.cert_no)
    decided = dt.date(2026, 11, 20)
    # A penalty follows an approved result: recorded while the task is approved (set here
    # directly), then the task is back on site for the matrix's inspector rows.
    await Task.filter(id=task.id).update(state=TaskState.APPROVED)
    penalty = await record_penalty(county, task.id, "罚字〔2026〕1号", decided, "罚款")
    await Task.filter(id=task.id).update(state=TaskState.ON_SITE)
    # Stored as approving a report with an order to correct would leave it.
    correction = FollowUpAction.ORDER_CORRECTION
    followup = await FollowUp.create(task=task, action=correction, what="限期整改")
    return AccessWorld(
        task, other, tokens, actors, spare, invite.invite_id, items[0], penalty.id, followup.id
    )


async def _on_site(task: Task) -> None:
    """The team on site: a state where no write of the matrix goes through by accident
    (accepting, recusing, checking in again are all refused by the lifecycle)."""
    team = await team_of(task)
    for person in team:
        await accept(person, task.id)
    await check_in(team[0], task.id)
