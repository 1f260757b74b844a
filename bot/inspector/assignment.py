"""What inspectors are sent through the outbox: the assignment of a task (with Accept /
Declare conflict buttons; the notice PDF follows it, queued by the domain when the assignment
is recorded as delivered and rendered by bot/inspector/notice.py) and the task and follow-up
reminders.

Each renderer acts as the recipient: the task is loaded with their Actor, so the domain's
access rules decide what they may read (and the view of sealed data is audited). A recipient
who may no longer see the task (replaced, say) is sent nothing. Every message here carries
task data and is protected (Rendered's default).
"""

from __future__ import annotations

from bot.delivery.render import Button, Outgoing, Rendered, Renderer
from bot.i18n import t
from bot.inspector.tasks import my_open_tasks, recipient_actor, state_label, task_name
from domain.errors import PermissionDenied
from domain.messaging.kinds import ASSIGNMENT
from domain.notice.service import notice_data
from domain.rules.access import Actor
from domain.tasks import closing
from domain.tasks.views import TaskView, load_task


def _buttons(lang: str, task_id: int) -> tuple[Button, Button]:
    return (
        Button(t(lang, "btn.accept"), f"i:acc:{task_id}"),
        Button(t(lang, "btn.conflict"), f"i:cfl:{task_id}"),
    )


# -- the assignment ------------------------------------------------------------------------


async def assignment(out: Outgoing) -> Rendered | None:
    actor = await recipient_actor(out)
    try:
        view = await load_task(actor, out.payload["task_id"], purpose="assignment")
    except PermissionDenied:
        return None
    member = view.member_for(actor)
    if member is None:
        return None
    lang = out.lang
    data = await notice_data(view)
    sep = ", " if lang == "en" else "、"
    team_names = sep.join(
        t(
            lang,
            "assign.member",
            name=m.inspector.name,
            role=t(lang, f"member.{m.role}"),
            you=t(lang, "assign.you") if m.id == member.id else "",
        )
        for m in view.members
    )
    parts = [
        t(
            lang,
            "assign.text",
            number=view.task.number,
            campaign=view.campaign.name,
            campaign_code=view.campaign.code,
            target=data.target.name,
            credit_code=data.target.credit_code,
            address=data.target.address or "—",
            items="\n".join(f"· {item.name}" for item in data.items),
            start=data.period_start.isoformat(),
            due=data.period_end.isoformat(),
            role=t(lang, f"member.{member.role}"),
            team=team_names,
        )
    ]
    if out.payload.get("replacement"):
        parts.append(t(lang, "assign.replacement"))
    parts += [t(lang, "assign.ask"), t(lang, "assign.secret")]
    return Rendered("\n\n".join(parts), buttons=(_buttons(lang, view.task.id),))


# -- reminders -----------------------------------------------------------------------------


def _subject(out: Outgoing) -> tuple[str, int]:
    reminder = out.payload.get("reminder") or {}
    return reminder.get("subject_kind", ""), int(reminder.get("subject_id", 0))


async def _my_tasks(out: Outgoing, actor: Actor, assigned_only: bool = False) -> list[TaskView]:
    """The recipient's open tasks the reminder is about, read as one audited view."""
    kind, subject_id = _subject(out)
    return await my_open_tasks(
        actor,
        subject_id if kind == "campaign" else None,
        task_id=subject_id if kind == "task" else None,
        assigned_only=assigned_only,
        purpose="reminder",
    )


def _lines(views: list[TaskView], lang: str) -> str:
    return "\n".join(
        t(lang, "remind.line", name=task_name(v, lang), state=state_label(v.task.state, lang))
        for v in views
    )


async def remind_accept(out: Outgoing) -> Rendered | None:
    views = await _my_tasks(out, await recipient_actor(out), assigned_only=True)
    if not views:
        return None
    text = t(out.lang, "remind.accept", tasks=_lines(views, out.lang))
    buttons = tuple(_buttons(out.lang, v.task.id) for v in views[:10])
    return Rendered(text, buttons=buttons)


async def _remind_due(out: Outgoing, days: int) -> Rendered | None:
    views = await _my_tasks(out, await recipient_actor(out))
    if not views:
        return None
    due = out.payload.get("due_date", "")
    return Rendered(t(out.lang, "remind.due", due=due, days=days, tasks=_lines(views, out.lang)))


async def remind_due3(out: Outgoing) -> Rendered | None:
    return await _remind_due(out, 3)


async def remind_due1(out: Outgoing) -> Rendered | None:
    return await _remind_due(out, 1)


async def remind_overdue(out: Outgoing) -> Rendered | None:
    """The team's. The kind reaches coordinators too: bot/renderers.py gives each audience
    its own renderer of it."""
    views = await _my_tasks(out, await recipient_actor(out))
    if not views:
        return None
    due = out.payload.get("due_date", "")
    return Rendered(t(out.lang, "remind.overdue", due=due, tasks=_lines(views, out.lang)))


async def _remind_followup(out: Outgoing, when: str) -> Rendered | None:
    _, followup_id = _subject(out)
    followup = await closing.open_followup(followup_id)
    if followup is None:
        return None
    try:
        view = await load_task(await recipient_actor(out), followup.task_id, purpose="reminder")
    except PermissionDenied:
        return None
    text = t(
        out.lang,
        "remind.followup",
        name=task_name(view, out.lang),
        due=out.payload.get("due_date", ""),
        when=t(out.lang, f"remind.when.{when}"),
        what=followup.what or "—",
    )
    return Rendered(text)


async def remind_followup_due1(out: Outgoing) -> Rendered | None:
    return await _remind_followup(out, "tomorrow")


async def remind_followup_due0(out: Outgoing) -> Rendered | None:
    return await _remind_followup(out, "today")


# "task.overdue" is not here: remind_overdue is its inspectors' part (bot/renderers.py).
RENDERERS: dict[str, Renderer] = {
    ASSIGNMENT: assignment,
    "task.accept": remind_accept,
    "task.due3": remind_due3,
    "task.due1": remind_due1,
    "followup.due1": remind_followup_due1,
    "followup.due0": remind_followup_due0,
}
