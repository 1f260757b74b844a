"""Who gets what from every route of the field API: one row per route, one column per caller.

The world (tests/kit/access_world.py) is a campaign of the county 419802 drawn into tasks; the
task's team is on site. The columns:
  ano  no token                          min  an inspector on the task's team
  oth  an inspector of another task's team
  crd  the county's coordinator          sib  the sibling county's coordinator
  par  the city's coordinator (the county's parent department)
  rev, exp: the county coordinator's tokens, revoked and expired
  ro   the county coordinator's read-only token

A number is the exact status. `in` means let in, the write is real for that caller: any status
but 401, 403, 404 or 5xx (the next allowed caller may meet its effect: a revoked token, a
campaign code taken). Other writes send what is refused (400, 409: the task is on site, the
campaign drawn) once the caller is let in, so that no row changes the world for the next; the
cancel comes after the task's other rows.
What a caller may not see answers 404 (or, to an inspector on a coordinator's route, the 403
given before anything is looked up) word for word as for something that does not exist: every
such cell is checked against the same request about a missing one. A GET row holds for HEAD.
"""

from __future__ import annotations

import re

import pytest
import pytest_asyncio
from aiohttp import FormData
from tortoise.context import TortoiseContext

from domain.config import Settings
from domain.storage.db import tortoise_config
from field_api.app import create_app
from tests.kit import evidence_samples as samples
from tests.kit.access_world import access_world
from tests.kit.databases import BACKEND, FRESH_PG_DATABASE, new_pg_database
from tests.kit.field_api import serving
from tests.kit.fonts import shared_cjk_test_font
from tests.kit.office_clock import OfficeClock

CALLERS = ("anon", "mine", "other", "coord", "sib", "parent", "revoked", "expired", "ro")  # ano..ro
WORLD_NAMES = {"anon": "anonymous", "mine": "inspector", "other": "other_inspector",
               "coord": "coordinator", "sib": "sibling", "parent": "parent",
               "revoked": "revoked", "expired": "expired", "ro": "read_only"}  # fmt: skip

NEW_CAMPAIGN = {"code": "2026-MX-02", "name": "另一次抽查", "items": ["{item}"],
                "start_date": "2026-11-02", "due_date": "2026-12-18"}  # fmt: skip
# A category that does not say the target could not be inspected: refused after the lookup.
NOT_A_REASON = {"reason": "登记地址已拆除", "categories": ["1"]}
PENALTY = {"decision_no": "罚字1号", "decided_on": "2026-11-20", "content": "罚款"}
PHOTO = "photo"  # a multipart upload of a small JPEG
CSV = "csv"  # a multipart upload of an empty directory file

