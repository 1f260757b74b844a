"""The inspector's writes on a task, other than evidence uploads and the report.

    POST /api/v1/tasks/{task_id}/accept               accept the assignment
    POST /api/v1/tasks/{task_id}/recuse               {"reason"}: declare a conflict (回避)
    POST /api/v1/tasks/{task_id}/check-in             {"lat", "lon"}: on site
    POST /api/v1/tasks/{task_id}/notes                {"text", "kind"?, "source"?, "lat"?, "lon"?}
    POST /api/v1/tasks/{task_id}/could-not-inspect    {"reason", "categories"}: 无法检查

Each is the domain's use case, as the chat calls it; each accepts an Idempotency-Key.
"""

from __future__ import annotations

import hashlib
import uuid

from aiohttp import web

from domain.evidence import service as evidence_service
from domain.storage.models import EvidenceKind
from domain.tasks import team, visit
from field_api import openapi_parts as parts
from field_api.inspector_io import (
    IDEMPOTENCY_HEADER,
    actor_of,
    evidence_json,
    handled,
    idempotent,
    json_body,
    number_member,
    request_fingerprint,
    state_of,
    task_id_of,
    text_member,
)
from field_api.problems import BadRequest

BASE = "/api/v1/tasks/{task_id}"
ACCEPT, RECUSE, CHECK_IN = BASE + "/accept", BASE + "/recuse", BASE + "/check-in"
NOTES, UNABLE = BASE + "/notes", BASE + "/could-not-inspect"
NOTE_KINDS = [k.value for k in EvidenceKind if k != EvidenceKind.PHOTO]


def evidence_key(request: web.Request) -> str:
    """The evidence's own idempotency key (unique over every channel): from the request's
    key and its person, so a retry finds the evidence even if its answer was never kept."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return f"api:{uuid.uuid4().hex}"
    owner = actor_of(request).label
    return "api:" + hashlib.sha256(f"{owner}\n{key.strip()}".encode()).hexdigest()[:64]


async def accept(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    _, raw = await json_body(request, set())

    async def run():
        state = await team.accept(actor, task_id)
        return 200, {"task_id": task_id, "state": state_of(state)}

    return await idempotent(request, request_fingerprint(request, raw), run)


async def recuse(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, {"reason"})
    reason = text_member(body, "reason", max_len=2000)

    async def run():
        await team.declare_conflict(actor, task_id, reason)
        # The task now belongs to the replacement's team: the answer says no more about it.
        return 200, {"task_id": task_id, "recused": True}

    return await idempotent(request, request_fingerprint(request, raw), run)


async def check_in(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, {"lat", "lon"})
    lat, lon = number_member(body, "lat"), number_member(body, "lon")

    async def run():
        state = await visit.check_in(actor, task_id, lat, lon)
        return 200, {"task_id": task_id, "state": state_of(state), "lat": lat, "lon": lon}

    return await idempotent(request, request_fingerprint(request, raw), run)


async def add_note(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, {"text", "kind", "source", "lat", "lon"})
    text = text_member(body, "text")
    kind = body.get("kind", EvidenceKind.NOTE.value)
    if kind not in NOTE_KINDS:
        raise BadRequest("kind", f"kind 应为 {', '.join(NOTE_KINDS)} 之一，收到 {kind!r}")
    source = text_member(body, "source", required=False, max_len=2000)
    lat, lon = number_member(body, "lat"), number_member(body, "lon")
    if (lat is None) != (lon is None):
        raise BadRequest("lat", "lat 和 lon 须同时给出 (lat and lon together)")
    key = evidence_key(request)

    async def run():
        note = await evidence_service.add_note(
            actor,
            task_id,
            kind,
            text,
            idempotency_key=key,
            source=source,
            latitude=lat,
            longitude=lon,
            channel="api",
        )
        return 201, {**evidence_json(note), "author": actor.name, "task_number": note.task.number}

    return await idempotent(request, request_fingerprint(request, raw), run)


async def could_not_inspect(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, {"reason", "categories"})
    reason = text_member(body, "reason", max_len=4000)
    categories = body.get("categories")
    if isinstance(categories, str):
        categories = [categories]
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise BadRequest("categories", 'categories 应为结果类别代码的列表，如 ["7"] (a list)')

    async def run():
        state = await visit.could_not_inspect(actor, task_id, reason, categories)
        return 200, {"task_id": task_id, "state": state_of(state), "categories": categories}

    return await idempotent(request, request_fingerprint(request, raw), run)


def setup(app: web.Application) -> None:
    for path, handler in (
        (ACCEPT, accept),
        (RECUSE, recuse),
        (CHECK_IN, check_in),
        (NOTES, add_note),
        (UNABLE, could_not_inspect),
    ):
        app.router.add_post(path, handled(handler))


_DONE = parts.json_response("Done: the task's state now", "TaskChange")
OPENAPI_PATHS = {
    ACCEPT: {"post": parts.write("acceptTask", "Accept the assignment", _DONE)},
    RECUSE: {
        "post": parts.write(
            "recuse",
            "Declare a conflict of interest (回避): a replacement is drawn at once",
            parts.json_response("Recused: the task is no longer yours", "TaskChange"),
            body=parts.json_body("Recusal"),
        )
    },
    CHECK_IN: {
        "post": parts.write("checkIn", "Check in on site", _DONE, body=parts.json_body("CheckIn"))
    },
    NOTES: {
        "post": parts.write(
            "addNote",
            "Add a written note (现场情况, 问题, 询问笔录, 书证物证 with its source, 记录)",
            parts.json_response("The note as recorded", "Evidence"),
            body=parts.json_body("Note"),
            status="201",
        )
    },
    UNABLE: {
        "post": parts.write(
            "couldNotInspect",
            "The team leader declares the inspection could not take place (无法检查)",
            _DONE,
            body=parts.json_body("CouldNotInspect"),
        )
    },
}

OPENAPI_SCHEMAS = {
    "TaskChange": {
        "type": "object",
        "properties": {
            "task_id": {"type": "integer"},
            "state": {"$ref": "#/components/schemas/State"},
        },
    },
    "Recusal": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reason"],
        "properties": {"reason": {"type": "string", "description": "the conflict of interest"}},
    },
    "CheckIn": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
    },
    "Note": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {"type": "string"},
            "kind": {"type": "string", "enum": NOTE_KINDS, "default": "note"},
            "source": {"type": "string", "description": "required for a document"},
            "lat": {"type": "number"},
            "lon": {"type": "number"},
        },
    },
    "CouldNotInspect": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reason", "categories"],
        "properties": {
            "reason": {"type": "string"},
            "categories": {
                "type": "array",
                "items": {"type": "string", "enum": ["6", "7", "8", "9", "10", "11", "12"]},
            },
        },
    },
}
