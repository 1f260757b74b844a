"""The OpenAPI 3.1 document of /api/v1, assembled from the fragments kept next to each route
module's schemas, served at /api/v1/openapi.json without authentication. A test checks it
against the app's router, so a route cannot be added without being described."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from field_api import (
    routes_auth,
    routes_inspector,
    routes_inspector_actions,
    routes_inspector_evidence,
    routes_inspector_report,
    routes_invites,
    routes_tokens,
)

PATH = "/api/v1/openapi.json"
ROUTE_MODULES = (
    routes_invites,
    routes_auth,
    routes_tokens,
    routes_inspector,
    routes_inspector_actions,
    routes_inspector_evidence,
    routes_inspector_report,
)

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "what to fix"},
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
                "security": [],
                "responses": {"200": {"description": "The OpenAPI document"}},
            }
        }
    }
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    for module in ROUTE_MODULES:
        paths.update(module.OPENAPI_PATHS)
        schemas.update(module.OPENAPI_SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "shuangsuiji field API",
            "version": "1",
            "description": "双随机、一公开: the field API. Authenticate with "
            "`Authorization: Bearer <token>` (POST /api/v1/auth/token with a one-time code, or "
            "`shuangsuiji token issue`). Errors are RFC 9457 "
            "problem details.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


async def serve(request: web.Request) -> web.Response:
    return web.json_response(document())


def setup(app: web.Application) -> None:
    app.router.add_get(PATH, serve)
