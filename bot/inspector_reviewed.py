"""The team hears that a coordinator returned (退回) or rejected (驳回) their report, with the
coordinator's reason: outbox kinds recorded by domain/tasks/reporting.py with the decision.

The message is sent even if the team has moved on meanwhile (it is the record of a decision,
not a request), but only to someone who is still on the team: the task is loaded as the
recipient, so the domain's access rule decides. It carries task data, hence protected.
"""

from __future__ import annotations

from bot.i18n import t
from bot.inspector_tasks import recipient_actor, task_name
from bot.render import Outgoing, Rendered, renderer
from domain.errors import PermissionDenied
from domain.task_access import load_task
from domain.tasks.reporting import TEAM_NOTICE

_TEXTS = {TEAM_NOTICE["return"]: "reviewed.returned", TEAM_NOTICE["reject"]: "reviewed.rejected"}


@renderer(TEAM_NOTICE["return"])
@renderer(TEAM_NOTICE["reject"])
async def reviewed(out: Outgoing) -> Rendered | None:
    actor = await recipient_actor(out)
    try:
        view = await load_task(actor, int(out.payload["task_id"]), purpose="review.notice")
    except PermissionDenied:
        return None
    if view.member_for(actor) is None:
        return None
    text = t(
        out.lang,
        _TEXTS[out.kind],
        name=task_name(view, out.lang),
        revision=out.payload.get("revision", 0),
        by=out.payload.get("by") or "",
        comments=out.payload.get("comments") or "—",
    )
    return Rendered(text, protect_content=True)
