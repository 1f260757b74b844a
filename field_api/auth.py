"""Bearer-token authentication for the JSON API under /api/v1.

Every /api/v1 route needs `Authorization: Bearer <token>` (got by signing in with a one-time
code, or issued by `shuangsuiji token issue`), except those in PUBLIC. The token's person, an
inspector or a coordinator, becomes the request's Actor; what that Actor may do is the domain's
decision, not this module's. A read-only token is refused on every method that changes
something, except giving itself up. Errors under /api/v1, including the router's own
404 and 405, are problem details.
"""

from __future__ import annotations

from aiohttp import web

from domain.people.api_tokens import authenticate as resolve_credential
from field_api.keys import ACTOR, CREDENTIAL
from field_api.problems import problem

API_PREFIX = "/api/v1/"
PUBLIC = frozenset({"/api/v1/openapi.json", "/api/v1/auth/token"})
READING = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MAY = frozenset({"/api/v1/auth/logout"})
# RFC 6750 §3: a 401 says which scheme to use, and `invalid_token` when one was sent.
CHALLENGE = 'Bearer realm="shuangsuiji"'


def _unauthorized(detail: str, error: str | None) -> web.Response:
    challenge = CHALLENGE + (f', error="{error}"' if error else "")
    return problem(401, "未认证", detail, headers={"WWW-Authenticate": challenge})


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
            return _unauthorized(
                "缺少令牌：请在请求头中加入 Authorization: Bearer <令牌> (missing bearer token)",
                None,
            )
        credential = await resolve_credential(token)
        if credential is None:
            return _unauthorized(
                "令牌无效、已过期或已撤销，请重新登录或向协调员索取新的令牌 "
                "(invalid, expired or revoked token)",
                "invalid_token",
            )
        if not (
            credential.may_change or request.method in READING or request.path in READ_ONLY_MAY
        ):
            return problem(403, "只读令牌", "只读令牌不能修改数据 (read-only token)")
        request[ACTOR] = credential.actor
        request[CREDENTIAL] = credential
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        headers = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
        return problem(
            exc.status,
            exc.reason,
            f"{request.method} {request.path}: {exc.reason}",
            headers=headers,
        )
