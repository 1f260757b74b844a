"""Invites through the API: a coordinator's program issues one-time Telegram enrollment codes,
lists them and revokes one handed out by mistake.

    POST   /api/v1/invites        {"role": "inspector"|"coordinator", "person": "...", "hours": 72}
    GET    /api/v1/invites        ?state=pending for those that could still bind an account
    DELETE /api/v1/invites/{id}

`person` names the person as the CLI and the bot do: an inspector's certificate number, a
coordinator's id. Who may invite whom is the domain's rule (a coordinator of the person's
department or above). The answer holds the code once, like the CLI's output: it is not cached.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from domain import clock
from domain.errors import UserError
from domain.people.enrollment import DEFAULT_TTL, MAX_TTL, invite_by_reference, revoke_invite
from domain.people.invite_listing import list_invites
from domain.people.persons import CERT_NO_MAX, PersonError
from field_api import openapi_parts, validate
from field_api.keys import ACTOR, BOT_USERNAME
from field_api.problems import BadRequest, bad_request, for_error, problem

PATH = "/api/v1/invites"
ROLES = ("inspector", "coordinator")
MAX_HOURS = int(MAX_TTL.total_seconds() // 3600)
DEFAULT_HOURS = int(DEFAULT_TTL.total_seconds() // 3600)
# Which request member a domain refusal is about, so a 400 can name it.
REASON_FIELDS = {"bad_role": "role", "bad_reference": "person", "bad_ttl": "hours"}
CONFLICTS = {"person_bound", "inactive"}


@dataclass(frozen=True)
class InviteRequest:
    role: str
    person: str
    hours: int


def parse_invite(body: dict[str, Any]) -> InviteRequest:
    validate.only(body, ("role", "person", "hours"))
    role = validate.choice(body, "role", ROLES)
    person = body.get("person")
    if isinstance(person, int) and not isinstance(person, bool):
        person = str(validate.identifier(body, "person"))  # a coordinator's id as a number
    if not isinstance(person, str):
        raise validate.Invalid(400, "field.reference", "person", name="person")
    person = validate.string({"person": person}, "person", CERT_NO_MAX)
    hours = validate.integer(body, "hours", 1, MAX_HOURS, default=DEFAULT_HOURS)
    return InviteRequest(role, person, hours)


async def create_invite(request: web.Request) -> web.Response:
    try:
        wanted = parse_invite(await validate.json_object(request))
        issued = await invite_by_reference(
            request[ACTOR], wanted.role, wanted.person, ttl=dt.timedelta(hours=wanted.hours)
        )
    except PersonError as exc:
        if exc.reason in REASON_FIELDS:
            return bad_request(BadRequest(REASON_FIELDS[exc.reason], str(exc)))
        if exc.reason == "no_person":
            return problem(404, "未找到", str(exc))
        if exc.reason in CONFLICTS:
            return problem(409, "无法邀请", str(exc))
        return for_error(exc)
    except UserError as exc:
        return for_error(exc)
    username = request.app[BOT_USERNAME]()
    body = {
        "code": issued.code,
        "deep_link": issued.deep_link(username) if username else None,
        "expires_at": issued.expires_at.isoformat(),
        "invite_id": issued.invite_id,
        "role": issued.role.value,
        "person_id": issued.person_id,
        "person_name": issued.person_name,
    }
    return web.json_response(body, status=201, dumps=_dumps, headers={"Cache-Control": "no-store"})


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


async def get_invites(request: web.Request) -> web.Response:
    state = request.query.get("state", "all")
    if state not in ("all", "pending"):
        return bad_request(BadRequest("state", f"state 应为 all 或 pending，收到 {state!r}"))
    try:
        invites = await list_invites(request[ACTOR], pending_only=state == "pending")
    except UserError as exc:
        return for_error(exc)
    now = clock.now()
    body = [
        {
            "invite_id": i.invite_id,
            "role": i.role.value,
            "person_id": i.person_id,
            "person_name": i.person_name,
            "created_by": i.created_by,
            "created_at": i.created_at.isoformat(),
            "expires_at": i.expires_at.isoformat(),
            "used_at": i.used_at.isoformat() if i.used_at else None,
            "revoked_at": i.revoked_at.isoformat() if i.revoked_at else None,
            "state": i.state(now),
        }
        for i in invites
    ]
    return web.json_response({"invites": body}, dumps=_dumps)


async def delete_invite(request: web.Request) -> web.Response:
    invite_id = validate.path_id(request, "invite_id")
    try:
        if invite_id is None:
            return problem(404, "未找到", "没有这个编号的邀请 (no such invite)")
        await revoke_invite(request[ACTOR], invite_id)
    except PersonError as exc:
        if exc.reason in ("unknown", "no_person"):
            return problem(404, "未找到", str(exc))
        if exc.reason == "used":
            return problem(409, "无法撤销", str(exc))
        return for_error(exc)
    except UserError as exc:
        return for_error(exc)
    return web.Response(status=204)


def setup(app: web.Application) -> None:
    app.router.add_post(PATH, create_invite)
    app.router.add_get(PATH, get_invites)
    app.router.add_delete(PATH + "/{invite_id}", delete_invite)


_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _problem_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _PROBLEM}},
    }


OPENAPI_PATHS = {
    PATH: {
        "post": {
            "operationId": "createInvite",
            "summary": "Issue a one-time Telegram enrollment code for a person",
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/InviteRequest"}}
                },
            },
            "responses": {
                "201": {
                    "description": "The code, shown only in this answer",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Invite"}}
                    },
                },
                "400": _problem_response("A member of the body is wrong: see invalid_params"),
                "401": _problem_response("Missing, unknown or revoked bearer token"),
                "403": _problem_response("Not a coordinator of the person's department or above"),
                "404": _problem_response("No such person"),
                "409": _problem_response("The person is inactive or already bound"),
                "413": _problem_response("The body is larger than 64 KiB"),
                "415": _problem_response("The body is not application/json in UTF-8"),
            },
        },
        "get": {
            "operationId": "listInvites",
            "summary": "The invites of the persons the caller coordinates, oldest first",
            "security": [{"bearer": []}],
            "parameters": [
                {
                    "name": "state",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["all", "pending"], "default": "all"},
                    "description": "pending: only those that could still bind an account",
                }
            ],
            "responses": {
                "200": {
                    "description": "The invites (never their codes)",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/InviteList"}}
                    },
                },
                "400": _problem_response("Unknown state"),
                "401": _problem_response("Missing, unknown, expired or revoked bearer token"),
                "403": _problem_response("Not a coordinator"),
            },
        },
    },
    PATH + "/{invite_id}": {
        "delete": {
            "operationId": "revokeInvite",
            "summary": "Revoke an invite that has not been used",
            "security": [{"bearer": []}],
            "parameters": [openapi_parts.path("invite_id", "integer")],
            "responses": {
                "204": {"description": "Revoked: the code binds nobody"},
                "401": _problem_response("Missing, unknown, expired or revoked bearer token"),
                "403": _problem_response(
                    "Not a coordinator of the person's department or above, or a read-only token"
                ),
                "404": _problem_response("No such invite"),
                "409": _problem_response("Already used or revoked"),
            },
        }
    },
}

OPENAPI_SCHEMAS = {
    "InviteRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["role", "person"],
        "properties": {
            "role": {"type": "string", "enum": list(ROLES)},
            "person": {
                "type": ["string", "integer"],
                "maxLength": CERT_NO_MAX,
                "description": "an inspector's certificate number, or a coordinator's id "
                "(ASCII digits, 1 to 2147483647)",
            },
            "hours": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_HOURS,
                "default": DEFAULT_HOURS,
                "description": "how long the code stays valid",
            },
        },
    },
    "Invite": {
        "type": "object",
        "required": ["code", "deep_link", "expires_at"],
        "properties": {
            "code": {"type": "string", "description": "the one-time code (only its hash is kept)"},
            "deep_link": {
                "type": ["string", "null"],
                "description": "https://t.me/<bot>?start=<code>; null when the bot is not running",
            },
            "expires_at": {"type": "string", "format": "date-time"},
            "invite_id": {"type": "integer"},
            "role": {"type": "string", "enum": list(ROLES)},
            "person_id": {"type": "integer"},
            "person_name": {"type": "string"},
        },
    },
    "InviteInfo": {
        "type": "object",
        "required": ["invite_id", "person_id", "expires_at", "state"],
        "properties": {
            "invite_id": {"type": "integer"},
            "role": {"type": "string", "enum": list(ROLES)},
            "person_id": {"type": "integer"},
            "person_name": {"type": "string"},
            "created_by": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "expires_at": {"type": "string", "format": "date-time"},
            "used_at": {"type": ["string", "null"], "format": "date-time"},
            "revoked_at": {"type": ["string", "null"], "format": "date-time"},
            "state": {"type": "string", "enum": ["pending", "used", "revoked", "expired"]},
        },
    },
    "InviteList": {
        "type": "object",
        "required": ["invites"],
        "properties": {
            "invites": {"type": "array", "items": {"$ref": "#/components/schemas/InviteInfo"}}
        },
    },
}
