"""What the inspector routes share: reading a request, answering with problem details,
idempotent writes, and how a task, a team member, evidence and a report read as JSON.

Refusals are the domain's: a task one may not see is a 404 like one that does not exist
(NotYours), a transition that may not happen now or a concurrent change is a 409, a refused
photo or a reused idempotency key a 422.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from domain.errors import StaleState, UserError
from domain.evidence import PhotoRejected
from domain.evidence.service import EvidenceClosed
from domain.people import idempotency
from domain.rules.access import Actor, NotYours
from domain.rules.lifecycle import TaskState, TransitionRefused
from domain.storage.models import Evidence, EvidenceKind, InspectionItem, Report
from domain.tasks.lines import TaskLine, line_of
from domain.tasks.mine import BadListing
from domain.tasks.views import TaskView
from field_api import validate
from field_api.keys import ACTOR, OUTBOX_WAKE
from field_api.problems import BadRequest, for_error, problem

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_JSON = 256 * 1024


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def json_answer(body: Any, status: int = 200, headers: dict[str, str] | None = None):
    return web.json_response(body, status=status, dumps=json_text, headers=headers)


def refusal(exc: UserError) -> web.Response:
    """The problem details for a refusal of the domain's."""
    if isinstance(exc, BadListing):
        exc = BadRequest(exc.field, str(exc))
    if isinstance(exc, idempotency.KeyReused):
        return problem(422, "幂等键已被使用", str(exc))
    if isinstance(exc, PhotoRejected):
        status = 413 if exc.code == "too_large" else 422
        return problem(
            status, "文件被拒收", exc.message_zh, code=exc.code, detail_en=exc.message_en
        )
    if isinstance(exc, EvidenceClosed):
        return problem(409, "任务不接收现场记录", str(exc), state=exc.state.value)
    if isinstance(exc, TransitionRefused):
        return problem(
            409, "当前状态不允许此操作", str(exc), state=exc.state.value, next_steps=exc.next_steps
        )
    if isinstance(exc, StaleState):
        return problem(409, "任务已被他人更改", str(exc))
    return for_error(exc)


def handled(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except UserError as exc:
            return refusal(exc)

    wrapped.__name__ = handler.__name__
    wrapped.__doc__ = handler.__doc__
    return wrapped


def actor_of(request: web.Request) -> Actor:
    return request[ACTOR]


def task_id_of(request: web.Request) -> int:
    """The path's task id; one that is not a number is a task that does not exist."""
    task_id = validate.path_id(request, "task_id")
    if task_id is None:
        raise NotYours()
    return task_id


async def json_body(request: web.Request, allowed: set[str]) -> tuple[dict[str, Any], bytes]:
    """The JSON object of the body (an empty body is {}), with its raw bytes for the
    idempotency fingerprint."""
    body, raw = await validate.read_json(request, MAX_JSON, empty_ok=True)
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise BadRequest(unknown[0], f"未知字段「{unknown[0]}」(unknown member)")
    return body, raw


def text_member(body: dict[str, Any], name: str, *, required: bool = True, max_len: int = 10_000):
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadRequest(name, f"{name} 应为非空文本 (non-empty text)")
    if len(value) > max_len:
        raise BadRequest(name, f"{name} 最多 {max_len} 个字符 (at most {max_len} characters)")
    return value.strip()


def number_member(body: dict[str, Any], name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRequest(name, f"{name} 应为数字 (a number)")
    return float(value)


async def idempotent(
    request: web.Request,
    fingerprint: str,
    action: Callable[[], Awaitable[tuple[int, Any]]],
    *,
    atomic: bool = True,
) -> web.Response:
    """Run a write once per Idempotency-Key (per person): a retry gets the first answer."""

    async def run() -> idempotency.Answer:
        status, body = await action()
        return idempotency.Answer(status, body)

    key = request.headers.get(IDEMPOTENCY_HEADER)
    answer = await idempotency.once(actor_of(request), key, fingerprint, run, atomic=atomic)
    if answer.kept and not answer.replayed:
        request.app[OUTBOX_WAKE]()
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    return json_answer(answer.body, answer.status, headers)


def request_fingerprint(request: web.Request, *parts: str | bytes) -> str:
    return idempotency.fingerprint(request.method, request.path, *parts)


# -- how things read -----------------------------------------------------------------------


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def state_of(state: str) -> dict[str, str]:
    s = TaskState(state)
    return {"code": s.value, "zh": s.label_zh, "en": s.label_en}


def task_summary(line: TaskLine) -> dict[str, Any]:
    position = None
    if line.latitude is not None and line.longitude is not None:
        position = {"lat": line.latitude, "lon": line.longitude}
    return {
        "id": line.id,
        "number": line.number,
        "state": state_of(line.state),
        "due_date": line.due_date.isoformat(),
        "campaign": {"code": line.campaign_code, "name": line.campaign_name},
        "target": {
            "name": line.target_name,
            "credit_code": line.credit_code,
            "address": line.address,
            "position": position,
        },
        "my_role": line.my_role,
        "my_status": line.my_status,
        "updated_at": _iso(line.updated_at),
    }


def view_summary(view: TaskView, actor: Actor) -> dict[str, Any]:
    return task_summary(line_of(view, actor))


def team_of(view: TaskView, actor: Actor) -> list[dict[str, Any]]:
    return [
        {
            "member_id": m.id,
            "name": m.inspector.name,
            "cert_no": m.inspector.cert_no,
            "role": m.role.value,
            "status": m.status.value,
            "me": m.inspector_id == actor.id,
        }
        for m in view.members
    ]


def items_of(items: list[InspectionItem]) -> list[dict[str, Any]]:
    return [
        {"code": i.code, "name": i.name, "legal_basis": i.legal_basis, "content": i.content}
        for i in items
    ]


def evidence_json(evidence: Evidence, view: TaskView | None = None) -> dict[str, Any]:
    names = {m.inspector_id: m.inspector.name for m in view.members} if view else {}
    position = None
    if evidence.latitude is not None and evidence.longitude is not None:
        position = {"lat": evidence.latitude, "lon": evidence.longitude}
    return {
        "id": evidence.id,
        "kind": EvidenceKind(evidence.kind).value,
        "text": evidence.text,
        "source": evidence.source,
        "author_id": evidence.author_id,
        "author": names.get(evidence.author_id),
        "received_at": _iso(evidence.received_at),
        "position": position,
        "sha256": evidence.photo_sha256,
        "photo": evidence.photo,
        "anomalies": evidence.anomalies or [],
        "file_name": evidence.file_name,
        "channel": evidence.channel,
    }


def report_json(
    report: Report, signed: set[int], awaiting: list[str], view: TaskView, problems: list
) -> dict[str, Any]:
    return {
        "revision": report.revision,
        "fields": report.data,
        "drafted_by": report.drafted_by,
        "updated_at": _iso(report.updated_at),
        "submitted_at": _iso(report.submitted_at),
        "signed_by": [m.inspector.name for m in view.members if m.id in signed],
        "awaiting_signatures": awaiting,
        "problems": problems,
        "review": {
            "comments": report.review_comments,
            "by": report.reviewed_by,
            "at": _iso(report.reviewed_at),
        }
        if report.reviewed_at
        else None,
    }
