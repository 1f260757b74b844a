"""What awaits a coordinator's review: submitted reports and could-not-inspect claims in the
campaigns they run, oldest first. Loading them is a view of sealed data, audited as one."""

from __future__ import annotations

from domain.rules.access import Actor, Role, require_any_coordinator
from domain.rules.lifecycle import TaskState
from domain.storage.models import Task
from domain.tasks.views import TaskView, load_tasks

AWAITING_REVIEW = (TaskState.REPORT_SUBMITTED, TaskState.COULD_NOT_INSPECT)
MAX_QUEUE = 200


async def review_queue(actor: Actor, limit: int = MAX_QUEUE) -> list[TaskView]:
    """At most `limit` tasks awaiting review in the actor's department and those below, in the
    order they were last changed (the longest waiting first)."""
    require_any_coordinator(actor)
    query = Task.filter(state__in=[s.value for s in AWAITING_REVIEW])
    if actor.role != Role.SYSTEM:
        query = query.filter(campaign__department__path__startswith=actor.department_path)
    rows = query.order_by("updated_at", "id").limit(limit).values_list("id", flat=True)
    ids: list[int] = list(await rows)  # type: ignore[arg-type]  # flat values_list: plain values
    views = await load_tasks(actor, ids, purpose="review.queue")
    order = {task_id: n for n, task_id in enumerate(ids)}
    return sorted(views, key=lambda v: order[v.task.id])
