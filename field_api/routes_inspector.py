"""The inspector's reads: who am I, my tasks, one task, its notice.

    GET /api/v1/me                       the token's person
    GET /api/v1/tasks                    my tasks: ?state=&changed_since=&limit=&cursor=
    GET /api/v1/tasks/{task_id}          target, items, team, due date, state, evidence, report
    GET /api/v1/tasks/{task_id}/notice.pdf   the inspection notice (行政检查通知书)

The writes are in routes_inspector_actions.py, routes_inspector_evidence.py and
routes_inspector_report.py. What an actor may see is the domain's: a task they may not see is
a 404 exactly like one that does not exist, and each view of sealed data is one audit entry.
A list answers with an ETag: a client sending it back in If-None-Match gets 304 when nothing
in the page changed.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from aiohttp import web

from domain import clock
from domain.evidence.service import evidence_of
from domain.notice.service import task_notice_pdf
from domain.rules.report import validate_report
from domain.tasks import reporting
from domain.tasks.mine import MAX_LIMIT, BadListing, my_tasks
from domain.tasks.views import load_task, task_items
from field_api import openapi_parts as parts
from field_api.inspector_io import (
    actor_of,
    evidence_json,
    handled,
    items_of,
    json_answer,
    json_text,
    report_json,
    task_id_of,
    task_summary,
    team_of,
    view_summary,
)
from field_api.keys import SETTINGS
from field_api.middleware import body_tag

LIMIT_DIGITS = re.compile(r"[0-9]{1,6}", re.ASCII)
ME = "/api/v1/me"
TASKS = "/api/v1/tasks"
TASK = "/api/v1/tasks/{task_id}"
NOTICE = "/api/v1/tasks/{task_id}/notice.pdf"


async def me(request: web.Request) -> web.Response:
    actor = actor_of(request)
    return json_answer(
        {
            "role": actor.role.value,
            "id": actor.id,
            "name": actor.name,
            "cert_no": actor.cert_no or None,
            "department_path": actor.department_path or None,
        }
    )


def _limit(raw: str | None) -> int:
    if raw is None:
        return 50
    if not LIMIT_DIGITS.fullmatch(raw):  # ASCII: int() would read "١", and fail on "²"
        raise BadListing("limit", f"limit 应为 1 到 {MAX_LIMIT} 的整数 (an integer)")
    return int(raw)


def _since(raw: str | None) -> dt.datetime | None:
    if raw is None:
        return None
    try:
        return dt.datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise BadListing(
            "changed_since", "changed_since 应为带时区的 ISO 8601 时间 (ISO 8601 with offset)"
        ) from None


async def tasks(request: web.Request) -> web.StreamResponse:
    actor, query = actor_of(request), request.query
    as_of = clock.now()  # read before the page: a change made meanwhile is in the next sync
    states = [s for value in query.getall("state", []) for s in value.split(",") if s]
    page = await my_tasks(
        actor,
        states=states,
        changed_since=_since(query.get("changed_since")),
        cursor=query.get("cursor") or None,
        limit=_limit(query.get("limit")),
    )
    # Encoded once: the tag is of the page (not of as_of, which is new every time).
    listed = json_text([task_summary(line) for line in page.tasks])
    cursor = json_text(page.next_cursor)
    tag = '"' + body_tag(f"{listed},{cursor}".encode()) + '"'
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return web.Response(status=304, headers=headers)
    body = f'{{"tasks": {listed}, "next_cursor": {cursor}, "as_of": "{as_of.isoformat()}"}}'
    return web.Response(text=body, content_type="application/json", headers=headers)


async def task(request: web.Request) -> web.Response:
    actor = actor_of(request)
    view = await load_task(actor, task_id_of(request), purpose="view")
    report = await reporting.report_of(view)
    report_body = None
    if report is not None:
        signed, awaiting = await reporting.awaiting_signatures(view, report)
        problems = [str(e) for e in validate_report(report.data)]
        report_body = report_json(report, signed, awaiting, view, problems)
    checkin = None
    if view.task.checkin_at is not None:
        checkin = {
            "at": view.task.checkin_at.isoformat(),
            "lat": view.task.checkin_latitude,
            "lon": view.task.checkin_longitude,
        }
    body = {
        **view_summary(view, actor),
        "state_reason": view.task.state_reason,
        "period_start": view.campaign.start_date.isoformat(),
        "items": items_of(await task_items(view)),
        "team": team_of(view, actor),
        "check_in": checkin,
        "evidence": [evidence_json(e, view) for e in await evidence_of(view)],
        "report": report_body,
        "notice_pdf": NOTICE.format(task_id=view.task.id),
    }
    return json_answer(body, headers={"Cache-Control": "private, no-store"})


async def notice(request: web.Request) -> web.Response:
    font = request.app[SETTINGS].font_path
    name, pdf = await task_notice_pdf(actor_of(request), task_id_of(request), font)
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


def setup(app: web.Application) -> None:
    app.router.add_get(ME, handled(me))
    app.router.add_get(TASKS, handled(tasks))
    app.router.add_get(TASK, handled(task))
    app.router.add_get(NOTICE, handled(notice))


_TASK_ID = parts.task_id_parameter()
OPENAPI_PATHS = {
    ME: {
        "get": parts.operation(
            "me", "Who the token acts as", {"200": parts.json_response("The person", "Me")}
        )
    },
    TASKS: {
        "get": parts.operation(
            "listTasks",
            "My tasks: the open ones soonest due first, then the others latest due first; a page "
            "at a time",
            {
                "200": parts.json_response("A page of tasks (with an ETag)", "TaskPage"),
                "304": {"description": "Not modified since the ETag sent in If-None-Match"},
                "400": parts.problem("A query parameter is wrong: see invalid_params"),
            },
            parameters=[
                parts.query("state", "Only tasks in these states (repeat or comma-separate)"),
                parts.query(
                    "changed_since",
                    "Only tasks changed after this ISO 8601 moment "
                    "(use the previous answer's as_of)",
                ),
                parts.query("limit", f"Page size, 1 to {MAX_LIMIT} (default 50)", "integer"),
                parts.query("cursor", "The previous page's next_cursor"),
            ],
        )
    },
    TASK: {
        "get": parts.operation(
            "getTask",
            "One task: target, items, team, due date, state, evidence and report",
            {"200": parts.json_response("The task", "TaskDetail"), "404": parts.NOT_FOUND},
            parameters=[_TASK_ID],
        )
    },
    NOTICE: {
        "get": parts.operation(
            "getTaskNotice",
            "The task's inspection notice (行政检查通知书) as PDF",
            {
                "200": {
                    "description": "The PDF",
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                    },
                },
                "404": parts.NOT_FOUND,
            },
            parameters=[_TASK_ID],
        )
    },
}

OPENAPI_SCHEMAS = {
    "Me": {
        "type": "object",
        "properties": {
            "role": {"type": "string", "enum": ["inspector", "coordinator"]},
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "cert_no": {"type": ["string", "null"]},
            "department_path": {"type": ["string", "null"]},
        },
    },
    "State": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "zh": {"type": "string"},
            "en": {"type": "string"},
        },
    },
    "TaskSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "string"},
            "state": {"$ref": "#/components/schemas/State"},
            "due_date": {"type": "string", "format": "date"},
            "campaign": {"type": "object"},
            "target": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "credit_code": {"type": "string"},
                    "address": {"type": "string"},
                    "position": {"type": ["object", "null"]},
                },
            },
            "my_role": {"type": ["string", "null"]},
            "my_status": {"type": ["string", "null"]},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "TaskPage": {
        "type": "object",
        "properties": {
            "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/TaskSummary"}},
            "next_cursor": {"type": ["string", "null"]},
            "as_of": {
                "type": "string",
                "format": "date-time",
                "description": "pass as changed_since next time",
            },
        },
    },
    "TaskDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/TaskSummary"},
            {
                "type": "object",
                "properties": {
                    "items": {"type": "array", "items": {"type": "object"}},
                    "team": {"type": "array", "items": {"type": "object"}},
                    "check_in": {"type": ["object", "null"]},
                    "evidence": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Evidence"},
                    },
                    "report": {
                        "oneOf": [{"$ref": "#/components/schemas/Report"}, {"type": "null"}]
                    },
                    "notice_pdf": {"type": "string"},
                },
            },
        ]
    },
}
