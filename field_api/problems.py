"""RFC 9457 problem details: every error the field API answers."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from domain.errors import NotFound, PermissionDenied, UserError

PROBLEM_TYPE = "application/problem+json"


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> web.Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    # backslashreplace: a lone surrogate quoted from the request becomes its JSON escape.
    text = json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")
    return web.Response(
        body=text, status=status, content_type=PROBLEM_TYPE, charset="utf-8", headers=headers
    )


def path_id(raw: str) -> int | None:
    """A path's row id; None for anything no row can have, a number beyond the database's
    integers included (that is a row that does not exist, not a server error)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return None
    return int(raw)


class BadRequest(UserError):
    """A request body that does not fit its schema; `field` names the member to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def bad_request(exc: BadRequest) -> web.Response:
    return problem(
        400, "请求有误", str(exc), invalid_params=[{"name": exc.field, "reason": str(exc)}]
    )


def for_error(exc: UserError) -> web.Response:
    """The answer for a refusal the domain gave."""
    if isinstance(exc, BadRequest):
        return bad_request(exc)
    # Before PermissionDenied: a task one may not see is refused as one that does not exist.
    if isinstance(exc, NotFound):
        return problem(404, "未找到", str(exc))
    if isinstance(exc, PermissionDenied):
        return problem(403, "无权操作", str(exc))
    return problem(400, "请求有误", str(exc))
