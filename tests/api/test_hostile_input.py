"""Input meant to break the API gets a 4xx problem that says what is wrong, never a 500, and
changes nothing: bytes that are not UTF-8, ids beyond any column, Unicode digits, over-long
strings, NUL and lone surrogates, bogus charsets, absurd nesting, wrong media types."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from domain.audit import log as audit
from domain.config import Settings
from domain.people import api_tokens
from domain.storage.models import Invite
from field_api.app import create_app
from tests.kit import factories
from tests.kit.raw_http import send

PATH = "/api/v1/invites"


@pytest.fixture
async def world(db):
    return await factories.world()


@pytest.fixture
async def client(world) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(Settings()), host="127.0.0.1")) as c:
        yield c


@pytest.fixture
async def token(world) -> str:
    issued = await api_tokens.issue_token(
        world.actor(world.coordinator), "coordinator", world.coordinator.id
    )
    return issued.token


def problem_of(status: int, content_type: str, body: bytes, expected: int) -> dict:
    assert status == expected, body.decode(errors="replace")
    assert content_type.startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == expected and problem["title"] and problem["detail"]
    return problem


async def assert_problem(response, expected: int) -> dict:
    return problem_of(
        response.status, response.headers["Content-Type"], await response.read(), expected
    )


async def assert_nothing_changed() -> None:
    assert await Invite.all().count() == 0
    assert [e.action for e in await audit.list_entries()] == ["api_token.issue"]


@pytest.mark.parametrize(
    "value",
    [
        b"Bearer ssj_\xff\xfe\xc3\x28",  # not UTF-8
        "Bearer ssj_令牌".encode(),  # UTF-8, not ASCII
        b"Bearer ssj_" + b"A" * 5000,  # far longer than any token
    ],
)
async def test_a_token_that_cannot_be_one_is_401(client, token, value):
    answer = await send(
        client.port,
        "POST",
        PATH,
        {"Authorization": value, "Content-Type": "application/json"},
        b'{"role": "inspector", "person": "ZF001"}',
    )
    problem_of(answer.status, answer.headers["content-type"], answer.body, 401)
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]
    await assert_nothing_changed()


@pytest.mark.parametrize(
    "person",
    [
        2**31,  # beyond PostgreSQL's integer
        2**64 + 1,  # beyond SQLite's
        "9" * 23,
        "18446744073709551617",
        "²",  # isdigit() says yes, int() fails
        "١",  # int() reads 1: must not name coordinator 1
        "𝟏",
        "１",
        "-1",
        0,
    ],
)
async def test_a_coordinator_id_that_names_no_row_is_400(client, token, person):
    response = await client.post(
        PATH, json={"role": "coordinator", "person": person}, headers=bearer(token)
    )
    problem = await assert_problem(response, 400)
    assert [p["name"] for p in problem["invalid_params"]] == ["person"]
    await assert_nothing_changed()


async def test_an_over_long_certificate_number_is_400_and_not_echoed(client, token):
    cert = "Z" * 5000
    response = await client.post(
        PATH, json={"role": "inspector", "person": cert}, headers=bearer(token)
    )
    problem = await assert_problem(response, 400)
    assert "64" in problem["detail"] and cert not in problem["detail"]
    await assert_nothing_changed()


@pytest.mark.parametrize(
    ("raw", "member"),
    [
        (r'{"role": "inspector", "person": "ZF\u0000001"}', "person"),
        (r'{"role": "inspector", "person": "\ud800"}', "person"),
        (r'{"role": "inspector\udfff", "person": "ZF001"}', "role"),
        (r'{"role": "inspector", "person": "ZF001", "x\u0000": 1}', "body"),
    ],
)
async def test_nul_and_lone_surrogates_are_400(client, token, raw, member):
    response = await client.post(PATH, data=raw, headers=json_headers(token))
    problem = await assert_problem(response, 400)
    assert [p["name"] for p in problem["invalid_params"]] == [member]
    await assert_nothing_changed()


async def test_a_bogus_charset_is_415(client, token):
    answer = await send(
        client.port,
        "POST",
        PATH,
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json; charset=bogus"},
        b'{"role": "inspector", "person": "ZF001"}',
    )
    problem = problem_of(answer.status, answer.headers["content-type"], answer.body, 415)
    assert "bogus" in problem["detail"]
    await assert_nothing_changed()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_a_body_that_is_not_json_by_type_is_415(client, token, content_type):
    response = await client.post(
        PATH,
        data=b'{"role": "inspector", "person": "ZF001"}',
        headers=bearer(token) | {"Content-Type": content_type},
    )
    await assert_problem(response, 415)
    await assert_nothing_changed()


@pytest.mark.parametrize(("opener", "depth"), [("[", 100_000), ('{"a":', 100_000), ("[", 5_000)])
async def test_json_nested_absurdly_deep_is_refused(client, token, opener, depth):
    closer = "]" if opener == "[" else "}"
    raw = opener * depth + "1" + closer * depth
    response = await client.post(PATH, data=raw, headers=json_headers(token))
    # Beyond the body's size limit it is 413; within it the nesting itself is refused.
    problem = await assert_problem(response, 413 if len(raw) > 64 * 1024 else 400)
    assert problem["detail"]
    await assert_nothing_changed()


async def test_bytes_that_are_not_utf8_in_the_body_are_400(client, token):
    response = await client.post(
        PATH, data=b'{"role": "inspector", "person": "\xff\xfe"}', headers=json_headers(token)
    )
    await assert_problem(response, 400)
    await assert_nothing_changed()


async def test_nan_is_not_json(client, token):
    raw = '{"role": "inspector", "person": "ZF001", "hours": NaN}'
    response = await client.post(PATH, data=raw, headers=json_headers(token))
    await assert_problem(response, 400)


@pytest.mark.parametrize(
    "path",
    [
        "/public/campaigns/" + "X" * 5000,
        "/public/campaigns/" + "X" * 5000 + "/results",
        "/public/campaigns/%00",
        "/public/campaigns/%ED%A0%80",  # an encoded lone surrogate
        "/public/campaigns/NO-SUCH/candidates/" + "s" * 5000,
    ],
)
async def test_a_public_page_for_an_impossible_code_is_404(client, path):
    response = await client.get(path)
    await assert_problem(response, 404)


async def test_a_public_page_with_a_bad_format_is_400(client, world):
    response = await client.get(f"/public/campaigns/{world.campaign.code}?format=" + "x" * 5000)
    await assert_problem(response, 400)
    response = await client.get(f"/public/campaigns/{world.campaign.code}?format=%00")
    await assert_problem(response, 400)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def json_headers(token: str) -> dict[str, str]:
    return bearer(token) | {"Content-Type": "application/json"}


async def test_a_huge_chunked_body_is_413(client, token):
    async def chunks():
        for _ in range(40):
            yield b" " * 65536  # 2.5 MiB in all, without a Content-Length

    response = await client.post(PATH, data=chunks(), headers=json_headers(token))
    await assert_problem(response, 413)
    await assert_nothing_changed()


async def test_brackets_inside_strings_are_not_nesting(client, token):
    person = "ZF" + "[{" * 40 + '\\"' + "]" * 40
    raw = json.dumps({"role": "inspector", "person": person})
    response = await client.post(PATH, data=raw, headers=json_headers(token))
    problem = await assert_problem(response, 400)  # too long for a certificate number, not deep
    assert problem["invalid_params"][0]["name"] == "person"
    short = json.dumps({"role": "inspector", "person": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})
    response = await client.post(PATH, data=short, headers=json_headers(token))
    await assert_problem(response, 404)  # read, and no such inspector
