"""What every answer shares: a failure is a problem with a request id (logged once, with its
traceback), in the caller's language; security headers; ETags and 304; a caller who hangs up
is no error; /healthz names nothing."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from domain.people import api_tokens
from domain.publication import home
from field_api.app import create_app
from tests.kit import factories


@pytest.fixture
async def world(db):
    return await factories.world()


class Broken:
    """Routes of the test's own that fail as code can: to see what the caller gets."""

    def __init__(self) -> None:
        self.finished = asyncio.Event()

    @web.middleware
    async def outermost(self, request: web.Request, handler) -> web.StreamResponse:
        """Outside the app's own middlewares: set once they have dealt with the request."""
        try:
            return await handler(request)
        finally:
            self.finished.set()

    async def crash(self, request: web.Request) -> web.Response:
        raise KeyError("secret-internal-detail /srv/ssj/db.sqlite3")

    async def stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        while True:  # until the client is gone: then write raises ConnectionResetError
            await response.write(b"x" * 65536)
            await asyncio.sleep(0)  # no wait: lets the event loop see the hang-up


@pytest.fixture
async def broken() -> Broken:
    return Broken()


@pytest.fixture
async def client(world, broken) -> AsyncIterator[TestClient]:
    app = create_app(Settings())
    app.middlewares.insert(0, broken.outermost)
    app.router.add_get("/api/v1/crash", broken.crash)
    app.router.add_get("/public/crash", broken.crash)
    app.router.add_get("/public/stream", broken.stream)
    async with TestClient(TestServer(app, host="127.0.0.1")) as c:
        yield c


@pytest.fixture
async def token(world) -> str:
    issued = await api_tokens.issue_token(
        world.actor(world.coordinator), "coordinator", world.coordinator.id
    )
    return issued.token


async def test_an_unexpected_failure_is_a_problem_500_with_a_request_id(client, token, caplog):
    caplog.set_level(logging.INFO)
    for path, headers in (
        ("/api/v1/crash", {"Authorization": f"Bearer {token}"}),
        ("/public/crash", {}),
    ):
        caplog.clear()
        response = await client.get(path, headers=headers)
        assert response.status == 500
        assert response.content_type == "application/problem+json"
        body = await response.json()
        request_id = body["request_id"]
        assert request_id in body["detail"] and response.headers["X-Request-Id"] == request_id
        assert "secret-internal-detail" not in await response.text()
        assert "KeyError" not in await response.text()
        assert response.headers["Cache-Control"] == "no-store"
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1  # once: by us, not again by aiohttp
        assert request_id in errors[0].getMessage() and errors[0].exc_info is not None


async def test_problems_speak_the_callers_language(client, token):
    zh = await client.get("/api/v1/no-such-thing", headers={"Authorization": f"Bearer {token}"})
    body = await zh.json()
    assert (
        zh.status == 404 and body["title"] == "未找到" and zh.headers["Content-Language"] == "zh-CN"
    )
    en = await client.get(
        "/api/v1/no-such-thing",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en-US,en;q=0.9"},
    )
    body = await en.json()
    assert body["title"] == "Not found" and "No such address" in body["detail"]
    assert en.headers["Content-Language"] == "en"
    missing = await client.post("/api/v1/invites", json={}, headers={"Accept-Language": "en"})
    assert (await missing.json())["detail"].startswith("Missing token")
    # A domain refusal, written "中文 (english)", keeps only the caller's half.
    for lang, expected in (
        ("zh-CN", "没有执法证号为 NO-SUCH 的检查人员"),
        ("en", "no such inspector"),
    ):
        response = await client.post(
            "/api/v1/invites",
            json={"role": "inspector", "person": "NO-SUCH"},
            headers={"Authorization": f"Bearer {token}", "Accept-Language": lang},
        )
        assert (await response.json())["detail"] == expected
    crash = await client.get("/public/crash", headers={"Accept-Language": "fr, en;q=0.5"})
    assert (await crash.json())["title"] == "Internal server error"


