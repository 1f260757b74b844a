"""Bearer-token authentication for the JSON API under /api/v1.

Every /api/v1 route needs `Authorization: Bearer <token>` (got by signing in with a one-time
code, or issued by `shuangsuiji token issue`), except those in PUBLIC. The token's person, an
inspector or a coordinator, becomes the request's Actor; what that Actor may do is the domain's
decision, not this module's. A read-only token is refused on every method that changes
something, except giving itself up. (Every error, including the router's own 404 and 405,
becomes a problem by field_api/middleware.py.)
"""

from __future__ import annotations

from aiohttp import web

from domain.people.api_tokens import authenticate as resolve_credential
from field_api import words
from field_api.keys import ACTOR, CREDENTIAL
from field_api.problems import problem

API_PREFIX = "/api/v1/"
PUBLIC = frozenset({"/api/v1/openapi.json", "/api/v1/auth/token"})
READING = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MAY = frozenset({"/api/v1/auth/logout"})
# RFC 6750 §3: a 401 says which scheme to use, and `invalid_token` when one was sent.
CHALLENGE = 'Bearer realm="shuangsuiji"'


def _unauthorized(request: web.Request, key: str, error: str | None) -> web.Response:
    challenge = CHALLENGE + (f', error="{error}"' if error else "")
    lang = words.request_language(request)
    return problem(
        401,
        words.title(lang, 401),
        words.say(lang, key),
        headers={"WWW-Authenticate": challenge},
    )


def bearer_token(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@web.middleware
async def authenticate(request: web.Request, handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    route_missing = request.match_info.http_exception is not None
    if not route_missing and request.path not in PUBLIC:
        token = bearer_token(request)
        if token is None:
            return _unauthorized(request, "auth.missing", None)
        credential = await resolve_credential(token)
        if credential is None:
            return _unauthorized(request, "auth.invalid", "invalid_token")
        if not (
            credential.may_change or request.method in READING or request.path in READ_ONLY_MAY
        ):
            return problem(403, "只读令牌", "只读令牌不能修改数据 (read-only token)")
        request[ACTOR] = credential.actor
        request[CREDENTIAL] = credential
    return await handler(request)
