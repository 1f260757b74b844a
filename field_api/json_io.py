"""Reading a JSON body and answering JSON, as the auth routes do."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from field_api.problems import BadRequest

NO_STORE = {"Cache-Control": "no-store"}


async def read_object(request: web.Request, allowed: set[str]) -> dict[str, Any]:
    """The body as a JSON object with no members but `allowed`; BadRequest names the culprit."""
    try:
        body = json.loads(await request.text())
    except ValueError:
        raise BadRequest("body", "请求体不是有效的 JSON (not JSON)") from None
    if not isinstance(body, dict):
        raise BadRequest("body", "请求体应为 JSON 对象 (a JSON object)")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise BadRequest(unknown[0], f"未知字段「{unknown[0]}」(unknown member)")
    return body


def reference(body: dict[str, Any], name: str = "person") -> str | None:
    """A person as coordinators name them (certificate number or id), or None when absent."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(name, f"{name} 应为检查人员的执法证号或协调员编号 (certificate no. or id)")
    return value.strip()


def answer(data: Any, status: int = 200, secret: bool = False) -> web.Response:
    """JSON with Chinese as it is; `secret` (a token, a code) keeps caches from storing it."""
    return web.json_response(
        data,
        status=status,
        dumps=lambda d: json.dumps(d, ensure_ascii=False),
        headers=NO_STORE if secret else None,
    )
