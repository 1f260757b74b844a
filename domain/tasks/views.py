"""Loading tasks for an actor: the access decision and the audit of sealed views in one place.

A view of sealed data is one audit entry however many tasks it shows: one task is written as
`task:NUMBER`, several of one campaign as `campaign:CODE`, with their numbers in `data.tasks`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from domain.audit import log as audit
from domain.errors import NotFound, PermissionDenied
from domain.rules.access import (
    Actor,
    NotYours,
    Role,
    is_sealed_view,
    may_see_task,
    require_coordinator,
)
from domain.rules.ids import in_range
from domain.storage.joined import attach, instance, select_list
from domain.storage.models import (
    Campaign,
    CampaignStatus,
    Department,
    InspectionItem,
    Inspector,
    MemberStatus,
    Target,
    Task,
    TeamMember,
)

OBJECT_ID_MAX = 128  # the audit entry's object_id column


@dataclass
class TaskView:
    task: Task
    campaign: Campaign
    members: list[TeamMember]  # current members (not recused), with their inspectors

    @property
    def published(self) -> bool:
        return self.campaign.status == CampaignStatus.PUBLISHED

    def member_for(self, actor: Actor) -> TeamMember | None:
        if actor.role != Role.INSPECTOR:
            return None
        return next((m for m in self.members if m.inspector_id == actor.id), None)


# A task with its campaign, department and target, for plain joined reads (here and in
# domain/tasks/lines.py). `+t.campaign_id`: without table statistics SQLite otherwise walks
# every task of the campaign through the (campaign_id, number) index and filters by id
# (3.6 ms instead of 0.3 ms for a page of 43 tasks among 10,000); the plus leaves it only the
# ids' own lookups.
TASK_JOINS = (
    "task t JOIN campaign c ON c.id = +t.campaign_id "
    "JOIN department d ON d.id = c.department_id JOIN target g ON g.id = t.target_id"
)


async def _views(task_where: str, member_where: str) -> list[TaskView]:
    """The tasks with campaign, department, target and current team, in id order: two plain
    joined queries for any number of tasks (domain/storage/joined.py), each a turn on the
    database connection that other requests wait for. The conditions hold integers only."""
    conn = Task._meta.db
    tasks_sql = (
        f"SELECT {select_list(Task, 't')}, {select_list(Campaign, 'c')}, "
        f"{select_list(Department, 'd')}, {select_list(Target, 'g')} "
        f"FROM {TASK_JOINS} WHERE {task_where} ORDER BY t.id"
    )
    members_sql = (
        f"SELECT {select_list(TeamMember, 'm')}, {select_list(Inspector, 'i')} "
        "FROM team_member m JOIN inspector i ON i.id = m.inspector_id "
        f"WHERE {member_where} AND m.status <> '{MemberStatus.RECUSED.value}' ORDER BY m.id"
    )
    team: dict[int, list[TeamMember]] = defaultdict(list)
    for row in await conn.execute_query_dict(members_sql):
        member = instance(TeamMember, "m", row)
        attach(member, "inspector", instance(Inspector, "i", row))
        team[member.task_id].append(member)
    views = []
    for row in await conn.execute_query_dict(tasks_sql):
        task, campaign = instance(Task, "t", row), instance(Campaign, "c", row)
        attach(campaign, "department", instance(Department, "d", row))
        attach(task, "campaign", campaign)
        attach(task, "target", instance(Target, "g", row))
        views.append(TaskView(task, campaign, team[task.id]))
    return views


def _may_see(actor: Actor, view: TaskView) -> bool:
    member_ids = {m.inspector_id for m in view.members}
    return may_see_task(actor, view.campaign.department.path, view.published, member_ids)


async def _record_view(actor: Actor, views: list[TaskView], purpose: str) -> None:
    await record_view(
        actor, [(v.published, v.campaign.code, v.task.number) for v in views], purpose
    )


async def record_view(actor: Actor, shown: list[tuple[bool, str, str]], purpose: str) -> None:
    """The audit entry of one view of these tasks, each (published, campaign code, number),
    if any of them is sealed to `actor`."""
    sealed = [(code, number) for published, code, number in shown
              if is_sealed_view(actor, published)]  # fmt: skip
    if not sealed:
        return
    if len(sealed) == 1:
        await audit.record(
            actor.label, "sealed.view", "task", sealed[0][1], data={"purpose": purpose}
        )
        return
    codes = sorted({code for code, _ in sealed})
    kind = "campaign" if len(codes) == 1 else "campaigns"
    numbers = [number for _, number in sealed]
    await audit.record(
        actor.label,
        "sealed.view",
        kind,
        ",".join(codes)[:OBJECT_ID_MAX],
        data={"purpose": purpose, "tasks": numbers},
    )


async def load_task(
    actor: Actor, task_id: int, purpose: str = "view", *, audit_view: bool = True
) -> TaskView:
    """The task, if `actor` may see it; a sealed view is written to the audit log.

    `audit_view=False` is for a service that writes an entry of its own naming the actor and
    the task (evidence stored, say): that entry records the view, and a refusal before it
    shows nothing sealed. An id no column can hold is refused like a task one may not see."""
    if not in_range(task_id):
        raise NotYours()
    views = await _views(f"t.id = {int(task_id)}", f"m.task_id = {int(task_id)}")
    if not views or not _may_see(actor, views[0]):
        raise NotYours()
    if audit_view:
        await _record_view(actor, views, purpose)
    return views[0]


async def load_tasks(actor: Actor, task_ids: Iterable[int], purpose: str) -> list[TaskView]:
    """The tasks among `task_ids` that `actor` may see, in id order; the others are left out,
    as if they did not exist. One audit entry for the whole view when any of them is sealed."""
    ids = sorted(i for i in set(task_ids) if in_range(i))
    if not ids:
        return []
    listed = ",".join(str(int(i)) for i in ids)
    views = await _views(f"t.id IN ({listed})", f"m.task_id IN ({listed})")
    seen = [v for v in views if _may_see(actor, v)]
    await _record_view(actor, seen, purpose)
    return seen


async def campaign_tasks(actor: Actor, campaign: Campaign, purpose: str) -> list[TaskView]:
    """Every task of `campaign`, in id order, for one of its coordinators (refused otherwise);
    one audit entry while the campaign is sealed. `campaign.department` must be loaded."""
    require_coordinator(actor, campaign.department.path)
    campaign_id = int(campaign.id)
    views = await _views(
        f"t.campaign_id = {campaign_id}",
        f"m.task_id IN (SELECT id FROM task WHERE campaign_id = {campaign_id})",
    )
    await _record_view(actor, views, purpose)
    return views


async def view_sealed_campaign(actor: Actor, campaign: Campaign, purpose: str) -> None:
    """Refuse all but the campaign's coordinators; while it is sealed, write the view of its
    draw record or candidate lists to the audit log. Called by an adapter for a person about
    to read them, so the operator acting as the system is written too (as `system`).
    `campaign.department` must be loaded."""
    require_coordinator(actor, campaign.department.path)
    if campaign.status != CampaignStatus.PUBLISHED:
        await audit.record(actor.label, "sealed.view", "campaign", campaign.code,
                           data={"purpose": purpose})  # fmt: skip


async def task_id_of(number: str) -> int:
    """The id of the task with this number (任务编号), the way people name a task; whether they
    may see it is load_task's to decide."""
    found: list[int] = await Task.filter(number=number).values_list(  # type: ignore[assignment]
        "id", flat=True
    )
    if not found:
        raise NotFound(f"没有编号为「{number}」的任务 (no such task)")
    return found[0]


async def task_items(view: TaskView) -> list[InspectionItem]:
    """The inspection items of a task already loaded for its reader, by code."""
    return list(await InspectionItem.filter(code__in=view.task.item_codes).order_by("code"))


def require_member(actor: Actor, view: TaskView) -> TeamMember:
    member = view.member_for(actor)
    if member is None:
        raise PermissionDenied("只有本任务检查组成员可以执行此操作 (team members only)")
    return member
