"""Reading what a caller sends: one set of checks that every route uses, so that no input
reaches the domain (or the database) in a shape it would fail on with a 500.

A request body is a JSON object in UTF-8, at most MAX_BODY bytes and MAX_DEPTH levels deep,
without NUL or lone surrogates in any string; members are checked against the lengths of the
columns they end up in and ids against the range of a PostgreSQL integer. A refusal raises
Invalid, which the problems middleware answers in the caller's language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from domain.rules.ids import MAX_ID, parse_id

MAX_BODY = 64 * 1024
MAX_DEPTH = 20
JSON_TYPES = ("application/json",)
UTF8 = ("utf-8", "utf8")
_INDEX = re.compile(r"[0-9]{1,10}", re.ASCII)
# A JSON string (skipped whole) or a bracket.
_BRACKETS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.DOTALL)


class Invalid(Exception):
    """A refused input: `key` and `values` are the words of field_api/words.py; `name` the
    member, parameter or header at fault (an invalid_params entry on a 400)."""

    def __init__(self, status: int, key: str, param: str | None = None, **values: object):
        super().__init__(key)
        self.status = status
        self.key = key
        self.param = param
        self.values = values


def clean_text(text: str) -> bool:
    """No NUL (PostgreSQL text refuses it) and no lone surrogate (UTF-8 cannot encode it)."""
    return "\x00" not in text and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


async def json_object(request: web.Request) -> dict[str, Any]:
    """The request's body: a JSON object sent as application/json in UTF-8."""
    body, _ = await read_json(request)
    return body


async def read_json(
    request: web.Request, limit: int = MAX_BODY, *, empty_ok: bool = False
) -> tuple[dict[str, Any], bytes]:
    """The body's JSON object and its bytes (for an idempotency fingerprint); with `empty_ok`
    an empty body, whatever its media type, is {}."""
    if request.content_length is not None and request.content_length > limit:
        raise Invalid(413, "body.too_large", "body", limit=limit)
    raw = await request.read()  # aiohttp's own limit (client_max_size) answers 413 beyond it
    if len(raw) > limit:
        raise Invalid(413, "body.too_large", "body", limit=limit)
    if empty_ok and not raw.strip():
        return {}, raw
    media = request.content_type
    if media not in JSON_TYPES and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        raise Invalid(415, "body.media_type", "Content-Type", got=media[:80])
    charset = request.charset
    if charset is not None and charset.lower() not in UTF8:
        raise Invalid(415, "body.charset", "Content-Type", charset=charset[:40])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid(400, "body.not_utf8", "body") from None
    if _too_deep(text, MAX_DEPTH):
        raise Invalid(400, "body.too_deep", "body", limit=MAX_DEPTH)
    try:
        body = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise Invalid(400, "body.not_json", "body") from None
    if not isinstance(body, dict):
        raise Invalid(400, "body.not_object", "body")
    _check_strings(body, "")
    return body, raw


def _is_json(media: str) -> bool:
    return media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _too_deep(text: str, limit: int) -> bool:
    """Whether brackets nest deeper than `limit` outside strings: checked before parsing, so
    that a body nested 100,000 deep costs one scan and no recursion."""
    depth = 0
    for token in _BRACKETS.finditer(text):
        ch = token.group()
        if ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _check_strings(value: Any, where: str) -> None:
    if isinstance(value, str):
        if not clean_text(value):
            raise Invalid(400, "field.bad_char", where or "body", name=where or "body")
    elif isinstance(value, dict):
        for key, member in value.items():
            name = f"{where}.{key}" if where else key
            if not clean_text(key):
                raise Invalid(400, "field.bad_char", "body", name="body")
            _check_strings(member, name)
    elif isinstance(value, list):
        for index, member in enumerate(value):
            _check_strings(member, f"{where}[{index}]")


def only(body: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise Invalid(400, "field.unknown", unknown[0][:64], name=unknown[0][:64])


def string(
    body: dict[str, Any], name: str, limit: int, *, required: bool = True, default: str = ""
) -> str:
    """A member that is a non-empty string of at most `limit` characters once stripped."""
    value = body.get(name)
    if value is None and not required:
        return default
    if value is None:
        raise Invalid(400, "field.required", name, name=name)
    if not isinstance(value, str):
        raise Invalid(400, "field.string", name, name=name)
    value = value.strip()
    if not value and required:
        raise Invalid(400, "field.blank", name, name=name)
    if len(value) > limit:
        raise Invalid(400, "field.too_long", name, name=name, limit=limit, length=len(value))
    return value


def integer(
    body: dict[str, Any], name: str, low: int, high: int, *, default: int | None = None
) -> int:
    """A member that is a JSON integer (not a bool, not 1.0) from low to high."""
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(400, "field.integer", name, name=name, low=low, high=high)
    return value


def identifier(body: dict[str, Any], name: str) -> int:
    """A member naming a row by id: an integer, or a string of ASCII digits, 1..MAX_ID."""
    found = parse_id(body.get(name))
    if found is None:
        raise Invalid(400, "field.integer", name, name=name, low=1, high=MAX_ID)
    return found


def choice(body: dict[str, Any], name: str, choices: Iterable[str]) -> str:
    options = tuple(choices)
    value = body.get(name)
    if not isinstance(value, str) or value not in options:
        got = repr(value)[:40] if isinstance(value, str | int | float) else type(value).__name__
        raise Invalid(400, "field.choice", name, name=name, choices=", ".join(options), got=got)
    return value


def path_id(request: web.Request, name: str) -> int | None:
    """An id in the URL (match_info), or None when it can name no row (the route says 404)."""
    return parse_id(request.match_info[name])


def query_int(request: web.Request, name: str, low: int, high: int, default: int) -> int:
    """An integer query parameter in ASCII digits (`?limit=²` is refused, not a 500)."""
    raw = request.query.get(name)
    if raw is None:
        return default
    if not _INDEX.fullmatch(raw) or not low <= int(raw) <= high:
        raise Invalid(400, "field.integer", name, name=name, low=low, high=high)
    return int(raw)


def path_text(request: web.Request, name: str, limit: int) -> str:
    """A segment of the URL (match_info), refused when longer than its column or unclean:
    404, since no row can have it."""
    value = request.match_info[name]
    if len(value) > limit:
        raise Invalid(404, "path.too_long", name, name=name, limit=limit)
    if not clean_text(value):
        raise Invalid(404, "path.bad_char", name)
    return value


def query_text(request: web.Request, name: str, limit: int = 64) -> str:
    value = request.query.get(name, "")
    if len(value) > limit or not clean_text(value):
        raise Invalid(400, "path.bad_char", name)
    return value
