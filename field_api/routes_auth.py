"""Signing in through the API: a one-time code for a bearer token, and giving a token up.

    POST /api/v1/auth/token         {"code": "123456", "person": "ZF001", "role": "inspector"}
    POST /api/v1/auth/logout        revokes the token the request carries
    POST /api/v1/auth/login-codes   {"role": ..., "person": ...}   a coordinator's code for a
                                    person without a chat

`person` (with `role`, inspector by default) is optional when signing in: a code alone says
whose it is, but naming the person makes their own count of wrong codes apply. The token's
lifetime is SSJ_TOKEN_DAYS. Listing and revoking tokens: routes_tokens.py.
"""

from __future__ import annotations

import datetime as dt

from aiohttp import web

from domain.errors import UserError
from domain.people import api_tokens, login
from domain.people.persons import PersonError
from field_api.client_address import client_address
from field_api.json_io import answer, read_object, reference
from field_api.keys import ACTOR, CREDENTIAL, SETTINGS
from field_api.problems import BadRequest, bad_request, for_error, problem

SIGN_IN = "/api/v1/auth/token"
LOGOUT = "/api/v1/auth/logout"
CODES = "/api/v1/auth/login-codes"
ROLES = ("inspector", "coordinator")
REASON_FIELDS = {"bad_role": "role", "bad_reference": "person"}


def _role(body: dict) -> str:
    role = body.get("role", "inspector")
    if role not in ROLES:
        raise BadRequest("role", f"role 应为 inspector 或 coordinator，收到 {role!r}")
    return role


def _refusal(exc: PersonError) -> web.Response:
    if isinstance(exc, login.LoginThrottled):
        return problem(429, "请稍后再试", str(exc), headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, login.LoginRefused):
        # OAuth's token endpoint answers a bad grant with 400 too: 401 is for the bearer.
        field = "person" if exc.reason == "ambiguous" else "code"
        return problem(
            400,
            "登录失败",
            str(exc),
            reason=exc.reason,
            invalid_params=[{"name": field, "reason": str(exc)}],
        )
    if exc.reason in REASON_FIELDS:
        return bad_request(BadRequest(REASON_FIELDS[exc.reason], str(exc)))
    if exc.reason == "no_person":
        return problem(404, "未找到", str(exc))
    if exc.reason == "inactive":
        return problem(409, "无法登录", str(exc))
    return for_error(exc)


async def sign_in(request: web.Request) -> web.Response:
    try:
        body = await read_object(request, {"code", "person", "role", "label"})
        code = body.get("code")
        if not isinstance(code, str) or not code.strip():
            raise BadRequest("code", "code 应为 6 位数字的登录码 (the one-time code)")
        label = body.get("label", "")
        if not isinstance(label, str) or len(label) > 100:
            raise BadRequest("label", "label 应为不超过 100 个字符的文字 (label)")
        issued = await login.sign_in(
            code,
            client_address(request),
            dt.timedelta(days=request.app[SETTINGS].token_days),
            role=_role(body),
            reference=reference(body),
            label=label,
        )
    except BadRequest as exc:
        return bad_request(exc)
    except PersonError as exc:
        return _refusal(exc)
    except UserError as exc:
        return for_error(exc)
    data = {
        "token": issued.token,
        "token_type": "Bearer",
        "token_id": issued.token_id,
        "expires_at": issued.expires_at.isoformat() if issued.expires_at else None,
        "scope": issued.scope.value,
        "role": issued.role.value,
        "person_id": issued.person_id,
        "person_name": issued.person_name,
    }
    return answer(data, status=201, secret=True)


async def logout(request: web.Request) -> web.Response:
    try:
        await api_tokens.logout(request[CREDENTIAL])
    except UserError as exc:
        return for_error(exc)
    return web.Response(status=204)


async def issue_code(request: web.Request) -> web.Response:
    try:
        body = await read_object(request, {"role", "person"})
        person = reference(body)
        if person is None:
            raise BadRequest("person", "缺少 person：检查人员的执法证号或协调员编号 (person)")
        issued = await login.code_by_reference(request[ACTOR], _role(body), person)
    except BadRequest as exc:
        return bad_request(exc)
    except PersonError as exc:
        return _refusal(exc)
    except UserError as exc:
        return for_error(exc)
    data = {
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
        "role": issued.role.value,
        "person_id": issued.person_id,
        "person_name": issued.person_name,
    }
    return answer(data, status=201, secret=True)