# fmt: off
MATRIX = (
    # method   path                                   ano min oth crd sib par rev exp ro
    ("GET",    "/openapi.json",                       "200 200 200 200 200 200 200 200 200"),
    ("POST",   "/auth/token",                         "in  in  in  in  in  in  in  in  in"),
    ("POST",   "/auth/login-codes",                   "401 403 403 201 403 201 401 401 403"),
    ("GET",    "/auth/tokens",                        "401 200 200 200 200 200 401 401 200"),
    ("DELETE", "/auth/tokens/{token}",                "401 in  404 in  404 in  401 401 403"),
    ("POST",   "/invites",                            "401 403 403 201 403 201 401 401 403"),
    ("GET",    "/invites",                            "401 403 403 200 200 200 401 401 200"),
    ("DELETE", "/invites/{invite}",                   "401 403 403 in  404 in  401 401 403"),
    ("GET",    "/me",                                 "401 200 200 200 200 200 401 401 200"),
    ("GET",    "/tasks",                              "401 200 200 200 200 200 401 401 200"),
    ("GET",    "/tasks/{task}",                       "401 200 404 200 404 200 401 401 200"),
    ("GET",    "/tasks/{task}/notice.pdf",            "401 200 404 200 404 200 401 401 200"),
    ("POST",   "/tasks/{task}/accept",                "401 200 404 403 404 403 401 401 403"),
    ("POST",   "/tasks/{task}/recuse",                "401 409 404 403 404 403 401 401 403"),
    ("POST",   "/tasks/{task}/check-in",              "401 409 404 409 404 409 401 401 403"),
    ("POST",   "/tasks/{task}/notes",                 "401 201 404 403 404 403 401 401 403"),
    ("POST",   "/tasks/{task}/could-not-inspect",     "401 409 404 409 404 409 401 401 403"),
    ("POST",   "/tasks/{task}/evidence",              "401 201 404 403 404 403 401 401 403"),
    ("GET",    "/tasks/{task}/report",                "401 200 404 200 404 200 401 401 200"),
    ("GET",    "/report-form",                        "401 200 200 200 200 200 401 401 200"),
    ("PUT",    "/tasks/{task}/report",                "401 200 404 403 404 403 401 401 403"),
    ("POST",   "/tasks/{task}/report/confirm",        "401 409 404 403 404 403 401 401 403"),
    ("POST",   "/tasks/{task}/report/submit",         "401 409 404 403 404 403 401 401 403"),
    ("GET",    "/tasks/{task}/bundle.zip",            "401 200 404 200 404 200 401 401 200"),
    ("POST",   "/tasks/{task}/approve",               "401 403 403 409 404 409 401 401 403"),
    ("POST",   "/tasks/{task}/return",                "401 403 403 409 404 409 401 401 403"),
    ("POST",   "/tasks/{task}/reject",                "401 403 403 409 404 409 401 401 403"),
    ("POST",   "/tasks/{task}/penalties",             "401 403 404 in  404 in  401 401 403"),
    # After every other row of the task: the coordinator's cancel goes through.
    ("POST",   "/tasks/{task}/cancel",                "401 403 403 in  404 in  401 401 403"),
    ("POST",   "/penalties/{penalty}/publish",        "401 403 403 400 404 400 401 401 403"),
    ("POST",   "/follow-ups/{followup}/close",        "401 in  404 in  404 in  401 401 403"),
    ("GET",    "/review",                             "401 403 403 200 200 200 401 401 200"),
    ("POST",   "/campaigns",                          "401 403 403 in  in  in  401 401 403"),
    ("GET",    "/campaigns",                          "401 403 403 200 200 200 401 401 200"),
    ("GET",    "/campaigns/{code}",                   "401 403 403 200 404 200 401 401 200"),
    ("PATCH",  "/campaigns/{code}",                   "401 403 403 400 404 400 401 401 403"),
    ("DELETE", "/campaigns/{code}",                   "401 403 403 400 404 400 401 401 403"),
    ("GET",    "/campaigns/{code}/status",            "401 403 403 200 404 200 401 401 200"),
    ("GET",    "/campaigns/{code}/overdue",           "401 403 403 200 404 200 401 401 200"),
    ("GET",    "/campaigns/{code}/anomalies",         "401 403 403 200 404 200 401 401 200"),
    ("GET",    "/campaigns/{code}/tasks",             "401 403 403 200 404 200 401 401 200"),
    ("POST",   "/campaigns/{code}/draw/prepare",      "401 403 403 400 404 400 401 401 403"),
    ("GET",    "/campaigns/{code}/draw",              "401 403 403 404 404 404 401 401 404"),
    ("POST",   "/campaigns/{code}/draw/reveal",       "401 403 403 400 404 400 401 401 403"),
    ("POST",   "/campaigns/{code}/draw/abandon",      "401 403 403 400 404 400 401 401 403"),
    ("GET",    "/campaigns/{code}/draw/record",       "401 403 403 200 404 200 401 401 200"),
    ("GET",    "/campaigns/{code}/credit-export",     "401 403 403 400 404 400 401 401 400"),
    ("POST",   "/campaigns/{code}/publish",           "401 403 403 400 404 400 401 401 403"),
    ("GET",    "/directory/{kind}",                   "401 403 403 200 200 200 401 401 200"),
    ("GET",    "/directory/{kind}/export",            "401 403 403 200 200 200 401 401 200"),
    ("POST",   "/directory/{kind}/import",            "401 403 403 403 403 422 401 401 403"),
    ("GET",    "/audit/verify",                       "401 403 403 200 200 200 401 401 200"),
    # Last: it gives up the token it is called with (each caller gets a fresh one for it).
    ("POST",   "/auth/logout",                        "401 204 204 204 204 204 401 401 204"),
)
# fmt: on

