"""A coordinator's review and what follows it: the queue, the decision on a report (or a
could-not-inspect claim), cancelling a task, penalties, follow-ups, publishing the results.

    GET  /api/v1/review                         what awaits my review, the longest waiting first
    POST /api/v1/tasks/{task_id}/approve        {"comments"?}
    POST /api/v1/tasks/{task_id}/return         {"comments"}: back to the team
    POST /api/v1/tasks/{task_id}/reject         {"reason"}: the inspection is redone
    POST /api/v1/tasks/{task_id}/cancel         {"reason"}
    POST /api/v1/tasks/{task_id}/penalties      {"decision_no", "decided_on", "content",
                                                 "dishonest"?}
    POST /api/v1/penalties/{penalty_id}/publish a penalty decided after the results went public
    POST /api/v1/follow-ups/{followup_id}/close {"result"}: the re-check's finding (复查)
    POST /api/v1/campaigns/{code}/publish       the results (公示)

A task, penalty or follow-up the caller may not see is a 404 like a missing one; an inspector
is refused (403) before anything is looked up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from domain.calendar.deadlines import penalty_deadline
from domain.calendar.imported import load_calendar
from domain.errors import NotFound
from domain.tasks import closing, reporting, visit
from domain.tasks.review_queue import review_queue
from field_api import openapi_parts as parts
from field_api import validate
from field_api.coord_io import campaign_of, deadline_json, iso
from field_api.inspector_io import (
    actor_of,
    handled,
    idempotent,
    json_answer,
    json_body,
    request_fingerprint,
    state_of,
    task_id_of,
    text_member,
    view_summary,
)
from field_api.problems import BadRequest

REVIEW = "/api/v1/review"
TASK = "/api/v1/tasks/{task_id}"
APPROVE, RETURN, REJECT = TASK + "/approve", TASK + "/return", TASK + "/reject"
CANCEL, PENALTIES = TASK + "/cancel", TASK + "/penalties"
PENALTY_PUBLISH = "/api/v1/penalties/{penalty_id}/publish"
FOLLOWUP_CLOSE = "/api/v1/follow-ups/{followup_id}/close"
PUBLISH = "/api/v1/campaigns/{code}/publish"
# The decision, and the body member that carries its words (required but for approval).
DECISIONS = {APPROVE: ("approve", "comments"), RETURN: ("return", "comments"),
             REJECT: ("reject", "reason")}  # fmt: skip


def _id(request: web.Request, name: str) -> int:
    found = validate.path_id(request, name)
    if found is None:
        raise NotFound("没有该编号 (no such id)")
    return found


async def queue(request: web.Request) -> web.Response:
    actor = actor_of(request)
    views = await review_queue(actor)
    body = {"tasks": [view_summary(v, actor) for v in views]}
    return json_answer(body, headers={"Cache-Control": "private, no-store"})


async def decide(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    decision, member = DECISIONS[request.match_info.route.resource.canonical]
    body, raw = await json_body(request, {member})
    words = text_member(body, member, required=decision != "approve", max_len=4000)

    async def run():
        state = await reporting.review(actor, task_id, decision, words)
        return 200, {"task_id": task_id, "state": state_of(state), "decision": decision}

    return await idempotent(request, request_fingerprint(request, raw), run)


async def cancel(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, {"reason"})
    reason = text_member(body, "reason", max_len=4000)

    async def run():
        state = await visit.cancel(actor, task_id, reason)
        return 200, {"task_id": task_id, "state": state_of(state)}

    return await idempotent(request, request_fingerprint(request, raw), run)


async def add_penalty(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    body, raw = await json_body(request, {"decision_no", "decided_on", "content", "dishonest"})
    decision_no = text_member(body, "decision_no", max_len=200)
    content = text_member(body, "content", max_len=10_000)
    try:
        decided_on = dt.date.fromisoformat(text_member(body, "decided_on", max_len=10))
    except ValueError:
        raise BadRequest("decided_on", "decided_on 应为 YYYY-MM-DD 日期 (a date)") from None
    dishonest = body.get("dishonest", False)
    if not isinstance(dishonest, bool):
        raise BadRequest("dishonest", "dishonest 应为 true 或 false (a boolean)")

    async def run():
        penalty = await closing.record_penalty(
            actor, task_id, decision_no, decided_on, content, dishonest=dishonest
        )
        due = penalty_deadline(await load_calendar(), penalty.decided_on)
        return 201, _penalty_json(penalty) | {"publish_by": deadline_json(due)}

    return await idempotent(request, request_fingerprint(request, raw), run)


def _penalty_json(penalty) -> dict[str, Any]:
    return {
        "id": penalty.id,
        "task_id": penalty.task_id,
        "decision_no": penalty.decision_no,
        "decided_on": iso(penalty.decided_on),
        "dishonest": penalty.dishonest,
        "published_at": iso(penalty.published_at),
    }


async def publish_penalty(request: web.Request) -> web.Response:
    penalty_id = _id(request, "penalty_id")
    _, raw = await json_body(request, set())

    async def run():
        return 200, _penalty_json(await closing.publish_penalty(actor_of(request), penalty_id))

    return await idempotent(request, request_fingerprint(request, raw), run)


async def close_followup(request: web.Request) -> web.Response:
    followup_id = _id(request, "followup_id")
    body, raw = await json_body(request, {"result"})
    result = text_member(body, "result", max_len=4000)

    async def run():
        followup = await closing.close_followup(actor_of(request), followup_id, result)
        return 200, {"id": followup.id, "task_id": followup.task_id, "state": followup.state,
                     "closed_on": iso(followup.closed_on)}  # fmt: skip

    return await idempotent(request, request_fingerprint(request, raw), run)


async def publish(request: web.Request) -> web.Response:
    _, raw = await json_body(request, set())

    async def run():
        campaign = await campaign_of(request)
        count = await closing.publish_campaign(actor_of(request), campaign.code)
        return 200, {"campaign": campaign.code, "published_tasks": count}

    return await idempotent(request, request_fingerprint(request, raw), run)


def setup(app: web.Application) -> None:
    app.router.add_get(REVIEW, handled(queue))
    for path in DECISIONS:
        app.router.add_post(path, handled(decide))
    for path, handler in ((CANCEL, cancel), (PENALTIES, add_penalty),
                          (PENALTY_PUBLISH, publish_penalty), (FOLLOWUP_CLOSE, close_followup),
                          (PUBLISH, publish)):  # fmt: skip
        app.router.add_post(path, handled(handler))


_CODE = parts.path("code")
_DONE = parts.json_response("Done: the task's state now", "TaskChange")


def _other(op_id: str, summary: str, answer: dict, param: dict, body: str | None = None):
    return parts.operation(
        op_id, summary,
        {"200": answer, "400": parts.problem("A bad member, or refused in this state"),
         "403": parts.problem("Not a coordinator, or a read-only token"),
         "404": parts.problem("No such thing, or not yours to see (the same answer)"),
         "409": parts.problem("Changed meanwhile"),
         "422": parts.problem("The Idempotency-Key was used for a different request")},
        parameters=[param, parts.IDEMPOTENCY_KEY],
        body=parts.json_body(body) if body else None,
    )  # fmt: skip


OPENAPI_PATHS = {
    REVIEW: {"get": parts.operation(
        "reviewQueue", "Submitted reports and could-not-inspect claims awaiting my review",
        {"200": parts.json_response("The queue", "ReviewQueue"),
         "403": parts.problem("Not a coordinator")})},
    APPROVE: {"post": parts.write("approveTask", "Approve the report (or the claim)", _DONE,
                                  body=parts.json_body("Approval"))},
    RETURN: {"post": parts.write("returnTask", "Return the report to the team, with comments",
                                 _DONE, body=parts.json_body("ReturnToTeam"))},
    REJECT: {"post": parts.write("rejectTask", "Reject: the inspection is redone", _DONE,
                                 body=parts.json_body("Rejection"))},
    CANCEL: {"post": parts.write("cancelTask", "Cancel the task, with a reason", _DONE,
                                 body=parts.json_body("Cancellation"))},
    PENALTIES: {"post": parts.write(
        "recordPenalty", "Record a penalty decision (public within 7 working days)",
        parts.json_response("The penalty and its publication deadline", "Penalty"),
        body=parts.json_body("PenaltyRequest"), status="201")},
    PENALTY_PUBLISH: {"post": _other(
        "publishPenalty", "Publish a penalty decided after the results",
        parts.json_response("The penalty", "Penalty"), parts.path("penalty_id", "integer"))},
    FOLLOWUP_CLOSE: {"post": _other(
        "closeFollowUp", "Close a follow-up with the re-check's result (复查)",
        parts.json_response("The follow-up", "FollowUpClosed"),
        parts.path("followup_id", "integer"), "FollowUpClose")},
    PUBLISH: {"post": _other(
        "publishCampaign", "Publish the results (公示): refused while tasks are open",
        parts.json_response("How many results went public", "Published"), _CODE)},
}  # fmt: skip

_TEXT = {"type": "string"}
OPENAPI_SCHEMAS = {
    "ReviewQueue": {"type": "object", "properties": {
        "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/TaskSummary"}}}},
    "Approval": {"type": "object", "additionalProperties": False,
                 "properties": {"comments": _TEXT}},
    "ReturnToTeam": {"type": "object", "additionalProperties": False, "required": ["comments"],
                     "properties": {"comments": _TEXT}},
    "Rejection": {"type": "object", "additionalProperties": False, "required": ["reason"],
                  "properties": {"reason": _TEXT}},
    "Cancellation": {"type": "object", "additionalProperties": False, "required": ["reason"],
                     "properties": {"reason": _TEXT}},
    "PenaltyRequest": {"type": "object", "additionalProperties": False,
                       "required": ["decision_no", "decided_on", "content"], "properties": {
                           "decision_no": _TEXT, "decided_on": {"type": "string",
                                                                "format": "date"},
                           "content": _TEXT, "dishonest": {"type": "boolean"}}},
    "Penalty": {"type": "object", "properties": {
        "id": {"type": "integer"}, "task_id": {"type": "integer"}, "decision_no": _TEXT,
        "decided_on": {"type": "string", "format": "date"}, "dishonest": {"type": "boolean"},
        "published_at": {"type": ["string", "null"]}, "publish_by": {"type": "object"}}},
    "FollowUpClose": {"type": "object", "additionalProperties": False, "required": ["result"],
                      "properties": {"result": _TEXT}},
    "FollowUpClosed": {"type": "object", "properties": {
        "id": {"type": "integer"}, "task_id": {"type": "integer"}, "state": _TEXT,
        "closed_on": {"type": ["string", "null"]}}},
    "Published": {"type": "object", "properties": {
        "campaign": _TEXT, "published_tasks": {"type": "integer"}}},
}  # fmt: skip
