"""The sign-in, token, invite and inspector routes under the same hostile input: ids in the
URL that no column can hold or that are not ASCII, query numbers in other scripts, bodies of
the wrong type or charset, header bytes that are not UTF-8. Each is a 4xx problem."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from domain.people import api_tokens
from domain.storage.models import ApiToken, Evidence, Invite
from field_api.app import create_app
from tests.kit import factories
from tests.kit.raw_http import send

BAD_IDS = ["9" * 23, "2147483648", "١", "𝟏", "²", "0"]


@pytest.fixture
async def world(db):
    return await factories.world("accepted")


@pytest.fixture
async def client(world) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(Settings()), host="127.0.0.1")) as c:
        yield c


async def token(world, role: str, person_id: int) -> str:
    issued = await api_tokens.issue_token(world.actor(world.coordinator), role, person_id)
    return issued.token


async def assert_problem(response, expected: int) -> dict:
    assert response.status == expected, await response.text()
    assert response.content_type == "application/problem+json"
    body = json.loads(await response.read())
    assert body["status"] == expected and body["detail"]
    return body


@pytest.mark.parametrize("bad", BAD_IDS)
async def test_ids_in_the_url_that_name_no_row_are_404(world, client, bad):
    boss = {"Authorization": f"Bearer {await token(world, 'coordinator', world.coordinator.id)}"}
    leader = {"Authorization": f"Bearer {await token(world, 'inspector', world.leader.id)}"}
    for method, path, headers in (
        ("DELETE", f"/api/v1/auth/tokens/{bad}", boss),
        ("DELETE", f"/api/v1/invites/{bad}", boss),
        ("GET", f"/api/v1/tasks/{bad}", leader),
        ("GET", f"/api/v1/tasks/{bad}/report", leader),
        ("POST", f"/api/v1/tasks/{bad}/accept", leader),
    ):
        response = await client.request(method, path, headers=headers)
        await assert_problem(response, 404)
    assert await ApiToken.filter(revoked_at=None).count() == 2


@pytest.mark.parametrize("limit", ["²", "١", "𝟏0", "9" * 23, "-1"])
async def test_a_listing_limit_in_other_digits_is_400(world, client, limit):
    leader = {"Authorization": f"Bearer {await token(world, 'inspector', world.leader.id)}"}
    response = await client.get("/api/v1/tasks", params={"limit": limit}, headers=leader)
    await assert_problem(response, 400)


async def test_sign_in_with_a_bogus_charset_or_media_type_is_415(world, client):
    body = b'{"code": "123456", "person": "ZF001"}'
    for content_type in ("application/json; charset=bogus", "text/plain"):
        answer = await send(
            client.port, "POST", "/api/v1/auth/token", {"Content-Type": content_type}, body
        )
        assert answer.status == 415, answer.body
        assert answer.headers["content-type"].startswith("application/problem+json")


async def test_sign_in_nested_deep_or_with_nul_is_400(world, client):
    deep = "[" * 5000 + "]" * 5000
    nul = '{"code": "123456", "person": "ZF\\u0000001"}'
    for raw in (deep, nul):
        response = await client.post(
            "/api/v1/auth/token", data=raw, headers={"Content-Type": "application/json"}
        )
        await assert_problem(response, 400)


async def test_an_inspector_note_with_bad_text_or_type_is_refused(world, client):
    leader = {"Authorization": f"Bearer {await token(world, 'inspector', world.leader.id)}"}
    notes = f"/api/v1/tasks/{world.task.id}/notes"
    text_plain = await client.post(
        notes,
        data=b'{"text": "ok"}',
        headers=leader | {"Content-Type": "text/plain"},
    )
    await assert_problem(text_plain, 415)
    for raw in ('{"text": "a\\u0000b"}', '{"text": "\\udfff"}'):
        response = await client.post(
            notes, data=raw, headers=leader | {"Content-Type": "application/json"}
        )
        problem = await assert_problem(response, 400)
        assert problem["invalid_params"][0]["name"] == "text"
    assert await Evidence.all().count() == 0


async def test_an_idempotency_key_that_is_not_utf8_is_a_4xx(world, client):
    bearer = f"Bearer {await token(world, 'inspector', world.leader.id)}"
    answer = await send(
        client.port,
        "POST",
        f"/api/v1/tasks/{world.task.id}/notes",
        {
            "Authorization": bearer,
            "Content-Type": "application/json",
            "Idempotency-Key": b"key-\xff\xfe",
        },
        b'{"text": "\xe7\x8e\xb0\xe5\x9c\xba"}',
    )
    assert 400 <= answer.status < 500, answer.body
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert await Evidence.all().count() == 0
    assert await Invite.all().count() == 0


@pytest.mark.parametrize("bad", BAD_IDS)
async def test_the_coordinators_routes_refuse_impossible_ids_and_pages(world, client, bad):
    boss = {"Authorization": f"Bearer {await token(world, 'coordinator', world.coordinator.id)}"}
    for path in (f"/api/v1/penalties/{bad}/publish", f"/api/v1/follow-ups/{bad}/close"):
        response = await client.post(path, json={}, headers=boss)
        await assert_problem(response, 404)
    response = await client.get("/api/v1/campaigns", params={"limit": bad}, headers=boss)
    await assert_problem(response, 400)
    response = await client.get("/api/v1/campaigns", params={"offset": bad + "x"}, headers=boss)
    await assert_problem(response, 400)


async def test_a_campaign_code_no_column_can_hold_is_404(world, client):
    boss = {"Authorization": f"Bearer {await token(world, 'coordinator', world.coordinator.id)}"}
    for code in ("X" * 5000, "%00", "%ED%A0%80"):
        response = await client.get(f"/api/v1/campaigns/{code}/tasks", headers=boss)
        await assert_problem(response, 404)


async def test_a_multipart_part_with_a_header_aiohttp_cannot_read_is_400(world, client):
    # Schemathesis sent a part named with a control character: aiohttp refuses the header as
    # it reads the body, inside the route.
    leader = {"Authorization": f"Bearer {await token(world, 'inspector', world.leader.id)}"}
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="j,\x10Ô"\r\n\r\n{{}}\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    response = await client.post(
        f"/api/v1/tasks/{world.task.id}/evidence",
        data=body,
        headers={**leader, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    await assert_problem(response, 400)
    assert await Evidence.all().count() == 0