# What each write sends (reads send nothing): refused by the lifecycle once let in, or a
# harmless change (see the module's docstring).
BODIES = {
    ("POST", "/auth/token"): {"code": "000000"},
    ("POST", "/auth/login-codes"): {"person": "{cert}"},
    ("POST", "/invites"): {"role": "inspector", "person": "{cert}"},
    ("POST", "/tasks/{task}/accept"): {},
    ("POST", "/tasks/{task}/recuse"): {"reason": "亲属"},
    ("POST", "/tasks/{task}/check-in"): {"lat": 33.75, "lon": 113.35},
    ("POST", "/tasks/{task}/notes"): {"text": "消防通道畅通"},
    ("POST", "/tasks/{task}/could-not-inspect"): NOT_A_REASON,
    ("POST", "/tasks/{task}/evidence"): PHOTO,
    ("PUT", "/tasks/{task}/report"): {"findings": "未发现问题"},
    ("POST", "/tasks/{task}/report/confirm"): {"revision": 99},
    ("POST", "/tasks/{task}/report/submit"): {},
    ("POST", "/tasks/{task}/approve"): {},
    ("POST", "/tasks/{task}/return"): {"comments": "补充"},
    ("POST", "/tasks/{task}/reject"): {"reason": "驳回"},
    ("POST", "/tasks/{task}/penalties"): PENALTY,
    ("POST", "/tasks/{task}/cancel"): {"reason": "撤销"},
    ("POST", "/penalties/{penalty}/publish"): {},
    ("POST", "/follow-ups/{followup}/close"): {"result": "已整改"},
    ("POST", "/campaigns"): NEW_CAMPAIGN,
    ("PATCH", "/campaigns/{code}"): {"name": "改名"},
    ("POST", "/campaigns/{code}/draw/prepare"): {},
    ("POST", "/campaigns/{code}/draw/reveal"): {"dice": "1234"},
    ("POST", "/campaigns/{code}/draw/abandon"): {"reason": "重抽"},
    ("POST", "/campaigns/{code}/publish"): {},
    ("POST", "/directory/{kind}/import"): CSV,
}

IN = "in"
# What a row's braces name when it asks for something that does not exist.
MISSING = {"task": 999999, "code": "2026-NO-99", "token": 999999, "invite": 999999,
           "penalty": 999999, "followup": 999999}  # fmt: skip
# Who may see each kind of thing: a 403 or 404 to them is about the action or its state, not a
# secret; to anyone else it must be word for word the answer about a missing one.
SEES = {
    "task": {"mine", "coord", "parent", "ro"},
    "code": {"coord", "parent", "ro"},
    "token": {"mine", "coord", "parent", "ro"},
    "invite": {"coord", "parent", "ro"},
    "penalty": {"coord", "parent", "ro"},
    "followup": {"mine", "coord", "parent", "ro"},
}
HAS_TOKEN = {"mine", "other", "coord", "sib", "parent", "ro"}


