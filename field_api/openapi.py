"""The OpenAPI 3.1 document of the whole app (/api/v1, the public pages, /healthz), assembled
from the fragments kept next to each route module's schemas, served at /api/v1/openapi.json
without authentication, and as a page at /api/docs. A test checks it against the app's router,
so a route cannot be added without being described."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from field_api import (
    docs_page,
    openapi_public,
    routes_auth,
    routes_coord_campaigns,
    routes_coord_directory,
    routes_coord_draw,
    routes_coord_exports,
    routes_coord_review,
    routes_coord_tasks,
    routes_inspector,
    routes_inspector_actions,
    routes_inspector_evidence,
    routes_inspector_report,
    routes_invites,
    routes_tokens,
)

PATH = "/api/v1/openapi.json"
DOCS_PATH = "/api/docs"
# The API's route modules, in the order the app sets them up; each module's operations are
# grouped under its tag, unless an operation names its own.
ROUTE_MODULES = (
    (routes_invites, "邀请 Invites"),
    (routes_auth, "登录 Sign-in"),
    (routes_tokens, "令牌 Tokens"),
    (routes_inspector, "任务 Tasks"),
    (routes_inspector_actions, "任务操作 Task actions"),
    (routes_inspector_evidence, "证据 Evidence"),
    (routes_inspector_report, "检查报告 Report"),
    (routes_coord_campaigns, "抽查计划 Campaigns"),
    (routes_coord_draw, "抽取 Draw"),
    (routes_coord_review, "审核 Review"),
    (routes_coord_tasks, "抽取的任务 Drawn tasks"),
    (routes_coord_exports, "导出 Exports"),
    (routes_coord_directory, "名录 Directories"),
)
# What the document describes: the API, and the public pages (set up by routes_public).
DOCUMENTED = (*ROUTE_MODULES, (openapi_public, openapi_public.TAG))
DOCS_TAG = "文档 Documentation"
TAGS = [
    *(tag for _, tag in DOCUMENTED),
    "运维 Operations",
    DOCS_TAG,
]

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {
            "type": "string",
            "description": "what to fix, in the language of Accept-Language (zh-CN by default, "
            "en on request; the answer's Content-Language says which)",
        },
        "request_id": {
            "type": "string",
            "description": "on a 500: the id under which the server logged the failure (also "
            "the X-Request-Id header); give it when reporting the problem",
        },
        "invalid_params": {
            "type": "array",
            "description": "on a 400: which request members are wrong",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {
        PATH: {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "tags": [DOCS_TAG],
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        DOCS_PATH: {
            "get": {
                "operationId": "docs",
                "summary": "This document as a page to read (接口文档)",
                "tags": [DOCS_TAG],
                "security": [],
                "responses": {
                    "200": {
                        "description": "HTML, self-contained",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
    }
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    for module, tag in DOCUMENTED:
        for path, operations in module.OPENAPI_PATHS.items():
            paths[path] = {method: {"tags": [tag], **op} for method, op in operations.items()}
        schemas.update(module.OPENAPI_SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "shuangsuiji field API",
            "version": "1",
            "description": "双随机、一公开: the field API. Authenticate with "
            "`Authorization: Bearer <token>` (POST /api/v1/auth/token with a one-time code, or "
            "`shuangsuiji token issue`). Errors are RFC 9457 problem details in the caller's "
            "language (Accept-Language: zh-CN by default, en); request bodies are JSON objects "
            "(415 otherwise) in UTF-8; ids are integers from 1 to 2147483647.",
        },
        "tags": [{"name": tag} for tag in TAGS],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


async def serve(request: web.Request) -> web.Response:
    return web.json_response(document())


async def docs(request: web.Request) -> web.Response:
    return web.Response(text=docs_page.render(document()), content_type="text/html")


def setup(app: web.Application) -> None:
    app.router.add_get(PATH, serve)
    app.router.add_get(DOCS_PATH, docs)
