"""On site: check-in, or the outcome that the inspection could not take place; cancellation."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from domain import clock
from domain.errors import UserError
from domain.messaging import outbox
from domain.rules.access import Actor
from domain.storage.models import RecipientKind, Report
from domain.tasks import closing
from domain.tasks.common import reviewers, transition
from domain.tasks.views import load_task

# The outbox kinds that ask the coordinators to review a could-not-inspect claim, and that tell
# the rest of the team their leader made it.
UNABLE_KIND = "task.could_not_inspect"
UNABLE_TEAM_KIND = "task.could_not_inspect.team"


async def check_in(
    actor: Actor, task_id: int, latitude: float | None = None, longitude: float | None = None
) -> str:
    view = await load_task(actor, task_id, purpose="check_in")
    if (latitude is None) != (longitude is None):
        raise UserError("签到位置须同时有纬度和经度 (latitude and longitude together)")
    if (latitude is not None and not -90 <= latitude <= 90) or (
        longitude is not None and not -180 <= longitude <= 180
    ):
        raise UserError(
            "签到位置超出范围：纬度 −90 至 90，经度 −180 至 180 (position out of range)"
        )
    async with in_transaction():
        await transition(actor, view, "check_in", data={"lat": latitude, "lon": longitude})
        view.task.checkin_at = clock.now()
        view.task.checkin_latitude = latitude
        view.task.checkin_longitude = longitude
        await view.task.save(
            update_fields=["checkin_at", "checkin_latitude", "checkin_longitude", "updated_at"]
        )
    return view.task.state


async def could_not_inspect(actor: Actor, task_id: int, reason: str, categories: list[str]) -> str:
    """E.g. 6 (cannot be reached at the registered address), 7 (closed), 8 (uncooperative)."""
    view = await load_task(actor, task_id, purpose="could_not_inspect")
    async with in_transaction() as conn:
        await transition(
            actor,
            view,
            "declare_could_not_inspect",
            {"reason": reason, "categories": categories},
            data={"categories": categories},
        )
        report, _ = await Report.get_or_create(task_id=task_id)
        report.data = {**report.data, "result_categories": categories, "content": reason}
        report.completed_on = clock.today()
        await report.save()
        await _tell_coordinators(view, report.revision, conn)
        await _tell_team(actor, view, reason, categories, conn)
    return view.task.state


async def _tell_team(actor: Actor, view, reason: str, categories: list[str], conn) -> None:
    """The others on the team learn it privately: they can no longer add evidence or a report.
    The reason travels in the payload: a later decision rewrites the report's."""
    at, declarer = clock.now().isoformat(), view.member_for(actor)
    for member in view.members:
        if member is declarer:
            continue
        await outbox.enqueue(
            RecipientKind.INSPECTOR,
            member.inspector_id,
            UNABLE_TEAM_KIND,
            {"task_id": view.task.id, "reason": reason, "categories": categories,
             "by": actor.name},
            dedupe_key=f"{UNABLE_TEAM_KIND}:{view.task.id}:{at}:{member.inspector_id}",
            connection=conn,
        )  # fmt: skip


async def _tell_coordinators(view, revision: int, conn) -> None:
    """The claim awaits their review like a submitted report: told with the declaration."""
    # Rejected, reopened and declared again keeps the revision: the time keeps claims apart.
    task_id, at = view.task.id, clock.now().isoformat()
    for coordinator_id in await reviewers(view, conn):
        await outbox.enqueue(
            RecipientKind.COORDINATOR,
            coordinator_id,
            UNABLE_KIND,
            {"task_id": task_id, "revision": revision},
            dedupe_key=f"{UNABLE_KIND}:{task_id}:{revision}:{at}:{coordinator_id}",
            connection=conn,
        )


async def cancel(actor: Actor, task_id: int, reason: str) -> str:
    view = await load_task(actor, task_id, purpose="cancel")
    async with in_transaction():
        await transition(actor, view, "cancel", {"reason": reason}, data={"reason": reason})
        await closing.complete_if_done(actor, view.campaign)
    return view.task.state
