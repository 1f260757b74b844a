"""Tasks as a list shows them, read as plain rows: two queries (joins) and no model objects
for a page of tasks, under the same access rule and the same audit entry as `load_tasks`.

A page of 50 tasks loaded as models is some 350 objects (task, campaign, department, target,
members and their inspectors), and building them, their dates parsed one by one, was most of
what a list cost. A line holds what a list shows; a task opened alone is still a TaskView.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from domain.rules.access import Actor, Role, may_see_task
from domain.rules.ids import in_range
from domain.storage.models import CampaignStatus, MemberStatus, Task
from domain.storage.plain_read import date_of, moment_of
from domain.tasks.views import TASK_JOINS, TaskView, record_view

# Plain SQL holding integers and constants only, so that one text serves SQLite and PostgreSQL
# without placeholders; the ORM's conversion of each value was most of what is left.
_TASKS_SQL = f"""SELECT t.id, t.number, t.state, t.due_date, t.updated_at,
 c.code AS campaign_code, c.name AS campaign_name, c.status, d.path AS department_path,
 g.name AS target_name, g.credit_code, g.address, g.latitude, g.longitude
 FROM {TASK_JOINS} WHERE t.id IN ({{ids}}) ORDER BY t.id"""
_TEAM_SQL = """SELECT task_id, inspector_id, role, status FROM team_member
 WHERE task_id IN ({ids}) AND status <> '{recused}' ORDER BY id"""


@dataclass(frozen=True)
class TaskLine:
    id: int
    number: str
    state: str
    due_date: dt.date
    updated_at: dt.datetime | None
    campaign_code: str
    campaign_name: str
    target_name: str
    credit_code: str
    address: str
    latitude: float | None
    longitude: float | None
    my_role: str | None  # the reader's place on the team, when they are on it
    my_status: str | None


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))


def line_of(view: TaskView, actor: Actor) -> TaskLine:
    """The line of a task already loaded whole."""
    task, target, member = view.task, view.task.target, view.member_for(actor)
    return TaskLine(
        id=task.id,
        number=task.number,
        state=task.state,
        due_date=task.due_date,
        updated_at=task.updated_at,
        campaign_code=view.campaign.code,
        campaign_name=view.campaign.name,
        target_name=target.name,
        credit_code=target.credit_code,
        address=target.address or "",
        latitude=target.latitude,
        longitude=target.longitude,
        my_role=_text(member.role) if member else None,
        my_status=_text(member.status) if member else None,
    )


async def load_lines(actor: Actor, task_ids: Iterable[int], purpose: str) -> list[TaskLine]:
    """`load_tasks` as lines: those among `task_ids` that `actor` may see, in id order; one
    audit entry for the whole view when any of them is sealed."""
    ids = sorted(i for i in set(task_ids) if in_range(i))
    if not ids:
        return []
    listed = ",".join(str(int(i)) for i in ids)
    conn = Task._meta.db
    rows = await conn.execute_query_dict(_TASKS_SQL.format(ids=listed))
    team: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    recused = MemberStatus.RECUSED.value
    for member in await conn.execute_query_dict(_TEAM_SQL.format(ids=listed, recused=recused)):
        team[member["task_id"]].append(member)
    lines, sealed = [], []
    for row in rows:
        members_of = team[row["id"]]
        published = row["status"] == CampaignStatus.PUBLISHED.value
        ids_on_team = {m["inspector_id"] for m in members_of}
        if not may_see_task(actor, row["department_path"], published, ids_on_team):
            continue
        mine = None
        if actor.role == Role.INSPECTOR:
            mine = next((m for m in members_of if m["inspector_id"] == actor.id), None)
        lines.append(
            TaskLine(
                id=row["id"],
                number=row["number"],
                state=row["state"],
                due_date=date_of(row["due_date"]),
                updated_at=moment_of(row["updated_at"]),
                campaign_code=row["campaign_code"],
                campaign_name=row["campaign_name"],
                target_name=row["target_name"],
                credit_code=row["credit_code"],
                address=row["address"] or "",
                latitude=row["latitude"],
                longitude=row["longitude"],
                my_role=_text(mine["role"]) if mine else None,
                my_status=_text(mine["status"]) if mine else None,
            )
        )
        sealed.append((published, row["campaign_code"], row["number"]))
    await record_view(actor, sealed, purpose)
    return lines
