"""The draw ceremony over HTTP: prepare (freeze and commit), show it again, reveal with the
dice (and the beacon's value when one was named), or abandon it with a reason.

    POST /api/v1/campaigns/{code}/draw/prepare   {"practice", "exclude_unstaffable",
                                                  "beacon": {"source", "round"},
                                                  "high_risk_complaints"}
    GET  /api/v1/campaigns/{code}/draw           the prepared draw, as prepare answered
    POST /api/v1/campaigns/{code}/draw/reveal    {"dice", "beacon_value"}
    POST /api/v1/campaigns/{code}/draw/abandon   {"reason"}

The same domain functions as `shuangsuiji draw` and the bot's /draw. Each write looks its
campaign up inside its idempotent run, so that a retry gets the first answer back. The record
is not in the answer: while the campaign is sealed it says who inspects whom (`draw record`
writes it).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp import web

from domain.campaigns.prepare import (
    PreparedDraw,
    Unstaffed,
    abandon_draw,
    prepare_draw,
    resume_draw,
)
from domain.campaigns.reveal import reveal_draw
from domain.errors import NotFound
from field_api import openapi_parts as parts
from field_api.coord_io import campaign_of
from field_api.inspector_io import (
    Handler,
    actor_of,
    handled,
    idempotent,
    json_answer,
    json_body,
    request_fingerprint,
    text_member,
)
from field_api.keys import SETTINGS
from field_api.problems import BadRequest, problem

DRAW = "/api/v1/campaigns/{code}/draw"
PREPARE, REVEAL, ABANDON = DRAW + "/prepare", DRAW + "/reveal", DRAW + "/abandon"


def prepared_json(prepared: PreparedDraw) -> dict[str, Any]:
    return dataclasses.asdict(prepared)


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise BadRequest(name, f"{name} 应为 true 或 false (a boolean)")
    return value


def _beacon(body: dict[str, Any]) -> dict | None:
    beacon = body.get("beacon")
    if beacon is None:
        return None
    if not isinstance(beacon, dict) or set(beacon) != {"source", "round"}:
        raise BadRequest("beacon", 'beacon 应为 {"source": "drand", "round": 123} (both members)')
    return {"source": str(beacon["source"]), "round": beacon["round"]}


def unstaffed_refusal(handler: Handler) -> Handler:
    """Candidates no team can be formed for: a 409 that lists them (nothing was frozen)."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except Unstaffed as exc:
            return problem(
                409, "无法组成检查组", str(exc), unstaffable=[u.describe() for u in exc.found[:50]],
                count=len(exc.found),
            )  # fmt: skip

    wrapped.__name__ = handler.__name__
    return wrapped


async def prepare(request: web.Request) -> web.Response:
    allowed = {"practice", "exclude_unstaffable", "beacon", "high_risk_complaints"}
    body, raw = await json_body(request, allowed)
    complaints = body.get("high_risk_complaints", request.app[SETTINGS].high_risk_complaints)
    if isinstance(complaints, bool) or not isinstance(complaints, int) or complaints < 1:
        raise BadRequest("high_risk_complaints", "high_risk_complaints 应为正整数 (an integer)")
    options = {
        "practice": _flag(body, "practice"),
        "exclude_unstaffable": _flag(body, "exclude_unstaffable"),
        "beacon": _beacon(body),
        "high_risk_complaints": complaints,
    }

    async def run():
        campaign = await campaign_of(request)
        prepared = await prepare_draw(actor_of(request), campaign.code, **options)
        return 201, prepared_json(prepared)

    # Not atomic: the freeze commits in its own steps, and a failed one leaves nothing.
    return await idempotent(request, request_fingerprint(request, raw), run, atomic=False)


async def show(request: web.Request) -> web.Response:
    campaign = await campaign_of(request)
    prepared = await resume_draw(actor_of(request), campaign.code)
    if prepared is None:
        raise NotFound(f"抽查计划 {campaign.code} 没有待揭示的抽取 (no prepared draw)")
    return json_answer(prepared_json(prepared))


async def reveal(request: web.Request) -> web.Response:
    body, raw = await json_body(request, {"dice", "beacon_value"})
    dice = text_member(body, "dice", required=False, max_len=200)
    beacon_value = text_member(body, "beacon_value", required=False, max_len=2000)

    async def run():
        campaign = await campaign_of(request)
        result = await reveal_draw(
            actor_of(request), campaign.code, dice=dice, beacon_value=beacon_value
        )
        return 200, {
            "campaign": result.campaign,
            "record_hash": result.record_hash,
            "tasks": result.tasks,
            "per_stratum": result.per_stratum,
            "practice": result.practice,
            "members": result.members,
            "fairness": result.fairness.json(),
        }

    return await idempotent(request, request_fingerprint(request, raw), run, atomic=False)


