"""A coordinator's campaigns (抽查计划): plan, correct before the draw, delete, list, follow.

    POST   /api/v1/campaigns                    create (the plan's members; department: mine)
    GET    /api/v1/campaigns                    those of my department and below: ?offset=&limit=
    GET    /api/v1/campaigns/{code}             one plan
    PATCH  /api/v1/campaigns/{code}             correct it while nothing is drawn
    DELETE /api/v1/campaigns/{code}             delete it while nothing is drawn
    GET    /api/v1/campaigns/{code}/status      tasks per state, deadlines
    GET    /api/v1/campaigns/{code}/overdue     open tasks past their due date
    GET    /api/v1/campaigns/{code}/anomalies   photos with anomalies

A campaign of another department is a 404 like one that does not exist (its progress is
sealed); a caller who is no coordinator at all is a 403 (the refusal names nothing).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from domain.campaigns.lookup import campaigns_run_by
from domain.campaigns.plan import (
    CampaignSpec,
    create_campaign,
    delete_campaign,
    department_code_of,
    edit_campaign,
)
from domain.campaigns.status import anomalous_photos, campaign_status
from domain.rules.access import require_any_coordinator
from field_api import openapi_parts as parts
from field_api.coord_io import campaign_json, campaign_of, deadline_json, iso, page_of
from field_api.coord_plan import CREATABLE, EDITABLE, PLAN_PROPERTIES, REQUIRED, plan_members
from field_api.inspector_io import (
    actor_of,
    handled,
    idempotent,
    json_answer,
    json_body,
    request_fingerprint,
)
from field_api.problems import BadRequest

CAMPAIGNS = "/api/v1/campaigns"
CAMPAIGN = CAMPAIGNS + "/{code}"
STATUS, OVERDUE, ANOMALIES = CAMPAIGN + "/status", CAMPAIGN + "/overdue", CAMPAIGN + "/anomalies"


async def create(request: web.Request) -> web.Response:
    actor = actor_of(request)
    require_any_coordinator(actor)
    body, raw = await json_body(request, CREATABLE)
    members = plan_members(body, None)
    for name in REQUIRED:
        if name not in members:
            raise BadRequest(name, f"缺少 {name} (required)")
    members.setdefault("department", await department_code_of(actor))

    async def run():
        campaign = await create_campaign(actor, CampaignSpec(**members))
        await campaign.fetch_related("department")
        return 201, campaign_json(campaign)

    return await idempotent(request, request_fingerprint(request, raw), run)


async def listing(request: web.Request) -> web.Response:
    offset, limit = page_of(request)
    campaigns = await campaigns_run_by(actor_of(request), limit, offset)
    return json_answer({"campaigns": [campaign_json(c) for c in campaigns], "offset": offset})


async def show(request: web.Request) -> web.Response:
    return json_answer(campaign_json(await campaign_of(request)))


async def edit(request: web.Request) -> web.Response:
    body, raw = await json_body(request, EDITABLE)
    plan_members(body, None)  # a malformed member is a 400 before anything is looked up

    async def run():
        # Looked up inside: a retry after the change gets the first answer, not a fresh lookup.
        campaign = await campaign_of(request)
        changes = plan_members(body, dict(campaign.ratios))
        edited = await edit_campaign(actor_of(request), campaign.code, changes)
        return 200, campaign_json(edited)

    return await idempotent(request, request_fingerprint(request, raw), run)


async def delete(request: web.Request) -> web.Response:
    async def run():
        campaign = await campaign_of(request)  # inside: a retried delete replays its answer
        await delete_campaign(actor_of(request), campaign.code)
        return 200, {"code": campaign.code, "deleted": True}

    return await idempotent(request, request_fingerprint(request), run)


async def status(request: web.Request) -> web.Response:
    campaign = await campaign_of(request)
    report = await campaign_status(actor_of(request), campaign.code)
    body: dict[str, Any] = {
        "code": report.code,
        "name": report.name,
        "status": str(report.status),
        "by_state": report.by_code,
        "tasks": sum(report.by_code.values()),
        "overdue": len(report.overdue),
        "photos_with_anomalies": sum(report.anomalies.values()),
        "due_date": iso(report.due_date),
        "workdays_left": report.workdays_left,
        "workdays_left_provisional": bool(report.workdays_left_assumed),
        "results_due": deadline_json(report.results_due),
        "penalties_due": [
            {"decision_no": no, "deadline": deadline_json(d)} for no, d in report.penalties_due
        ],
    }
    return json_answer(body, headers={"Cache-Control": "private, no-store"})


async def overdue(request: web.Request) -> web.Response:
    campaign = await campaign_of(request)
    report = await campaign_status(actor_of(request), campaign.code)
    return json_answer({"code": campaign.code, "overdue": report.overdue})


async def anomalies(request: web.Request) -> web.Response:
    campaign = await campaign_of(request)
    photos = await anomalous_photos(actor_of(request), campaign.code)
    body = {
        "code": campaign.code,
        "photos": [
            {
                "task_id": p.task_id,
                "task_number": p.task_number,
                "evidence_id": p.evidence_id,
                "anomalies": p.anomalies,
                "received_at": iso(p.received_at),
            }
            for p in photos
        ],
    }
    return json_answer(body, headers={"Cache-Control": "private, no-store"})


def setup(app: web.Application) -> None:
    app.router.add_post(CAMPAIGNS, handled(create))
    app.router.add_get(CAMPAIGNS, handled(listing))
    app.router.add_get(CAMPAIGN, handled(show))
    app.router.add_patch(CAMPAIGN, handled(edit))
    app.router.add_delete(CAMPAIGN, handled(delete))
    app.router.add_get(STATUS, handled(status))
    app.router.add_get(OVERDUE, handled(overdue))
    app.router.add_get(ANOMALIES, handled(anomalies))


CODE = parts.path("code", description="plan number (计划编号)")
NOT_YOURS = parts.problem("No such campaign, or another department's (the same answer)")
NOT_COORDINATOR = parts.problem("Not a coordinator, or a read-only token on a write")
REFUSED = parts.problem("Refused by the plan's rules (detail lists every problem) or a bad member")


def _read(operation_id: str, summary: str, schema: str) -> dict[str, Any]:
    return parts.operation(
        operation_id, summary,
        {"200": parts.json_response(summary, schema), "403": NOT_COORDINATOR, "404": NOT_YOURS},
        parameters=[CODE],
    )  # fmt: skip


def _write(operation_id: str, summary: str, answer: dict, *, body=None, status="200", path=True):
    responses = {
        status: answer,
        "400": REFUSED,
        "403": NOT_COORDINATOR,
        "422": parts.problem("The Idempotency-Key was used for a different request"),
    }
    # Without a campaign in the path: the department named in the body is unknown, or one the
    # caller does not coordinate (the same answer).
    responses["404"] = NOT_YOURS if path else parts.problem("No such department of yours")
    params = [CODE, parts.IDEMPOTENCY_KEY] if path else [parts.IDEMPOTENCY_KEY]
    return parts.operation(operation_id, summary, responses, parameters=params, body=body)


_CAMPAIGN = parts.json_response("The campaign", "Campaign")
OPENAPI_PATHS = {
    CAMPAIGNS: {
        "post": _write("createCampaign", "Plan a campaign", _CAMPAIGN,
                       body=parts.json_body("CampaignCreate"), status="201", path=False),
        "get": parts.operation(
            "listCampaigns", "Campaigns of my department and below, newest first",
            {"200": parts.json_response("A page of campaigns", "CampaignPage"),
             "400": parts.problem("offset or limit is wrong"), "403": NOT_COORDINATOR},
            parameters=[parts.query("offset", "Skip this many", "integer"),
                        parts.query("limit", "Page size, 1 to 500 (default 100)", "integer")],
        ),
    },
    CAMPAIGN: {
        "get": _read("getCampaign", "One campaign", "Campaign"),
        "patch": _write("editCampaign", "Correct a campaign before its draw (audited)", _CAMPAIGN,
                        body=parts.json_body("CampaignEdit")),
        "delete": _write("deleteCampaign", "Delete a campaign before its draw (audited)",
                         parts.json_response("Deleted", "Deleted")),
    },
    STATUS: {"get": _read("campaignStatus", "Tasks per state and deadlines", "CampaignStatus")},
    OVERDUE: {"get": _read("campaignOverdue", "Open tasks past their due date", "Overdue")},
    ANOMALIES: {"get": _read("campaignAnomalies", "Photos with anomalies", "Anomalies")},
}  # fmt: skip

OPENAPI_SCHEMAS = {
    "CampaignCreate": {
        "type": "object",
        "additionalProperties": False,
        "required": list(REQUIRED),
        "properties": {
            "code": {"type": "string", "description": "plan number (计划编号)"},
            "department": {"type": "string", "description": "default: the caller's"},
            **PLAN_PROPERTIES,
        },
    },
    "CampaignEdit": {"type": "object", "additionalProperties": False,
                     "properties": PLAN_PROPERTIES},
    "Campaign": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "department": {"type": "object"},
            "status": {"type": "string",
                       "enum": ["planned", "drawn", "completed", "published"]},
            "completed_on": {"type": ["string", "null"], "format": "date"},
            **PLAN_PROPERTIES,
        },
    },
    "CampaignPage": {
        "type": "object",
        "properties": {
            "campaigns": {"type": "array", "items": {"$ref": "#/components/schemas/Campaign"}},
            "offset": {"type": "integer"},
        },
    },
    "Deleted": {"type": "object",
                "properties": {"code": {"type": "string"}, "deleted": {"type": "boolean"}}},
    "CampaignStatus": {
        "type": "object",
        "properties": {
            "by_state": {"type": "object", "additionalProperties": {"type": "integer"},
                         "description": "task state code -> tasks"},
            "tasks": {"type": "integer"},
            "overdue": {"type": "integer"},
            "photos_with_anomalies": {"type": "integer"},
            "workdays_left": {"type": ["integer", "null"]},
            "results_due": {"type": ["object", "null"]},
            "penalties_due": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Overdue": {"type": "object", "properties": {
        "code": {"type": "string"}, "overdue": {"type": "array", "items": {"type": "string"}}}},
    "Anomalies": {"type": "object", "properties": {
        "code": {"type": "string"}, "photos": {"type": "array", "items": {"type": "object"}}}},
}  # fmt: skip
