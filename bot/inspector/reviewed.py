"""The team hears that a coordinator approved (审核通过), returned (退回) or rejected (驳回) their
report, with the coordinator's comments and, after an approval, the follow-up still open: outbox
kinds recorded by domain/tasks/reporting.py with the decision; and
that their leader declared the task could not be inspected (domain/tasks/visit.py).

The message is sent even if the team has moved on meanwhile (it is the record of a decision,
not a request), but only to someone who is still on the team: the task is loaded as the
recipient, so the domain's access rule decides. It carries task data, hence protected.
"""

from __future__ import annotations

from bot.delivery.render import Outgoing, Rendered, Renderer
from bot.i18n import t
from bot.inspector.tasks import recipient_actor, task_name
from domain.errors import PermissionDenied
from domain.rules.lifecycle import TaskState
from domain.rules.report import FOLLOW_UP_LABELS, RESULT_CATEGORIES, FollowUpAction
from domain.tasks.reporting import TEAM_NOTICE
from domain.tasks.views import load_task
from domain.tasks.visit import UNABLE_TEAM_KIND

_TEXTS = {TEAM_NOTICE["return"]: "reviewed.returned", TEAM_NOTICE["reject"]: "reviewed.rejected"}


async def _member_view(out: Outgoing):
    actor = await recipient_actor(out)
    try:
        view = await load_task(actor, int(out.payload["task_id"]), purpose="review.notice")
    except PermissionDenied:
        return None
    return view if view.member_for(actor) is not None else None


async def leader_declared(out: Outgoing) -> Rendered | None:
    """The leader told the coordinators the task could not be inspected: the others hear it."""
    view = await _member_view(out)
    if view is None:
        return None
    sep = ", " if out.lang == "en" else "、"
    categories = sep.join(
        f"{c} {RESULT_CATEGORIES[c][1 if out.lang == 'en' else 0]}" if c in RESULT_CATEGORIES else c
        for c in out.payload.get("categories") or ()
    )
    text = t(
        out.lang,
        "unable.team",
        name=task_name(view, out.lang),
        by=out.payload.get("by") or "",
        category=categories or "—",
        reason=out.payload.get("reason") or "—",
    )
    return Rendered(text, protect_content=True)


async def reviewed(out: Outgoing) -> Rendered | None:
    view = await _member_view(out)
    if view is None:
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


async def approved(out: Outgoing) -> Rendered | None:
    view = await _member_view(out)
    if view is None:
        return None
    unable = out.payload.get("claim") == TaskState.COULD_NOT_INSPECT
    head = t(
        out.lang,
        "reviewed.approved_unable" if unable else "reviewed.approved",
        name=task_name(view, out.lang),
        revision=out.payload.get("revision", 0),
        by=out.payload.get("by") or "",
        comments=out.payload.get("comments") or "—",
        completed_on=out.payload.get("completed_on") or "—",
    )
    if unable:
        return Rendered(head, protect_content=True)
    return Rendered(f"{head}\n{_followup_text(out.lang, out.payload.get('follow_up'))}")


def _followup_text(lang: str, followup: dict | None) -> str:
    if not followup:
        return t(lang, "reviewed.no_followup")
    try:
        zh, en = FOLLOW_UP_LABELS[FollowUpAction(followup.get("action"))]
    except ValueError:
        zh = en = str(followup.get("action") or "")
    due = followup.get("deadline")
    return t(
        lang,
        "reviewed.followup",
        action=en if lang == "en" else zh,
        deadline=t(lang, "reviewed.followup_deadline", due=due) if due else "",
        what=followup.get("what") or "—",
    )


RENDERERS: dict[str, Renderer] = {
    UNABLE_TEAM_KIND: leader_declared,
    TEAM_NOTICE["approve"]: approved,
    TEAM_NOTICE["return"]: reviewed,
    TEAM_NOTICE["reject"]: reviewed,
}
