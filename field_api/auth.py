"""Bearer-token authentication for the JSON API under /api/v1.

Every /api/v1 route needs `Authorization: Bearer <token>` (issued by `shuangsuiji token issue`),
except those in PUBLIC. The token's person becomes the request's Actor; what that Actor may do
is the domain's decision, not this module's. (Every error, including the router's own 404 and
405, becomes a problem by field_api/middleware.py.)
"""

from __future__ import annotations

from aiohttp import web

from domain.people.api_tokens import resolve_token
from field_api import words
from field_api.keys import ACTOR
from field_api.problems import problem

API_PREFIX = "/api/v1/"
PUBLIC = frozenset({"/api/v1/openapi.json"})
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
        actor = await resolve_token(token)
        if actor is None:
            return _unauthorized(request, "auth.invalid", "invalid_token")
        request[ACTOR] = actor
    return await handler(request)
