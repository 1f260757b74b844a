"""Public pages: the home page, the three notices, and after publication the draw record and
candidate lists.

    GET /                                                home page (公示首页): the item list,
                                                         the two directories' public fields,
                                                         the campaigns and their notices, how
                                                         to verify a draw; `?lang=en` in English
    GET /public/docs/draw-record.md                      the draw record's format and its check
    GET /public/campaigns                                list of campaigns (JSON)
    GET /public/campaigns/{code}                         plan notice (抽查计划公告)
    GET /public/campaigns/{code}/task-notice             task notice (抽查任务公告), once a draw
                                                         is prepared: commitments and digests
    GET /public/campaigns/{code}/results                 results notice (抽查结果公告), published
    GET /public/campaigns/{code}/record                  draw record (canonical JSON), published
    GET /public/campaigns/{code}/candidates              candidate lists: index (JSON), published
    GET /public/campaigns/{code}/candidates/{stratum}    one stratum's ids, one per line (text)

The notices answer HTML for `?format=html` or a request that accepts text/html, JSON otherwise.
The home page is for browsers first: HTML, unless `?format=json` or a request that accepts
application/json and not text/html.
No authentication: everything here is public, and the domain decides what is. Errors are RFC
9457 problem details; a campaign that is missing and one whose results are still sealed get
the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from domain.errors import NotFound, UserError
from domain.publication import home as publication_home
from domain.publication import html as publication_html
from domain.publication import notice_cache
from domain.publication import notices as publication
from domain.publication.home_html import render_home
from field_api import validate
from field_api.middleware import body_tag
from field_api.problems import problem

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# The longest a URL's segment can be and still name something: the column it is looked up in.
PATH_LIMITS = {"code": publication.CODE_MAX, "stratum": 200}


def _problems(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        for name in request.match_info:
            validate.path_text(request, name, PATH_LIMITS[name])
        try:
            return await handler(request)
        except NotFound as exc:
            return problem(404, "未找到", str(exc))
        except UserError as exc:
            return problem(400, "请求有误", str(exc))

    return wrapped


def _wants_html(request: web.Request) -> bool:
    fmt = validate.query_text(request, "format").lower()
    if fmt in ("html", "json"):
        return fmt == "html"
    if fmt:
        raise validate.Invalid(400, "query.format", "format", got=repr(fmt))
    return "text/html" in request.headers.get("Accept", "")


def _json(data: Any) -> web.Response:
    return web.json_response(data, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _encoded(wants_html: bool, data: dict, render: Callable[[dict], str]) -> tuple[bytes, str]:
    """A notice's body and content type: its HTML page, or its JSON."""
    if wants_html:
        return render(data).encode("utf-8"), "text/html"
    return _dumps(data).encode("utf-8"), "application/json"


def _notice(request: web.Request, data: dict, render: Callable[[dict], str]) -> web.Response:
    body, content_type = _encoded(_wants_html(request), data, render)
    return web.Response(body=body, content_type=content_type, charset="utf-8")


def _home_wants_json(request: web.Request) -> bool:
    fmt = validate.query_text(request, "format").lower()
    if fmt in ("html", "json"):
        return fmt == "json"
    if fmt:
        raise UserError(f"format 参数应为 html 或 json，而不是「{fmt}」")
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _lang(request: web.Request) -> str:
    lang = (validate.query_text(request, "lang") or "zh").lower()
    if lang not in ("zh", "en"):
        raise UserError(f"lang 参数应为 zh 或 en，而不是「{lang}」")
    return lang


async def home(request: web.Request) -> web.Response:
    lang = _lang(request)
    data = await publication_home.home()
    if _home_wants_json(request):
        return _json(data)
    return web.Response(text=render_home(data, lang), content_type="text/html", charset="utf-8")


# Shipped with the code, beside the packages: the page that says how a draw is checked.
DRAW_RECORD_DOC = Path(__file__).resolve().parent.parent / "docs" / "draw-record.md"


async def draw_record_doc(request: web.Request) -> web.Response:
    if not DRAW_RECORD_DOC.is_file():
        raise NotFound("本安装未附带说明文档 docs/draw-record.md (documentation not installed)")
    return web.Response(
        text=DRAW_RECORD_DOC.read_text(encoding="utf-8"), content_type="text/plain", charset="utf-8"
    )


async def campaigns(request: web.Request) -> web.Response:
    return _json({"campaigns": await publication.list_campaigns()})


async def plan(request: web.Request) -> web.Response:
    data = await publication.plan_notice(request.match_info["code"])
    return _notice(request, data, publication_html.render_plan)


# The task notice as last sent, per campaign and format, while notice_cache keeps the same
# notice: encoding it and hashing its ETag cost more than all the rest of a request.
_sent: dict[tuple[str, bool], tuple[Mapping[str, Any], bytes, str, str]] = {}


async def task_notice(request: web.Request) -> web.Response:
    code = request.match_info["code"]
    data = await notice_cache.task_notice(code)
    wants_html = _wants_html(request)
    sent = _sent.get((code, wants_html))
    if sent is None or sent[0] is not data:
        body, content_type = _encoded(wants_html, dict(data), publication_html.render_tasks)
        sent = (data, body, content_type, body_tag(body))
        _sent[(code, wants_html)] = sent
    _, body, content_type, tag = sent
    response = web.Response(body=body, content_type=content_type, charset="utf-8")
    response.etag = tag
    return response


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
    base = publication_home.CAMPAIGNS_PATH
    for path, handler in (
        (publication_home.HOME_PATH, home),
        (publication_home.DOCS_PATH, draw_record_doc),
        (base, campaigns),
        (base + "/{code}", plan),
        (base + "/{code}/task-notice", task_notice),
        (base + "/{code}/results", results),
        (base + "/{code}/record", record),
        (base + "/{code}/candidates", candidates),
        (base + "/{code}/candidates/{stratum}", candidate_list),
    ):
        app.router.add_get(path, _problems(handler))
