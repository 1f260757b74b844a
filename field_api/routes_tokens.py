"""A person's tokens, and those of the persons a coordinator coordinates: listed and revoked.

GET    /api/v1/auth/tokens        the caller's own tokens and those they may revoke
DELETE /api/v1/auth/tokens/{id}   revoke one; to anybody else it does not exist (404)
"""

from __future__ import annotations

from aiohttp import web

from domain import clock
from domain.errors import UserError
from domain.people import api_tokens
from domain.people.api_tokens import TokenError, TokenInfo
from field_api import openapi_parts, validate
from field_api.json_io import answer
from field_api.keys import ACTOR, CREDENTIAL
from field_api.problems import for_error, problem

PATH = "/api/v1/auth/tokens"
ONE = PATH + "/{token_id}"


def token_json(info: TokenInfo, current: int | None = None) -> dict:
    return {
        "token_id": info.token_id,
        "role": info.role.value,
        "person_id": info.person_id,
        "person_name": info.person_name,
        "label": info.label,
        "scope": info.scope.value,
        "created_at": info.created_at.isoformat(),
        "created_by": info.created_by,
        "expires_at": info.expires_at.isoformat() if info.expires_at else None,
        "revoked_at": info.revoked_at.isoformat() if info.revoked_at else None,
        "state": info.state(clock.now()),
        "current": info.token_id == current,
    }


async def list_tokens(request: web.Request) -> web.Response:
    current = request[CREDENTIAL].token_id
    tokens = await api_tokens.list_tokens(request[ACTOR])
    return answer({"tokens": [token_json(info, current) for info in tokens]})


async def revoke_token(request: web.Request) -> web.Response:
    token_id = validate.path_id(request, "token_id")
    try:
        if token_id is None:
            raise TokenError("unknown", "没有这个编号的令牌 (no such token)")
        await api_tokens.revoke_token(request[ACTOR], token_id)
    except TokenError as exc:
        if exc.reason == "unknown":
            return problem(404, "未找到", str(exc))
        if exc.reason == "revoked":
            return problem(409, "已撤销", str(exc))
        return for_error(exc)
    except UserError as exc:
        return for_error(exc)
    return web.Response(status=204)


def setup(app: web.Application) -> None:
    app.router.add_get(PATH, list_tokens)
    app.router.add_delete(ONE, revoke_token)


_PROBLEM = {
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
}
_UNAUTHORIZED = {"description": "Missing, unknown, expired or revoked bearer token", **_PROBLEM}

OPENAPI_PATHS = {
    PATH: {
        "get": {
            "operationId": "listTokens",
            "summary": "The caller's tokens and those of the persons they coordinate",
            "security": [{"bearer": []}],
            "responses": {
                "200": {
                    "description": "Oldest first; `current` marks the token of this request",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/TokenList"}}
                    },
                },
                "401": _UNAUTHORIZED,
            },
        }
    },
    ONE: {
        "delete": {
            "operationId": "revokeToken",
            "summary": "Revoke a token: its person's or a coordinator's of their department",
            "security": [{"bearer": []}],
            "parameters": [openapi_parts.path("token_id", "integer")],
            "responses": {
                "204": {"description": "Revoked"},
                "401": _UNAUTHORIZED,
                "403": {"description": "A read-only token", **_PROBLEM},
                "404": {"description": "No such token, or not the caller's to revoke", **_PROBLEM},
                "409": {"description": "Already revoked", **_PROBLEM},
            },
        }
    },
}

_TIME = {"type": "string", "format": "date-time"}
_MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}

OPENAPI_SCHEMAS = {
    "TokenInfo": {
        "type": "object",
        "required": ["token_id", "person_id", "state"],
        "properties": {
            "token_id": {"type": "integer"},
            "role": {"type": "string", "enum": ["inspector", "coordinator"]},
            "person_id": {"type": "integer"},
            "person_name": {"type": "string"},
            "label": {"type": "string"},
            "scope": {"type": "string", "enum": ["full", "read"]},
            "created_at": _TIME,
            "created_by": {"type": "string"},
            "expires_at": {**_MAYBE_TIME, "description": "null: until revoked"},
            "revoked_at": _MAYBE_TIME,
            "state": {"type": "string", "enum": ["active", "expired", "revoked"]},
            "current": {"type": "boolean"},
        },
    },
    "TokenList": {
        "type": "object",
        "required": ["tokens"],
        "properties": {
            "tokens": {"type": "array", "items": {"$ref": "#/components/schemas/TokenInfo"}}
        },
    },
}
