"""Public pages: the three notices, and after publication the draw record and candidate lists.

    GET /public/campaigns                                list of campaigns (JSON)
    GET /public/campaigns/{code}                         plan notice (抽查计划公告)
    GET /public/campaigns/{code}/task-notice             task notice (抽查任务公告), once a draw
                                                         is prepared: commitments and digests
    GET /public/campaigns/{code}/results                 results notice (抽查结果公告), published
    GET /public/campaigns/{code}/record                  draw record (canonical JSON), published
    GET /public/campaigns/{code}/candidates              candidate lists: index (JSON), published
    GET /public/campaigns/{code}/candidates/{stratum}    one stratum's ids, one per line (text)

The notices answer HTML for `?format=html` or a request that accepts text/html, JSON otherwise.
No authentication: everything here is public, and the domain decides what is. Errors are RFC
9457 problem details; a campaign that is missing and one whose results are still sealed get
the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from domain.errors import NotFound, UserError
from domain.publication import html as publication_html
from domain.publication import notice_cache
from domain.publication import notices as publication
from field_api.problems import problem

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _problems(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except NotFound as exc:
            return problem(404, "未找到", str(exc))
        except UserError as exc:
            return problem(400, "请求有误", str(exc))

    return wrapped


def _wants_html(request: web.Request) -> bool:
    fmt = request.query.get("format", "").lower()
    if fmt in ("html", "json"):
        return fmt == "html"
    if fmt:
        raise UserError(f"format 参数应为 html 或 json，而不是「{fmt}」")
    return "text/html" in request.headers.get("Accept", "")


def _json(data: Any) -> web.Response:
    return web.json_response(data, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _notice(request: web.Request, data: dict, render: Callable[[dict], str]) -> web.Response:
    if _wants_html(request):
        return web.Response(text=render(data), content_type="text/html", charset="utf-8")
    return _json(data)


async def campaigns(request: web.Request) -> web.Response:
    return _json({"campaigns": await publication.list_campaigns()})


async def plan(request: web.Request) -> web.Response:
    data = await publication.plan_notice(request.match_info["code"])
    return _notice(request, data, publication_html.render_plan)


async def task_notice(request: web.Request) -> web.Response:
    data = dict(await notice_cache.task_notice(request.match_info["code"]))
    return _notice(request, data, publication_html.render_tasks)


async def results(request: web.Request) -> web.Response:
    data = await publication.results_notice(request.match_info["code"])
    return _notice(request, data, publication_html.render_results)


async def record(request: web.Request) -> web.Response:
    text, record_hash = await publication.draw_record(request.match_info["code"])
    return web.Response(
        text=text,
        content_type="application/json",
        charset="utf-8",
        headers={"ETag": f'"{record_hash}"'},
    )


async def candidates(request: web.Request) -> web.Response:
    return _json(await publication.candidate_index(request.match_info["code"]))


async def candidate_list(request: web.Request) -> web.Response:
    text = await publication.candidate_list(
        request.match_info["code"], request.match_info["stratum"]
    )
    return web.Response(text=text, content_type="text/plain", charset="utf-8")


def setup(app: web.Application) -> None:
    base = "/public/campaigns"
    for path, handler in (
        (base, campaigns),
        (base + "/{code}", plan),
        (base + "/{code}/task-notice", task_notice),
        (base + "/{code}/results", results),
        (base + "/{code}/record", record),
        (base + "/{code}/candidates", candidates),
        (base + "/{code}/candidates/{stratum}", candidate_list),
    ):
        app.router.add_get(path, _problems(handler))