def setup(app: web.Application) -> None:
    app.router.add_post(SIGN_IN, sign_in)
    app.router.add_post(LOGOUT, logout)
    app.router.add_post(CODES, issue_code)


_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _problem(description: str, headers: dict | None = None) -> dict:
    out: dict = {
        "description": description,
        "content": {"application/problem+json": {"schema": _PROBLEM}},
    }
    if headers:
        out["headers"] = headers
    return out


def _json(schema: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


OPENAPI_PATHS = {
    SIGN_IN: {
        "post": {
            "operationId": "signIn",
            "summary": "Exchange a one-time login code for a bearer token",
            "description": "The code comes from the person's chat (/login) or from a coordinator. "
            "After 5 wrong codes for a person or from an address, each further try waits longer; "
            "meanwhile every try is refused with 429.",
            "security": [],
            "requestBody": {"required": True, "content": _json("SignInRequest")},
            "responses": {
                "201": {"description": "The token, shown only here", "content": _json("Token")},
                "400": _problem(
                    "A member of the body is wrong, or the code is wrong, used or expired "
                    "(`reason`: wrong, malformed, used, expired, ambiguous)"
                ),
                "409": _problem("The person is inactive"),
                "429": _problem(
                    "Too many wrong codes",
                    {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
                ),
            },
        }
    },
    LOGOUT: {
        "post": {
            "operationId": "signOut",
            "summary": "Revoke the token this request carries",
            "security": [{"bearer": []}],
            "responses": {
                "204": {"description": "Revoked"},
                "401": _problem("Missing, unknown, expired or revoked bearer token"),
            },
        }
    },
    CODES: {
        "post": {
            "operationId": "issueLoginCode",
            "summary": "A coordinator's one-time login code for a person (10 minutes, once)",
            "security": [{"bearer": []}],
            "requestBody": {"required": True, "content": _json("LoginCodeRequest")},
            "responses": {
                "201": {"description": "The code, shown only here", "content": _json("LoginCode")},
                "400": _problem("A member of the body is wrong: see invalid_params"),
                "401": _problem("Missing, unknown, expired or revoked bearer token"),
                "403": _problem("Not a coordinator of the person's department, or read-only"),
                "404": _problem("No such person"),
                "409": _problem("The person is inactive"),
            },
        }
    },
}

_PERSON = {
    "type": ["string", "integer"],
    "description": "an inspector's certificate number, or a coordinator's id",
}
_ROLE = {"type": "string", "enum": list(ROLES), "default": "inspector"}

OPENAPI_SCHEMAS = {
    "SignInRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code"],
        "properties": {
            "code": {"type": "string", "pattern": "^[0-9]{6}$"},
            "person": _PERSON,
            "role": _ROLE,
            "label": {"type": "string", "maxLength": 100, "description": "e.g. the device"},
        },
    },
    "Token": {
        "type": "object",
        "required": ["token", "token_type", "token_id", "expires_at"],
        "properties": {
            "token": {"type": "string", "description": "send as Authorization: Bearer <token>"},
            "token_type": {"type": "string", "const": "Bearer"},
            "token_id": {"type": "integer"},
            "expires_at": {"type": ["string", "null"], "format": "date-time"},
            "scope": {"type": "string", "enum": ["full", "read"]},
            "role": {"type": "string", "enum": list(ROLES)},
            "person_id": {"type": "integer"},
            "person_name": {"type": "string"},
        },
    },
    "LoginCodeRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["person"],
        "properties": {"role": _ROLE, "person": _PERSON},
    },
    "LoginCode": {
        "type": "object",
        "required": ["code", "expires_at"],
        "properties": {
            "code": {"type": "string", "pattern": "^[0-9]{6}$"},
            "expires_at": {"type": "string", "format": "date-time"},
            "role": {"type": "string", "enum": list(ROLES)},
            "person_id": {"type": "integer"},
            "person_name": {"type": "string"},
        },
    },
}
