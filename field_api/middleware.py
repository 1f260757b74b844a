"""What every answer of the HTTP adapter shares: errors as RFC 9457 problem details in the
caller's language (an unexpected failure too, logged once with a request id that the answer
gives), security headers, and strong ETags with 304 on public GETs.

Order in create_app: `problems` outermost, so it also sees what inner middlewares raise;
`etags` inside it; the headers are set by `on_prepare`, which runs for every response the app
sends, including problem answers and aiohttp's own.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import secrets

from aiohttp import hdrs, web
from aiohttp.http_exceptions import HttpProcessingError

from domain.publication import page
from field_api import words
from field_api.problems import PROBLEM_TYPE, problem
from field_api.validate import Invalid

log = logging.getLogger(__name__)

SERVER = "shuangsuiji"
# Which answers are somebody's own: under the API (but its public document), or any request
# that carried credentials. They must not be kept by caches.
PRIVATE_PREFIX = "/api/v1/"
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})
# The pages' one inline script (the copy buttons) is allowed by its hash, nothing else runs.
_COPY_SCRIPT = base64.b64encode(hashlib.sha256(page.SCRIPT.encode()).digest()).decode()
HTML_POLICY = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_COPY_SCRIPT}'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def is_private(request: web.Request) -> bool:
    if hdrs.AUTHORIZATION in request.headers:
        return True
    return request.path.startswith(PRIVATE_PREFIX) and request.path not in PUBLIC_PATHS


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


@web.middleware
async def problems(request: web.Request, handler) -> web.StreamResponse:
    lang = words.request_language(request)
    try:
        response = await handler(request)
    except Invalid as exc:
        response = invalid(lang, exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = http_error(request, lang, exc)
    except HttpProcessingError as exc:
        # A body aiohttp could not parse as it was read (a multipart part's bad header, say):
        # the request is wrong, not the server.
        detail = words.say(lang, "body.malformed", reason=str(exc.message)[:200])
        response = problem(400, words.title(lang, 400), detail)
    except ConnectionResetError:
        if not _client_gone(request):
            response = internal(request, lang)
        else:
            # The caller hung up mid-answer: nothing to fix and nobody to tell.
            log.info("%s %s: the client went away", request.method, request.path)
            return web.Response(status=499)
    except asyncio.CancelledError:
        log.info("%s %s: cancelled (the client went away)", request.method, request.path)
        raise
    except Exception:
        response = internal(request, lang)
    return localized(response, lang)


def invalid(lang: str, exc: Invalid) -> web.Response:
    detail = words.say(lang, exc.key, **exc.values)
    extra = {}
    if exc.status == 400 and exc.param:
        extra["invalid_params"] = [{"name": exc.param, "reason": detail}]
    return problem(exc.status, words.title(lang, exc.status), detail, **extra)


def http_error(request: web.Request, lang: str, exc: web.HTTPException) -> web.Response:
    headers = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
    path = words_path(request)
    if exc.status == 404:
        detail = words.say(lang, "http.not_found", path=path)
    elif exc.status == 405:
        allow = headers.get("Allow", "")
        detail = words.say(lang, "http.method", path=path, method=request.method, allow=allow)
    elif exc.status == 413:
        detail = words.say(lang, "body.too_large.server")
    else:
        detail = words.say(lang, "http.detail", method=request.method, path=path, reason=exc.reason)
    return problem(exc.status, words.title(lang, exc.status), detail, headers=headers)


def words_path(request: web.Request) -> str:
    """The path as it may be shown back: short, and printable."""
    path = request.path
    cut = path if len(path) <= 80 else path[:80] + "…"
    return cut if cut.isprintable() else ascii(cut)


def internal(request: web.Request, lang: str) -> web.Response:
    request_id = secrets.token_hex(8)
    log.error(
        "request %s: %s %s failed", request_id, request.method, words_path(request), exc_info=True
    )
    detail = words.say(lang, "internal", request_id=request_id)
    return problem(
        500,
        words.title(lang, 500),
        detail,
        headers={"X-Request-Id": request_id},
        request_id=request_id,
    )


def localized(response: web.StreamResponse, lang: str) -> web.StreamResponse:
    """A problem a route wrote in the domain's words, in the caller's language: the domain's
    messages read "中文 (english)", and one half is kept; an English caller also gets the
    title by status."""
    if response.content_type != PROBLEM_TYPE or not isinstance(response, web.Response):
        return response
    response.headers["Content-Language"] = "en" if lang == "en" else "zh-CN"
    if not isinstance(response.body, bytes):
        return response
    body = json.loads(response.body)
    if lang == "en" and not body.get("title", "").isascii():
        body["title"] = words.title(lang, response.status)
    body["detail"] = words.pick(lang, body.get("detail", ""))
    for param in body.get("invalid_params", []):
        param["reason"] = words.pick(lang, param.get("reason", ""))
    response.body = json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")
    return response


@web.middleware
async def etags(request: web.Request, handler) -> web.StreamResponse:
    """A strong ETag (of the body) on public GET answers, and 304 when the caller has it."""
    response = await handler(request)
    if (
        request.method not in (hdrs.METH_GET, hdrs.METH_HEAD)
        or response.status != 200
        or not isinstance(response, web.Response)
        or not isinstance(response.body, bytes)
        or is_private(request)
    ):
        return response
    if response.etag is None:
        response.etag = body_tag(response.body)
    tag = response.headers[hdrs.ETAG]
    if _matches(request.headers.get(hdrs.IF_NONE_MATCH), tag):
        kept = {
            k: v
            for k, v in response.headers.items()
            if k in (hdrs.ETAG, hdrs.CACHE_CONTROL, hdrs.VARY, hdrs.CONTENT_LOCATION)
        }
        return web.Response(status=304, headers=kept)
    return response


def body_tag(body: bytes) -> str:
    """A strong ETag of this body."""
    return hashlib.sha256(body).hexdigest()[:32]


def _matches(header: str | None, tag: str) -> bool:
    """RFC 9110 §13.1.2: If-None-Match compares weakly, and `*` matches any representation."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    own = tag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == own for part in header.split(","))


async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    headers = response.headers
    headers[hdrs.SERVER] = SERVER  # no version for anyone to match against advisories
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if response.content_type == "text/html":
        headers.setdefault("Content-Security-Policy", HTML_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
    if is_private(request) or response.status >= 500:
        headers[hdrs.CACHE_CONTROL] = "no-store"
    if hdrs.ETAG in headers:
        headers.setdefault(hdrs.VARY, "Accept")  # the notices answer HTML or JSON
    elif response.content_type == PROBLEM_TYPE:
        headers.setdefault(hdrs.VARY, "Accept-Language")