async def test_security_headers_on_every_answer(client, world, token):
    html = await client.get(f"/public/campaigns/{world.campaign.code}?format=html")
    as_json = await client.get("/public/campaigns")
    problem = await client.get("/public/campaigns/NO-SUCH")
    private = await client.post(
        "/api/v1/invites",
        json={"role": "inspector", "person": "ZF001"},
        headers={"Authorization": f"Bearer {token}"},
    )
    document = await client.get("/api/v1/openapi.json")
    health = await client.get("/healthz")
    assert (html.status, as_json.status, problem.status, private.status) == (200, 200, 404, 201)
    for response in (html, as_json, problem, private, document, health):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Server"] == "shuangsuiji"  # no versions
    assert "frame-ancestors 'none'" in html.headers["Content-Security-Policy"]
    assert "Content-Security-Policy" not in as_json.headers
    assert private.headers["Cache-Control"] == "no-store"
    assert "no-store" not in as_json.headers.get("Cache-Control", "")


async def test_a_public_get_has_a_strong_etag_and_answers_304(client, world):
    url = f"/public/campaigns/{world.campaign.code}"
    first = await client.get(url)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = await client.get(url, headers={"If-None-Match": etag})
    assert again.status == 304 and again.headers["ETag"] == etag
    assert await again.read() == b""
    for header in (f'"other", {etag}', f"W/{etag}", "*"):
        assert (await client.get(url, headers={"If-None-Match": header})).status == 304
    assert (await client.get(url, headers={"If-None-Match": '"other"'})).status == 200
    html = await client.get(url + "?format=html")
    assert html.headers["ETag"] != etag  # another representation
    assert (await client.get(url + "?format=html", headers={"If-None-Match": etag})).status == 200


async def test_a_caller_who_hangs_up_is_not_an_error(client, broken, caplog):
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as session:
        response = await session.get(client.make_url("/public/stream"))
        await response.content.read(65536)
        response.close()  # drops the connection mid-answer
    await broken.finished.wait()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any("went away" in r.getMessage() for r in caplog.records)


async def test_healthz_says_down_without_saying_why():
    # No database configured in this process: the check fails.
    async with TestClient(TestServer(create_app(Settings()), host="127.0.0.1")) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        assert await response.json() == {"status": "error", "database": "unavailable"}
        assert response.headers["Cache-Control"] == "no-store"


async def test_the_routers_own_errors_outside_the_api_are_problems(client):
    for response, status in (
        (await client.post("/public/campaigns"), 405),
        (await client.get("/no-such-page"), 404),
        (await client.delete("/healthz"), 405),
    ):
        assert response.status == status
        assert response.content_type == "application/problem+json"
        assert (await response.json())["status"] == status
    assert "GET" in (await client.post("/public/campaigns")).headers["Allow"]


async def test_a_public_refusal_in_english(client):
    response = await client.get(
        "/public/campaigns/NO-SUCH/results", headers={"Accept-Language": "en"}
    )
    body = await response.json()
    assert response.status == 404 and body["title"] == "Not found"
    assert body["detail"] == "not found: no such campaign, or not public yet"
    zh = await (await client.get("/public/campaigns/NO-SUCH/results")).json()
    assert zh["detail"].endswith("尚未公开")


async def test_the_pages_own_script_is_the_only_one_allowed(client, world):
    for url in (home.HOME_PATH, f"/public/campaigns/{world.campaign.code}?format=html"):
        response = await client.get(url)
        html = await response.text()
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        policy = response.headers["Content-Security-Policy"]
        for script in scripts:  # each inline script runs only if the policy names its hash
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy, url
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]


async def test_a_lone_surrogate_in_a_query_is_a_problem_not_a_500(client):
    for url in (home.HOME_PATH + "?lang=%ED%A0%80", home.HOME_PATH + "?format=%ED%A0%80x"):
        response = await client.get(url)
        assert response.status == 400, await response.text()
        assert response.content_type == "application/problem+json"
