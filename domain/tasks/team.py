"""The team's side of a new task: notified, accepting, or declaring a conflict (回避)."""

from __future__ import annotations

import json

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.draw.amend import amend_record
from domain.draw.record import canonical
from domain.errors import StaleState, UserError
from domain.messaging import outbox
from domain.messaging.kinds import ASSIGNMENT, assignment_key
from domain.rules import lifecycle
from domain.rules import team_duties as team_rules
from domain.rules.access import SYSTEM, Actor, Role
from domain.storage.models import (
    Conflict,
    Draw,
    Inspector,
    MemberStatus,
    RecipientKind,
    Task,
    TeamMember,
)
from domain.tasks.common import lifecycle_role, rule_members, transition
from domain.tasks.views import TaskView, load_task, require_member


async def mark_notified(task_id: int, *, connection: BaseDBAsyncClient | None = None) -> bool:
    """The assignment reached the team: 'drawn' → 'notified', audited, inside `connection`'s
    transaction when given. A conditional update: two members' assignments delivered at once,
    a redelivery or an acceptance make one transition between them and refuse nobody. False
    when the task had left 'drawn' already."""
    drawn = lifecycle.TaskState.DRAWN
    after = lifecycle.apply(drawn, "notify", Role.SYSTEM, {})
    async with (connection or Task._meta.db)._in_transaction() as conn:
        tasks = Task.filter(id=task_id).using_db(conn)
        if not await tasks.filter(state=drawn).update(state=after.value, updated_at=clock.now()):
            return False
        # flat values_list returns plain values; tortoise types them as tuples (issue #1112)
        number: str = await tasks.first().values_list("number", flat=True)  # type: ignore[assignment]
        await audit.record(
            SYSTEM.label,
            "task.notify",
            "task",
            number,
            before={"state": drawn},
            after={"state": after.value},
            connection=conn,
        )
    return True


async def _team_accepted_if_complete(view: TaskView) -> None:
    members = await _current(view.task.id)
    if team_rules.all_accepted(rule_members(members)):
        await transition(SYSTEM, view, "team_accepted", {"members": rule_members(members)})


async def _current(task_id: int) -> list[TeamMember]:
    return list(
        await TeamMember.filter(task_id=task_id)
        .exclude(status=MemberStatus.RECUSED)
        .order_by("id")
        .prefetch_related("inspector")
    )


async def accept(actor: Actor, task_id: int, *, view: TaskView | None = None) -> str:
    """`view`: one loaded earlier, as a concurrent request holds it (tests of stale reads)."""
    view = view or await load_task(actor, task_id, purpose="accept")
    member = require_member(actor, view)
    if view.task.state == lifecycle.TaskState.DRAWN:
        await mark_notified(task_id)
        view = await load_task(SYSTEM, task_id)
    if member.status == MemberStatus.ACCEPTED:
        return view.task.state
    async with in_transaction():
        await transition(actor, view, "accept")
        await _set_member(member, MemberStatus.ACCEPTED, accepted_at=clock.now())
        await _team_accepted_if_complete(view)
    return view.task.state


async def _set_member(member: TeamMember, status: MemberStatus, **fields) -> None:
    """Conditional on the status we read: accepting twice, or an acceptance racing a recusal,
    leaves the second request with nothing to change, and its transaction rolls back."""
    fields.update(status=status, updated_at=clock.now())
    if not await TeamMember.filter(id=member.id, status=member.status).update(**fields):
        raise StaleState(
            f"{member.inspector.name} 的任务状态已被他人更改，请刷新后重试 "
            "(this member's status changed meanwhile; reload and try again)"
        )
    for field, value in fields.items():
        setattr(member, field, value)


async def declare_conflict(
    actor: Actor, task_id: int, reason: str, *, view: TaskView | None = None
) -> TeamMember:
    """The member steps aside; the next eligible inspector in the target's ticket order is
    drawn at once, told privately, and the amendment is appended to the draw record."""
    view = view or await load_task(actor, task_id, purpose="recusal")
    member = require_member(actor, view)
    return await _replace(actor, view, member, reason, "declare_conflict", own_conflict=True)


async def replace_member(
    actor: Actor, task_id: int, cert_no: str, reason: str
) -> TeamMember | None:
    """A coordinator replaces a member (e.g. a conflict learned otherwise); recorded the same."""
    view = await load_task(actor, task_id, purpose="replace")
    member = next((m for m in view.members if m.inspector.cert_no == cert_no), None)
    if member is None:
        raise UserError(f"执法证号 {cert_no} 不在该任务的检查组中 (not on this team)")
    return await _replace(actor, view, member, reason, "replace_member", own_conflict=False)


async def _replace(actor, view, member, reason, name, own_conflict) -> TeamMember:
    if view.task.state == lifecycle.TaskState.DRAWN:
        await mark_notified(view.task.id)
        view = await load_task(SYSTEM, view.task.id)
    # Checked first so that a refused recusal draws nobody and changes nothing.
    lifecycle.apply(view.task.state, name, lifecycle_role(actor, view), {"reason": reason})
    draw = await Draw.get(id=view.task.draw_id)
    record, chosen = amend_record(
        json.loads(draw.record),
        target=view.task.target.credit_code,
        replaced=member.inspector.cert_no,
        reason=reason,
        by=actor.label,
        at=clock.now().isoformat(timespec="seconds"),
    )
    person = await Inspector.get(cert_no=chosen.cert_no)
    async with in_transaction():
        await transition(actor, view, name, {"reason": reason}, data={
            "replaced": member.inspector.cert_no, "replacement": chosen.cert_no,
        })  # fmt: skip
        new_member = await TeamMember.create(
            task_id=view.task.id, inspector=person, role=member.role, ticket=chosen.ticket[:100]
        )
        await _set_member(
            member,
            MemberStatus.RECUSED,
            recusal_reason=reason.strip(),
            replaced_by_id=new_member.id,
        )
        await outbox.enqueue(
            RecipientKind.INSPECTOR,
            person.id,
            ASSIGNMENT,
            {"task_id": view.task.id, "campaign": view.campaign.code,
             "role": member.role.value, "replacement": True},
            dedupe_key=assignment_key(view.task.id, person.id),
        )  # fmt: skip
        if own_conflict:
            await Conflict.get_or_create(
                inspector_id=member.inspector_id,
                target_id=view.task.target_id,
                defaults={"reason": reason.strip()},
            )
        draw.record = canonical(record)
        draw.record_hash = record["record_hash"]
        await draw.save(update_fields=["record", "record_hash", "updated_at"])
        await audit.record(
            actor.label,
            "draw.amend",
            "campaign",
            view.campaign.code,
            after={"record_hash": draw.record_hash, "task": view.task.number},
        )
    return new_member
