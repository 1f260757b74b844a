"""The OpenAPI fragment of the routes that need no token: the public pages of routes_public,
/healthz and the API's own documentation. Kept apart from routes_public so that module stays a
page of handlers."""

from __future__ import annotations

from typing import Any

from field_api.openapi_parts import path, problem

BASE = "/public/campaigns"
TAG = "公开信息 Public"
OPEN: list[dict[str, Any]] = []  # security: none
_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_DATE = {"type": ["string", "null"], "format": "date"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_CODE = path("code", description="The campaign's code (抽查计划编号)")
_FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "html or json; without it, HTML when the request accepts text/html",
    "schema": {"type": "string", "enum": ["html", "json"]},
}
_MISSING = problem("No such campaign, or not public yet (the same answer)")


def _get(
    operation_id: str,
    summary: str,
    ok: dict[str, Any],
    parameters: list[dict[str, Any]],
    errors: dict[str, Any] | None = None,
    tag: str = TAG,
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "security": OPEN,
        "responses": {"200": ok, **(errors or {})},
    }
    if parameters:
        op["parameters"] = parameters
    return op


def _notice(operation_id: str, summary: str, schema: str) -> dict[str, Any]:
    ok = {
        "description": "The notice: JSON, or an HTML page (format=html or Accept: text/html)",
        "content": {
            "application/json": {"schema": _ref(schema)},
            "text/html": {"schema": {"type": "string"}},
        },
    }
    errors = {"400": problem("format is neither html nor json"), "404": _MISSING}
    return {"get": _get(operation_id, summary, ok, [_CODE, _FORMAT], errors)}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OPENAPI_PATHS: dict[str, Any] = {
    BASE: {
        "get": _get(
            "listPublicCampaigns",
            "Every campaign (抽查计划), latest first",
            _json("The campaigns", _ref("PublicCampaignList")),
            [],
        )
    },
    BASE + "/{code}": _notice("getPlanNotice", "Plan notice (抽查计划公告)", "PlanNotice"),
    BASE + "/{code}/task-notice": _notice(
        "getPublicTaskNotice",
        "Task notice (抽查任务公告): commitments and digests once a draw is prepared; "
        "how many businesses once drawn, never which",
        "TaskNoticePublic",
    ),
    BASE + "/{code}/results": _notice(
        "getResultsNotice", "Results notice (抽查结果公告), once published", "ResultsNotice"
    ),
    BASE + "/{code}/record": {
        "get": _get(
            "getDrawRecord",
            "The draw record (摇号记录), canonical JSON exactly as hashed, once published",
            {
                "description": "The record; its ETag is the record hash",
                "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            [_CODE],
            {"404": _MISSING},
        )
    },
    BASE + "/{code}/candidates": {
        "get": _get(
            "getCandidateIndex",
            "The candidate lists (候选名单) of the revealed draw: one entry per stratum",
            _json("Strata with their counts and digests", _ref("CandidateIndex")),
            [_CODE],
            {"404": _MISSING},
        )
    },
    BASE + "/{code}/candidates/{stratum}": {
        "get": _get(
            "getCandidateList",
            "One stratum's candidate ids, sorted, one per line (its SHA-256 is the digest)",
            {
                "description": "The ids",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
            [_CODE, path("stratum")],
            {"404": problem("No such campaign, not published, or no such stratum")},
        )
    },
    "/": {
        "get": _get(
            "getHome",
            "The public home page (一单两库): items, the public fields of both directories, the "
            "campaigns with their notices, how to verify a draw",
            {
                "description": "An HTML page (Chinese; lang=en for English), or JSON "
                "(format=json, or Accept: application/json without text/html)",
                "content": {
                    "text/html": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            },
            [
                {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["zh", "en"]},
                },
                {**_FORMAT},
            ],
            {"400": problem("lang or format has a value not listed")},
        )
    },
    "/public/docs/draw-record.md": {
        "get": _get(
            "getDrawRecordDoc",
            "How a draw record is checked, step by step (docs/draw-record.md)",
            {
                "description": "The document, as Markdown text",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
            [],
            {"404": problem("The documentation is not installed")},
        )
    },
    "/healthz": {
        "get": _get(
            "health",
            "The process is up and the database answers",
            _json("Healthy", _ref("Health")),
            [],
            {"503": _json("The database does not answer", _ref("Health"))},
            tag="运维 Operations",
        )
    },
}

_SUMMARY_PROPERTIES: dict[str, Any] = {
    "code": _STRING,
    "name": _STRING,
    "department": {
        "type": "object",
        "properties": {"code": _STRING, "name": _STRING},
    },
    "status": {"type": "string", "enum": ["planned", "drawn", "completed", "published"]},
    "status_label": _STRING,
    "period": {"type": "object", "properties": {"start": _DATE, "due": _DATE}},
}
_SUMMARY_REQUIRED = ["code", "name", "department", "status", "status_label", "period"]


def _notice_schema(description: str, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": ["notice", *_SUMMARY_REQUIRED, *extra],
        "properties": {"notice": _STRING, **_SUMMARY_PROPERTIES, **extra},
    }


_ITEMS = {"type": "array", "items": _ref("PublicItem")}
_SCOPE = {
    "type": "object",
    "properties": {
        "regions": {"type": "array", "items": {"type": "object"}},
        "mode": {"type": "string", "enum": ["定向", "不定向"]},
        "categories": {"type": "array", "items": _STRING},
        "risk_classes": {"type": "array", "items": _STRING},
    },
}

OPENAPI_SCHEMAS: dict[str, Any] = {
    "PublicCampaign": {
        "type": "object",
        "required": _SUMMARY_REQUIRED,
        "properties": _SUMMARY_PROPERTIES,
    },
    "PublicCampaignList": {
        "type": "object",
        "required": ["campaigns"],
        "properties": {"campaigns": {"type": "array", "items": _ref("PublicCampaign")}},
    },
    "PublicItem": {
        "type": "object",
        "description": "An inspection item (抽查事项)",
        "properties": {
            "code": _STRING,
            "name": _STRING,
            "kind": _STRING,
            "legal_basis": _STRING,
            "body": _STRING,
            "content": _STRING,
            "method": _STRING,
            "requirements": _STRING,
        },
    },
    "PlanNotice": _notice_schema(
        "抽查计划公告",
        {
            "items": _ITEMS,
            "scope": _SCOPE,
            "ratios": {"type": "array", "items": {"type": "object"}},
            "ratio_reason": _STRING,
            "frequency_reason": _STRING,
            "team_size": {"type": "integer"},
        },
    ),
    "TaskNoticePublic": _notice_schema(
        "抽查任务公告",
        {
            "drawn": {"type": "boolean"},
            "tasks": {
                "type": ["object", "null"],
                "description": "Once drawn: how many tasks, the first and last numbers",
                "properties": {
                    "count": {"type": "integer"},
                    "first": _NULLABLE_STRING,
                    "last": _NULLABLE_STRING,
                },
            },
            "items": _ITEMS,
            "scope": _SCOPE,
            "inspecting_bodies": {"type": "array", "items": _STRING},
            "drawn_on": _DATE,
            "draw": {"type": ["object", "null"], "description": "The draw that counts"},
            "draws": {
                "type": "array",
                "description": "Every draw, abandoned ones included",
                "items": {"type": "object"},
            },
        },
    ),
    "ResultsNotice": _notice_schema(
        "抽查结果公告",
        {
            "completed_on": _DATE,
            "published_on": _DATE,
            "counts": {
                "type": "object",
                "properties": {
                    "drawn": {"type": "integer"},
                    "published": {"type": "integer"},
                    "cancelled": {"type": "integer"},
                },
            },
            "results": {"type": "array", "items": {"type": "object"}},
        },
    ),
    "CandidateIndex": {
        "type": "object",
        "required": ["campaign", "record_hash", "strata", "pool"],
        "properties": {
            "campaign": _STRING,
            "record_hash": _NULLABLE_STRING,
            "strata": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": _STRING,
                        "eligible": {"type": "integer"},
                        "digest": _NULLABLE_STRING,
                    },
                },
            },
            "pool": {"type": "object"},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "database"],
        "properties": {"status": {"type": "string", "enum": ["ok", "error"]}, "database": _STRING},
    },
}
