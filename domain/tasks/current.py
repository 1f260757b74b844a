"""An inspector's open tasks, and which of them a message without a task goes to.

The chat keeps a "current task" per account (chosen from the list); the HTTP API may keep none.
So the rules here take the remembered choice as an argument and say what to remember next:
`Current.remember` (store `task_id` as the choice) and `NoCurrentTask.forget` (clear it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.calendar.deadlines import OPEN_TASK_STATES
from domain.errors import UserError
from domain.rules.access import Actor, Role
from domain.storage.models import MemberStatus, TeamMember
from domain.tasks.views import TaskView, load_tasks

REASONS = {
    "no_tasks": "您目前没有待办的抽查任务 (no open tasks)",
    "choose_task": "您有多项待办任务，请先选择当前任务 (several open tasks: choose one first)",
    "current_gone": "之前选择的当前任务已不能使用，请重新选择 "
    "(the task chosen as current can no longer be used: choose again)",
}


class NoCurrentTask(UserError):
    """No task to send to. `reason` is a key of REASONS, for adapters to word; `forget` says
    the remembered choice is unusable and must be cleared, so that it is refused only once."""

    def __init__(self, reason: str, *, forget: bool = False) -> None:
        super().__init__(REASONS[reason])
        self.reason = reason
        self.forget = forget


@dataclass(frozen=True)
class Current:
    task_id: int
    remember: bool = False  # taken without a choice: remember it as the choice from now on


@dataclass(frozen=True)
class _Membership:
    task_id: int
    state: str
    updated_at: dt.datetime


def _memberships_of(actor: Actor):
    """The actor's places on teams they did not leave (recusal, replacement)."""
    if actor.role != Role.INSPECTOR or actor.id is None:
        return TeamMember.filter(id__in=[])
    return TeamMember.filter(inspector_id=actor.id).exclude(status=MemberStatus.RECUSED)


async def open_task_ids(
    actor: Actor,
    campaign_id: int | None = None,
    *,
    task_id: int | None = None,
    assigned_only: bool = False,
) -> list[int]:
    """The open tasks the actor is on the team of (only those not yet accepted by them, with
    `assigned_only`). Ids only, nothing sealed: loading them is `open_tasks`."""
    query = _memberships_of(actor).filter(task__state__in=OPEN_TASK_STATES)
    if campaign_id is not None:
        query = query.filter(task__campaign_id=campaign_id)
    if task_id is not None:
        query = query.filter(task_id=task_id)
    if assigned_only:
        query = query.filter(status=MemberStatus.ASSIGNED)
    return sorted(set(await query.values_list("task_id", flat=True)))


async def open_tasks(
    actor: Actor,
    campaign_id: int | None = None,
    *,
    task_id: int | None = None,
    assigned_only: bool = False,
    purpose: str = "list",
) -> list[TaskView]:
    """The open tasks, soonest due first, loaded through the access rules (one audit entry)."""
    ids = await open_task_ids(actor, campaign_id, task_id=task_id, assigned_only=assigned_only)
    views = await load_tasks(actor, ids, purpose)
    return sorted(views, key=lambda v: (v.task.due_date, v.task.number))


async def _memberships(actor: Actor) -> list[_Membership]:
    """Latest changed task first."""
    rows = (
        await _memberships_of(actor)
        .order_by("-task__updated_at", "-task_id")
        .values_list("task_id", "task__state", "task__updated_at")
    )
    return [_Membership(*row) for row in rows]


def _open_ids(memberships: list[_Membership]) -> list[int]:
    return sorted({m.task_id for m in memberships if m.state in OPEN_TASK_STATES})


def _current(open_ids: list[int], chosen: int | None) -> Current:
    if chosen is not None and chosen in open_ids:
        return Current(chosen)
    if chosen is not None:
        raise NoCurrentTask("current_gone", forget=True)
    if len(open_ids) == 1:
        return Current(open_ids[0], remember=True)
    raise NoCurrentTask("choose_task" if open_ids else "no_tasks")


async def current_task(actor: Actor, chosen: int | None) -> Current:
    """The chosen task while it is still open and the actor on its team; with a single open
    task and no choice made, that one (to be remembered). A choice that became unusable
    (recusal, a replacement, the task closed) is refused once with `forget`, so nothing meant
    for it lands on another task unnoticed. Otherwise: several open tasks, choose one; none,
    no tasks."""
    return _current(_open_ids(await _memberships(actor)), chosen)


async def evidence_task(actor: Actor, chosen: int | None) -> Current:
    """The task evidence goes to. Unlike `current_task`, a chosen task that closed meanwhile
    stays chosen (while the actor is still on its team), and with no open task and no choice
    the latest changed task of theirs is taken: the evidence service then refuses, naming its
    state, instead of the evidence landing on another task or going unexplained. The rest is
    `current_task`'s."""
    memberships = await _memberships(actor)
    open_ids = _open_ids(memberships)
    if chosen is not None and chosen not in open_ids:
        if any(m.task_id == chosen for m in memberships):
            return Current(chosen)
    if chosen is None and not open_ids and memberships:
        return Current(memberships[0].task_id)
    return _current(open_ids, chosen)