def rows():
    for method, path, statuses in MATRIX:
        body = BODIES.get((method, path))
        for caller, expected in zip(CALLERS, statuses.split(), strict=True):
            yield pytest.param(method, path, body, caller, expected,
                               id=f"{method} {path} {caller}")  # fmt: skip


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def matrix_world(tmp_path_factory):
    """One world for every cell: on PostgreSQL in a database of its own (the shared one is
    emptied between tests)."""
    clock = OfficeClock()
    url = "sqlite://:memory:"
    if BACKEND == "postgres":
        url = await new_pg_database(FRESH_PG_DATABASE + "_matrix")
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url), _create_db=BACKEND != "postgres",
                       _enable_global_fallback=True)  # fmt: skip
        await ctx.generate_schemas(safe=False)
        built = await access_world(clock)
        settings = Settings(data_dir=tmp_path_factory.mktemp("matrix"),
                            font_path=shared_cjk_test_font())  # fmt: skip
        async with serving(settings) as client:
            yield built, client
    clock.stop()


def filled(value, values: dict):
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, list):
        return [filled(v, values) for v in value]
    if isinstance(value, dict):
        return {k: filled(v, values) for k, v in value.items()}
    return value


async def call(client, method: str, path: str, body, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = "/api/v1" + path
    if body in (PHOTO, CSV):
        form = FormData()
        if body == PHOTO:
            photo = samples.small_jpeg("2026:11:20 15:05:00", 33.75, 113.35)
            form.add_field("file", photo, filename="p.jpg", content_type="image/jpeg")
        else:
            form.add_field("file", b"", filename="d.csv", content_type="text/csv")
        return await client.request(method, url, data=form, headers=headers)
    return await client.request(method, url, json=body, headers=headers)


async def answer(response, value) -> tuple[int, str]:
    """Status and body, with the number or code asked for blotted out (a detail may echo it)."""
    text = (await response.read()).decode("utf-8", "replace")
    return response.status, re.sub(rf"\b{re.escape(str(value))}\b", "#", text)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("method", "path", "body", "caller", "expected"), list(rows()))
async def test_matrix(matrix_world, method, path, body, caller, expected):
    built, client = matrix_world
    values = built.values()
    token = built.tokens[WORLD_NAMES[caller]]
    if path == "/auth/logout" and caller in HAS_TOKEN:
        token = await built.fresh_token(WORLD_NAMES[caller])
    sent = filled(body, values) if body not in (PHOTO, CSV) else body
    response = await call(client, method, path.format(**values), sent, token)
    kind = next((k for k in MISSING if "{" + k + "}" in path), None)
    status, text = await answer(response, values[kind] if kind else "\0")
    if expected == IN:
        assert status not in (401, 403, 404) and status < 500, (status, text[:300])
    else:
        assert str(status) == expected, (status, text[:300])
    if method == "GET":  # HEAD, which the router adds to every GET, answers alike
        head = await call(client, "HEAD", path.format(**values), None, token)
        assert head.status == status, ("HEAD", head.status)
    if kind and expected in ("403", "404") and caller in HAS_TOKEN - SEES[kind]:
        twin = await call(client, method, path.format(**values | {kind: MISSING[kind]}),
                          sent, token)  # fmt: skip
        assert (status, text) == await answer(twin, MISSING[kind]), "told apart from a missing one"


def test_every_route_is_in_the_matrix(tmp_path):
    """HEAD follows GET; routes outside /api/v1 (health, the public notices) need no token."""
    app = create_app(Settings(data_dir=tmp_path))
    missing = []
    for route in app.router.routes():
        method, path = route.method, route.resource.canonical
        if method == "HEAD" or not path.startswith("/api/v1/"):
            continue
        generic = path.removeprefix("/api/v1")
        if not any(m == method and _same_route(p, generic) for m, p, _ in MATRIX):
            missing.append(f"{method} {path}")
    assert missing == [], "routes without a row in MATRIX"


def _same_route(row: str, route: str) -> bool:
    """A row's path names the world's things ({task}, 999999); the router's, its parameters."""
    a, b = row.split("/"), route.split("/")
    if len(a) != len(b):
        return False
    return all(
        x == y or (y.startswith("{") and (x.startswith("{") or x.isdigit()))
        for x, y in zip(a, b, strict=True)
    )
