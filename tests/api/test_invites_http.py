"""POST /api/v1/invites through a real aiohttp server and client: bearer tokens, the domain's
permissions, problem details naming the field, and a code that then binds."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from tortoise import timezone

from domain.audit import log as audit
from domain.config import Settings
from domain.people import api_tokens, enrollment
from domain.storage.models import Coordinator, Invite
from field_api.app import BOT_USERNAME, create_app
from tests.kit import factories

PATH = "/api/v1/invites"
TG_ALICE = 7_000_000_201


@pytest.fixture
async def world(db):
    return await factories.world()


@pytest.fixture
async def client(world) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(Settings()), host="127.0.0.1")) as c:
        yield c


async def token_for(world, role: str, person_id: int) -> str:
    issued = await api_tokens.issue_token(world.actor(world.coordinator), role, person_id)
    return issued.token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_coordinator_invites_and_the_code_binds(world, client):
    token = await token_for(world, "coordinator", world.coordinator.id)
    before = timezone.now()
    response = await client.post(
        PATH, json={"role": "inspector", "person": "ZF001", "hours": 24}, headers=bearer(token)
    )
    assert response.status == 201, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body["deep_link"] is None  # no bot in this process
    assert body["role"] == "inspector" and body["person_name"] == "张伟"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert before + dt.timedelta(hours=24) <= expires <= timezone.now() + dt.timedelta(hours=24)
    invite = await Invite.get(id=body["invite_id"])
    assert invite.code_hash == enrollment.hash_code(body["code"])
    assert invite.created_by == f"coordinator:{world.coordinator.id}"
    binding = await enrollment.redeem(body["code"], TG_ALICE)
    assert binding.person_id == world.leader.id
    await world.leader.refresh_from_db()
    assert world.leader.telegram_user_id == TG_ALICE
    actions = [e.action for e in await audit.list_entries()]
    assert actions == ["api_token.issue", "enrollment.invite", "enrollment.bind"]


async def test_a_coordinator_by_numeric_id_and_the_default_validity(world, client):
    token = await token_for(world, "coordinator", world.coordinator.id)
    response = await client.post(
        PATH, json={"role": "coordinator", "person": world.coordinator.id}, headers=bearer(token)
    )
    assert response.status == 201, await response.text()
    body = await response.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert expires - timezone.now() > dt.timedelta(hours=71)
    assert body["person_id"] == world.coordinator.id


async def test_the_deep_link_names_the_running_bot(world):
    app = create_app(Settings())
    app[BOT_USERNAME] = lambda: "ssj_test_bot"
    token = await token_for(world, "coordinator", world.coordinator.id)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.post(
            PATH, json={"role": "inspector", "person": "ZF002"}, headers=bearer(token)
        )
        body = await response.json()
    assert body["deep_link"] == f"https://t.me/ssj_test_bot?start={body['code']}"


async def assert_problem(response, status: int) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


async def test_without_a_valid_token_401(world, client):
    good = {"role": "inspector", "person": "ZF001"}
    real = await token_for(world, "coordinator", world.coordinator.id)
    for headers, error in [
        ({}, None),
        ({"Authorization": "Basic dXNlcjpwdw=="}, None),
        ({"Authorization": "Bearer "}, None),
        (bearer("ssj_not-a-real-token"), "invalid_token"),
        (bearer(real[:-2]), "invalid_token"),
    ]:
        response = await client.post(PATH, json=good, headers=headers)
        body = await assert_problem(response, 401)
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith("Bearer ")
        assert (f'error="{error}"' in challenge) if error else ("error" not in challenge)
        assert "Authorization" in body["detail"] or "令牌" in body["detail"]
    assert await Invite.all().count() == 0


async def test_a_revoked_token_stops_working(world, client):
    boss = world.actor(world.coordinator)
    issued = await api_tokens.issue_token(boss, "coordinator", world.coordinator.id)
    good = {"role": "inspector", "person": "ZF001"}
    assert (await client.post(PATH, json=good, headers=bearer(issued.token))).status == 201
    await api_tokens.revoke_token(boss, issued.token_id)
    response = await client.post(PATH, json=good, headers=bearer(issued.token))
    await assert_problem(response, 401)
    assert await Invite.all().count() == 1


async def test_a_deactivated_coordinator_s_token_stops_working(world, client):
    token = await token_for(world, "coordinator", world.coordinator.id)
    await Coordinator.filter(id=world.coordinator.id).update(active=False)
    response = await client.post(PATH, json={"role": "inspector", "person": "ZF001"},
                                 headers=bearer(token))  # fmt: skip
    await assert_problem(response, 401)


async def test_without_the_rights_403(world, client):
    county_boss = await Coordinator.create(name="钱多", department=world.county)
    county = await token_for(world, "coordinator", county_boss.id)
    inspector = await token_for(world, "inspector", world.leader.id)
    for token, person in [(county, "ZF001"), (inspector, "ZF002"), (inspector, "NO-SUCH")]:
        response = await client.post(
            PATH, json={"role": "inspector", "person": person}, headers=bearer(token)
        )
        body = await assert_problem(response, 403)
        assert "协调员" in body["detail"]
    assert await Invite.all().count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("not json", "body"),
        ([], "body"),
        ({"person": "ZF001"}, "role"),
        ({"role": "boss", "person": "ZF001"}, "role"),
        ({"role": "inspector"}, "person"),
        ({"role": "inspector", "person": "  "}, "person"),
        ({"role": "inspector", "person": ["ZF001"]}, "person"),
        ({"role": "coordinator", "person": "赵敏"}, "person"),
        ({"role": "inspector", "person": "ZF001", "hours": 0}, "hours"),
        ({"role": "inspector", "person": "ZF001", "hours": 721}, "hours"),
        ({"role": "inspector", "person": "ZF001", "hours": "24"}, "hours"),
        ({"role": "inspector", "person": "ZF001", "hours": True}, "hours"),
        ({"role": "inspector", "person": "ZF001", "hour": 24}, "hour"),
    ],
)
async def test_a_bad_body_400_names_the_field(world, client, body, field):
    token = await token_for(world, "coordinator", world.coordinator.id)
    if isinstance(body, str):
        response = await client.post(PATH, data=body, headers=bearer(token))
    else:
        response = await client.post(PATH, json=body, headers=bearer(token))
    problem = await assert_problem(response, 400)
    assert [p["name"] for p in problem["invalid_params"]] == [field]
    assert await Invite.all().count() == 0


async def test_unknown_and_bound_persons(world, client):
    token = await token_for(world, "coordinator", world.coordinator.id)
    missing = await client.post(
        PATH, json={"role": "inspector", "person": "NO-SUCH"}, headers=bearer(token)
    )
    assert "NO-SUCH" in (await assert_problem(missing, 404))["detail"]
    first = await client.post(
        PATH, json={"role": "inspector", "person": "ZF001"}, headers=bearer(token)
    )
    await enrollment.redeem((await first.json())["code"], TG_ALICE)
    bound = await client.post(
        PATH, json={"role": "inspector", "person": "ZF001"}, headers=bearer(token)
    )
    assert "解绑" in (await assert_problem(bound, 409))["detail"]


async def test_other_api_errors_are_problems_too(world, client):
    token = await token_for(world, "coordinator", world.coordinator.id)
    missing = await client.get("/api/v1/no-such-thing", headers=bearer(token))
    await assert_problem(missing, 404)
    wrong_method = await client.put(PATH, headers=bearer(token))
    await assert_problem(wrong_method, 405)
    assert "POST" in wrong_method.headers["Allow"]
