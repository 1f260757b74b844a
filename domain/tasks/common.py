"""Applying a lifecycle transition to a stored task: who acts as what, and the audit entry."""

from __future__ import annotations

from typing import Any

from domain import clock
from domain.audit import log as audit
from domain.errors import PermissionDenied, StaleState
from domain.rules import lifecycle
from domain.rules import team_duties as team_rules
from domain.rules.access import Actor, Role, coordinates
from domain.storage.models import Coordinator, MemberRole, Task, TeamMember
from domain.tasks.views import TaskView


def lifecycle_role(actor: Actor, view: TaskView) -> Role:
    if actor.role == Role.SYSTEM:
        return Role.SYSTEM
    if actor.role == Role.COORDINATOR and coordinates(actor, view.campaign.department.path):
        return Role.COORDINATOR
    member = view.member_for(actor)
    if member is not None:
        if member.role == MemberRole.LEADER:
            return Role.LEADER
        return Role.INSPECTOR
    raise PermissionDenied("您不是该任务的检查组成员或协调员 (not on this task)")


def rule_members(members: list[TeamMember]) -> list[team_rules.Member]:
    return [team_rules.Member(m.id, m.role, m.status, m.inspector.name) for m in members]


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
    fields: dict[str, Any] = {"updated_at": clock.now()}
    if after != before:
        fields["state"] = after.value
        if name in ("cancel", "declare_could_not_inspect", "reopen"):
            fields["state_reason"] = (context or {}).get("reason", "")
    # Conditional on the state the check used, self-loops included: a concurrent request that
    # read the same state (two approvals, an approval racing a return, a redelivered update)
    # changes no row here and rolls its whole action back, audit and outbox included.
    if not await Task.filter(id=view.task.id, state=before).update(**fields):
        await stale_task(view.task.id)
    for field, value in fields.items():
        setattr(view.task, field, value)
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


async def stale_task(task_id: int) -> None:
    # values_list(flat=True) after first() gives the value itself; tortoise types it as a tuple.
    now = lifecycle.TaskState(await Task.filter(id=task_id).first().values_list("state", flat=True))  # type: ignore[arg-type]
    raise StaleState(
        f"任务状态已被他人更改（现为{now.label_zh}），请刷新后重试 "
        f"(the task changed meanwhile, now {now.label_en}; reload and try again)"
    )


async def reviewers(view: TaskView, conn) -> list[int]:
    """The coordinators told of a claim awaiting review (a report, or could-not-inspect): the
    active ones of the campaign's department."""
    # values_list(flat=True) gives the values themselves; tortoise types them as tuples.
    return await (  # type: ignore[return-value]
        Coordinator.filter(department_id=view.campaign.department_id, active=True)
        .using_db(conn)
        .values_list("id", flat=True)
    )
