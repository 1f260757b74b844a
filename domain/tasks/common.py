"""Applying a lifecycle transition to a stored task: who acts as what, and the audit entry."""

from __future__ import annotations

from typing import Any

from domain import audit, lifecycle, team_rules
from domain.access import Actor, Role, coordinates
from domain.errors import PermissionDenied
from domain.models import MemberRole, MemberStatus, TeamMember
from domain.task_access import TaskView

_KIND = {
    MemberRole.LEADER: team_rules.MemberKind.LEADER,
    MemberRole.MEMBER: team_rules.MemberKind.MEMBER,
    MemberRole.EXPERT: team_rules.MemberKind.EXPERT,
}
_STATUS = {
    MemberStatus.ASSIGNED: team_rules.MemberStatus.PENDING,
    MemberStatus.ACCEPTED: team_rules.MemberStatus.ACCEPTED,
    MemberStatus.RECUSED: team_rules.MemberStatus.REPLACED,
}


def lifecycle_role(actor: Actor, view: TaskView) -> lifecycle.Role:
    if actor.role == Role.SYSTEM:
        return lifecycle.Role.SYSTEM
    if actor.role == Role.COORDINATOR and coordinates(actor, view.campaign.department.path):
        return lifecycle.Role.COORDINATOR
    member = view.member_for(actor)
    if member is not None:
        if member.role == MemberRole.LEADER:
            return lifecycle.Role.LEADER
        return lifecycle.Role.INSPECTOR
    raise PermissionDenied("您不是该任务的检查组成员或协调员 (not on this task)")


def rule_members(members: list[TeamMember]) -> list[team_rules.Member]:
    return [
        team_rules.Member(m.id, _KIND[m.role], _STATUS[m.status], m.inspector.name) for m in members
    ]


async def transition(
    actor: Actor,
    view: TaskView,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    data: dict[str, Any] | None = None,
) -> lifecycle.TaskState:
    """Check and make one transition; the caller holds the transaction."""
    role = lifecycle_role(actor, view)
    before = view.task.state
    after = lifecycle.apply(before, name, role, context or {})
    if after != before:
        view.task.state = after.value
        if name in ("cancel", "declare_could_not_inspect", "reopen"):
            view.task.state_reason = (context or {}).get("reason", "")
        await view.task.save(update_fields=["state", "state_reason", "updated_at"])
    await audit.record(
        actor.label,
        f"task.{name}",
        "task",
        view.task.number,
        before={"state": before},
        after={"state": after.value},
        data=data,
    )
    return after
