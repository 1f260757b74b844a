"""The drawn list and the draw record for a campaign's coordinators, while they are sealed too.

    GET /api/v1/campaigns/{code}/tasks          every task: target, stratum, state, team
    GET /api/v1/campaigns/{code}/draw/record    the revealed draw's record (canonical JSON)

Each answer is a view of sealed data until the campaign is published: one audit entry, as the
chat's drawn list and `shuangsuiji draw record` write.
"""

from __future__ import annotations

from aiohttp import web

from domain.campaigns.lookup import revealed_draw
from domain.tasks.views import campaign_tasks, view_sealed_campaign
from field_api import openapi_parts as parts
from field_api.coord_io import campaign_of
from field_api.inspector_io import actor_of, handled, json_answer, team_of, view_summary

TASKS = "/api/v1/campaigns/{code}/tasks"
RECORD = "/api/v1/campaigns/{code}/draw/record"
PRIVATE = {"Cache-Control": "private, no-store"}


async def tasks(request: web.Request) -> web.Response:
    actor, campaign = actor_of(request), await campaign_of(request)
    views = await campaign_tasks(actor, campaign, purpose="task.list")
    listed = [
        {**view_summary(v, actor), "stratum": v.task.stratum, "team": team_of(v, actor)}
        for v in views
    ]
    return json_answer({"code": campaign.code, "tasks": listed}, headers=PRIVATE)


async def record(request: web.Request) -> web.Response:
    actor, campaign = actor_of(request), await campaign_of(request)
    draw = await revealed_draw(campaign.code)
    await view_sealed_campaign(actor, draw.campaign, purpose="draw.record")
    return web.Response(
        text=draw.record,
        content_type="application/json",
        charset="utf-8",
        headers={**PRIVATE, "X-Record-Hash": draw.record_hash or ""},
    )


def setup(app: web.Application) -> None:
    app.router.add_get(TASKS, handled(tasks))
    app.router.add_get(RECORD, handled(record))


_CODE = parts.path("code")
_REFUSED = {
    "403": parts.problem("Not a coordinator"),
    "404": parts.problem("No such campaign, or another department's (the same answer)"),
}
OPENAPI_PATHS = {
    TASKS: {"get": parts.operation(
        "campaignTasks", "The drawn list: every task with its team (an audited view)",
        {"200": parts.json_response("The tasks", "CampaignTasks"), **_REFUSED},
        parameters=[_CODE])},
    RECORD: {"get": parts.operation(
        "drawRecord", "The revealed draw's record, as `shuangsuiji verify` reads it",
        {"200": {"description": "The record (canonical JSON); X-Record-Hash its hash",
                 "content": {"application/json": {"schema": {"type": "object"}}}},
         "400": parts.problem("No revealed draw yet"), **_REFUSED},
        parameters=[_CODE])},
}  # fmt: skip

OPENAPI_SCHEMAS = {
    "CampaignTasks": {"type": "object", "properties": {
        "code": {"type": "string"},
        "tasks": {"type": "array", "items": {"allOf": [
            {"$ref": "#/components/schemas/TaskSummary"},
            {"type": "object", "properties": {
                "stratum": {"type": "string"},
                "team": {"type": "array", "items": {"type": "object"}}}}]}}}},
}  # fmt: skip
