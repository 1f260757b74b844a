"""Loading a task for an actor: the access decision and the audit of sealed views in one place."""

from __future__ import annotations

from dataclasses import dataclass

from domain import audit
from domain.access import Actor, Role, is_sealed_view, require_task_view
from domain.errors import NotFound, PermissionDenied
from domain.models import (
    Campaign,
    CampaignStatus,
    InspectionItem,
    MemberStatus,
    Task,
    TeamMember,
)


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


async def load_task(actor: Actor, task_id: int, purpose: str = "view") -> TaskView:
    """The task, if `actor` may see it; a sealed view is written to the audit log."""
    task = await Task.get_or_none(id=task_id).prefetch_related("campaign__department", "target")
    if task is None:
        raise PermissionDenied("没有找到该任务，或您无权查看 (no such task, or not yours to see)")
    members = (
        await TeamMember.filter(task_id=task.id)
        .exclude(status=MemberStatus.RECUSED)
        .order_by("id")
        .prefetch_related("inspector")
    )
    view = TaskView(task, task.campaign, list(members))
    require_task_view(
        actor,
        task.campaign.department.path,
        view.published,
        {m.inspector_id for m in members},
    )
    if is_sealed_view(actor, view.published):
        await audit.record(
            actor.label, "sealed.view", "task", task.number, data={"purpose": purpose}
        )
    return view


async def task_id_of(number: str) -> int:
    """The id of the task with this number (任务编号), the way people name a task; whether they
    may see it is load_task's to decide."""
    found = await Task.filter(number=number).values_list("id", flat=True)
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