async def abandon(request: web.Request) -> web.Response:
    body, raw = await json_body(request, {"reason"})
    reason = text_member(body, "reason", max_len=2000)

    async def run():
        campaign = await campaign_of(request)
        await abandon_draw(actor_of(request), campaign.code, reason)
        return 200, {"campaign": campaign.code, "abandoned": True}

    return await idempotent(request, request_fingerprint(request, raw), run)


def setup(app: web.Application) -> None:
    app.router.add_post(PREPARE, handled(unstaffed_refusal(prepare)))
    app.router.add_get(DRAW, handled(show))
    app.router.add_post(REVEAL, handled(reveal))
    app.router.add_post(ABANDON, handled(abandon))


_CODE = parts.path("code")
_RESPONSES = {
    "400": parts.problem("A bad member, or refused now (no prepared draw, already drawn...)"),
    "403": parts.problem("Not a coordinator, or a read-only token"),
    "404": parts.problem("No such campaign, or another department's (the same answer)"),
    "422": parts.problem("The Idempotency-Key was used for a different request"),
}


def _op(
    op_id: str, summary: str, answer: dict, body: str | None, status: str = "200", **more: dict
):
    return parts.operation(
        op_id, summary, {status: answer, **_RESPONSES, **more},
        parameters=[_CODE, parts.IDEMPOTENCY_KEY],
        body=parts.json_body(body) if body else None,
    )  # fmt: skip


_PREPARED = parts.json_response("The commitment and the frozen lists' digests", "PreparedDraw")
OPENAPI_PATHS = {
    PREPARE: {"post": _op("prepareDraw", "Freeze the candidates and commit", _PREPARED,
                          "DrawOptions", "201", **{"409": parts.problem(
                              "Candidates no team can be formed for (listed); nothing frozen")})},
    DRAW: {"get": parts.operation(
        "getPreparedDraw", "The prepared draw, shown again until the reveal",
        {"200": _PREPARED, **_RESPONSES}, parameters=[_CODE])},
    REVEAL: {"post": _op("revealDraw", "Reveal with the dice (and beacon value)",
                         parts.json_response("What was drawn", "RevealResult"), "Reveal")},
    ABANDON: {"post": _op("abandonDraw", "Abandon the prepared draw (audited)",
                          parts.json_response("Abandoned", "Abandoned"), "Abandon")},
}  # fmt: skip

OPENAPI_SCHEMAS = {
    "DrawOptions": {"type": "object", "additionalProperties": False, "properties": {
        "practice": {"type": "boolean", "default": False},
        "exclude_unstaffable": {"type": "boolean", "default": False},
        "beacon": {"type": "object", "required": ["source", "round"], "properties": {
            "source": {"type": "string"}, "round": {"type": "integer"}}},
        "high_risk_complaints": {"type": "integer", "minimum": 1}}},
    "PreparedDraw": {"type": "object", "properties": {
        "campaign": {"type": "string"}, "draw_id": {"type": "integer"},
        "commitment": {"type": "string"}, "practice": {"type": "boolean"},
        "strata": {"type": "array", "items": {"type": "object"}},
        "pool_size": {"type": "integer"}, "pool_digest": {"type": "string"},
        "exclusions": {"type": "object"}, "pool_snapshot_digest": {"type": "string"}}},
    "Reveal": {"type": "object", "additionalProperties": False, "properties": {
        "dice": {"type": "string", "description": "the digits rolled"},
        "beacon_value": {"type": "string"}}},
    "RevealResult": {"type": "object", "properties": {
        "campaign": {"type": "string"}, "record_hash": {"type": "string"},
        "tasks": {"type": "integer"}, "per_stratum": {"type": "object"},
        "practice": {"type": "boolean"}, "members": {"type": "integer"},
        "fairness": {"type": "object"}}},
    "Abandon": {"type": "object", "additionalProperties": False, "required": ["reason"],
                "properties": {"reason": {"type": "string"}}},
    "Abandoned": {"type": "object", "properties": {
        "campaign": {"type": "string"}, "abandoned": {"type": "boolean"}}},
}  # fmt: skip
