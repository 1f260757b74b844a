"""An inspector's tasks as a program lists them: every task of theirs (open or not), filtered
by state, the open ones first, soonest due first, then the others, latest due first (else a
year's finished tasks would push the ones to do off the first page), a page at a time, and what
changed since a moment (for a field app keeping a copy). Only the page shown is loaded, through
the access rules, as one audited view (as lines: domain/tasks/lines.py); the ids and the
ordering come from their memberships."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from domain.calendar.deadlines import OPEN_TASK_STATES
from domain.errors import UserError
from domain.rules.access import Actor, Role
from domain.rules.ids import in_range
from domain.rules.lifecycle import TaskState
from domain.storage.models import Evidence, MemberStatus, Report, TeamMember
from domain.storage.plain_read import date_of
from domain.tasks.lines import TaskLine, load_lines

MAX_LIMIT = 100


@dataclass(frozen=True)
class TaskPage:
    tasks: list[TaskLine]
    next_cursor: str | None  # None: this was the last page


@dataclass(frozen=True)
class _Row:
    task_id: int
    due: dt.date
    number: str
    open: bool

    @property
    def group(self) -> str:
        return "o" if self.open else "c"

    @property
    def position(self) -> tuple[str, str, str]:
        return _position(self.group, self.due.isoformat(), self.number)


def _position(group: str, due: str, number: str) -> tuple[str, str, str]:
    """Where a task sorts: open ones ("o") by due date, the others ("c") by due date backwards
    (a date's digits each taken from 9), each then by number."""
    if group == "o":
        return "0", due, number
    return "1", due.translate(_BACKWARDS), number


_BACKWARDS = str.maketrans("0123456789", "9876543210")


class BadListing(UserError):
    """A listing parameter that cannot be used; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def parse_states(states: Collection[str]) -> list[str]:
    known = {s.value for s in TaskState}
    wrong = sorted(set(states) - known)
    if wrong:
        raise BadListing(
            "state",
            f"未知的任务状态「{wrong[0]}」(unknown state); 可用: {', '.join(sorted(known))}",
        )
    return sorted(set(states))


def _cursor(row: _Row) -> str:
    raw = f"{row.group}|{row.due.isoformat()}|{row.number}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(cursor: str) -> tuple[str, str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        group, due, number = raw.split("|", 2)
        dt.date.fromisoformat(due)
        if group not in ("o", "c"):
            raise ValueError(group)
    except ValueError:
        raise BadListing("cursor", "cursor 无效，请使用上一页返回的 next_cursor") from None
    return _position(group, due, number)


# Plain SQL with integers and known state names only (see domain/tasks/lines.py): the ORM's
# building of this query and its parsing of every date cost more than the page itself.
_ROWS_SQL = """SELECT m.task_id, t.due_date, t.number, t.state FROM team_member m
 JOIN task t ON t.id = m.task_id WHERE m.inspector_id = {inspector} AND m.status <> '{recused}'"""


async def _rows(actor: Actor, states: list[str]) -> list[_Row]:
    if actor.role != Role.INSPECTOR or actor.id is None or not in_range(actor.id):
        return []
    sql = _ROWS_SQL.format(inspector=int(actor.id), recused=MemberStatus.RECUSED.value)
    if states:  # parse_states let through only the names of TaskState
        sql += " AND t.state IN (" + ",".join(f"'{TaskState(s).value}'" for s in states) + ")"
    found = await TeamMember._meta.db.execute_query_dict(sql)
    rows = {
        r["task_id"]: _Row(
            r["task_id"], date_of(r["due_date"]), r["number"], r["state"] in OPEN_TASK_STATES
        )
        for r in found
    }
    return sorted(rows.values(), key=lambda r: r.position)


async def _changed(ids: list[int], since: dt.datetime) -> set[int]:
    """Tasks whose state, team, evidence or report changed after `since`."""
    if not ids:
        return set()
    changed: set[int] = set()
    for query in (
        TeamMember.filter(task_id__in=ids, task__updated_at__gt=since),
        TeamMember.filter(task_id__in=ids, updated_at__gt=since),
        Evidence.filter(task_id__in=ids, received_at__gt=since),
        Report.filter(task_id__in=ids, updated_at__gt=since),
    ):
        changed.update(await query.values_list("task_id", flat=True))  # type: ignore[arg-type]
    return changed


async def my_tasks(
    actor: Actor,
    *,
    states: Collection[str] = (),
    changed_since: dt.datetime | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> TaskPage:
    """A page of the tasks whose team the actor is on (not those they left): open ones by due
    date, then the others by due date backwards, each then by number; `cursor` continues after
    the previous page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadListing("limit", f"limit 应在 1 到 {MAX_LIMIT} 之间 (1 to {MAX_LIMIT})")
    rows = await _rows(actor, parse_states(states))
    if changed_since is not None:
        if changed_since.tzinfo is None:
            raise BadListing("changed_since", "changed_since 须带时区 (with a UTC offset)")
        changed = await _changed([r.task_id for r in rows], changed_since)
        rows = [r for r in rows if r.task_id in changed]
    if cursor:
        after = _after(cursor)
        rows = [r for r in rows if r.position > after]
    page, more = rows[:limit], len(rows) > limit
    lines = await load_lines(actor, [r.task_id for r in page], purpose="list")
    order = {r.task_id: i for i, r in enumerate(page)}
    lines.sort(key=lambda line: order[line.id])
    return TaskPage(lines, _cursor(page[-1]) if more else None)
