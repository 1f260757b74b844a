"""Signing in through the field API, a real aiohttp server and client: a code for a token that
works as its person (an inspector too), expires, is listed, revoked and given up; wrong codes
answered 400, then 429 with Retry-After; read-only tokens refused on writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from domain.audit import log as audit
from domain.config import ConfigError, Settings
from domain.people import api_tokens, login
from domain.storage.models import ApiToken, Coordinator, Invite
from field_api.app import create_app
from tests.kit import factories

pytestmark = pytest.mark.clock("2026-11-20 10:00")

SIGN_IN = "/api/v1/auth/token"
TOKENS = "/api/v1/auth/tokens"
LOGOUT = "/api/v1/auth/logout"
CODES = "/api/v1/auth/login-codes"


@pytest.fixture
async def world(db):
    return await factories.world()


async def serve(settings: Settings) -> TestClient:
    return TestClient(TestServer(create_app(settings), host="127.0.0.1"))


@pytest.fixture
async def client(world) -> AsyncIterator[TestClient]:
    async with await serve(Settings()) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def assert_problem(response, status: int) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["status"] == status and body["detail"]
    return body


async def signed_in(client: TestClient, world, person=None) -> dict:
    issued = await login.code_for_self(world.actor(person or world.leader))
    response = await client.post(SIGN_IN, json={"code": issued.code})
    assert response.status == 201, await response.text()
    return await response.json()


async def test_a_code_for_a_token_that_acts_as_the_inspector(world, client):
    issued = await login.code_by_reference(world.actor(world.coordinator), "inspector", "ZF001")
    response = await client.post(
        SIGN_IN, json={"code": issued.code, "person": "ZF001", "label": "手机"}
    )
    assert response.status == 201, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "full"
    assert body["person_name"] == "张伟" and body["role"] == "inspector"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    left = expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29, hours=23) < left <= dt.timedelta(days=30)
    # An inspector's token is accepted; the domain decides per route.
    mine = await client.get(TOKENS, headers=bearer(body["token"]))
    assert mine.status == 200, await mine.text()
    [listed] = (await mine.json())["tokens"]
    assert listed["token_id"] == body["token_id"] and listed["current"] is True
    assert listed["label"] == "手机" and listed["state"] == "active"
    assert body["token"] not in await mine.text()
    invite = {"role": "inspector", "person": "ZF002"}
    refused = await client.post("/api/v1/invites", json=invite, headers=bearer(body["token"]))
    assert "协调员" in (await assert_problem(refused, 403))["detail"]
    again = await client.post(SIGN_IN, json={"code": issued.code, "person": "ZF001"})
    problem = await assert_problem(again, 400)
    assert problem["reason"] == "used" and problem["invalid_params"][0]["name"] == "code"


async def test_the_token_lifetime_is_a_setting(world):
    async with await serve(Settings(token_days=2)) as client:
        body = await signed_in(client, world)
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=1, hours=23) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(2)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("not json", "body"),
        ({}, "code"),
        ({"code": 123456}, "code"),
        ({"code": "123456", "person": []}, "person"),
        ({"code": "123456", "person": "ZF001", "role": "boss"}, "role"),
        ({"code": "123456", "label": "x" * 101}, "label"),
        ({"code": "123456", "extra": 1}, "extra"),
    ],
)
async def test_a_bad_body_400_names_the_field(client, body, field):
    if isinstance(body, str):
        response = await client.post(
            SIGN_IN, data=body, headers={"Content-Type": "application/json"}
        )
    else:
        response = await client.post(SIGN_IN, json=body)
    problem = await assert_problem(response, 400)
    assert [p["name"] for p in problem["invalid_params"]] == [field]


async def test_wrong_codes_then_429_with_retry_after(world, client, office_clock):
    issued = await login.code_for_self(world.actor(world.member))
    wrong = f"{(int(issued.code) + 1) % 10**6:06d}"
    for _ in range(5):
        response = await client.post(SIGN_IN, json={"code": wrong, "person": "ZF002"})
        assert (await assert_problem(response, 400))["reason"] == "wrong"
    held = await client.post(SIGN_IN, json={"code": issued.code, "person": "ZF002"})
    await assert_problem(held, 429)
    assert 25 <= int(held.headers["Retry-After"]) <= 30
    refusals = [e for e in await audit.list_entries() if e.action == "auth.sign_in_refused"]
    assert len(refusals) == 6 and all(e.actor == "address:127.0.0.1" for e in refusals)
    office_clock.set("2026-11-20 10:00:31")
    response = await client.post(SIGN_IN, json={"code": issued.code, "person": "ZF002"})
    assert response.status == 201, await response.text()


async def test_behind_a_declared_proxy_each_client_is_held_back_on_its_own(world):
    async with await serve(Settings(trusted_proxies="127.0.0.1, ::1")) as client:

        async def wrong_from(forwarded: str, person: str):
            headers = {"X-Forwarded-For": forwarded}
            body = {"code": "000000", "person": person}
            return await client.post(SIGN_IN, json=body, headers=headers)

        # What a client writes itself is left of what the proxy appended: never read.
        for n in range(5):
            refused = await wrong_from(f"203.0.113.{n}, 198.51.100.7", "ZF002")
            assert refused.status == 400
        assert (await wrong_from("198.51.100.7", "ZF001")).status == 429  # that client
        assert (await wrong_from("198.51.100.8", "ZF003")).status == 400  # another one
    actors = {e.actor for e in await audit.list_entries() if e.action == "auth.sign_in_refused"}
    assert actors == {"address:198.51.100.7", "address:198.51.100.8"}


async def test_without_a_declared_proxy_a_forwarded_address_is_not_believed(world, client):
    for n in range(5):
        headers = {"X-Forwarded-For": f"203.0.113.{n}"}
        body = {"code": "000000", "person": "ZF002" if n < 3 else "ZF003"}
        assert (await client.post(SIGN_IN, json=body, headers=headers)).status == 400
    held = await client.post(
        SIGN_IN, json={"code": "000000", "person": "ZF001"}, headers={"X-Forwarded-For": "1.2.3.4"}
    )
    assert held.status == 429


def test_a_trusted_proxy_that_is_no_address_is_refused_at_start():
    assert Settings(trusted_proxies="10.0.0.0/8").proxy_networks[0].num_addresses == 2**24
    with pytest.raises(ConfigError, match=r"'proxy\.local' is not an IP address"):
        Settings.from_env({"SSJ_TRUSTED_PROXIES": "127.0.0.1,proxy.local"}, dotenv=None)


async def test_an_expired_token_is_refused(world, client, office_clock):
    body = await signed_in(client, world)
    office_clock.set("2026-12-20 10:01")
    response = await client.get(TOKENS, headers=bearer(body["token"]))
    problem = await assert_problem(response, 401)
    assert "invalid_token" in response.headers["WWW-Authenticate"] and "过期" in problem["detail"]


async def test_logout_revokes_the_caller_s_token_only(world, client):
    phone = await signed_in(client, world)
    tablet = await signed_in(client, world)
    assert (await client.post(LOGOUT, headers=bearer(phone["token"]))).status == 204
    await assert_problem(await client.get(TOKENS, headers=bearer(phone["token"])), 401)
    listed = await (await client.get(TOKENS, headers=bearer(tablet["token"]))).json()
    states = {t["token_id"]: t["state"] for t in listed["tokens"]}
    assert states == {phone["token_id"]: "revoked", tablet["token_id"]: "active"}
    await assert_problem(await client.post(LOGOUT), 401)


async def test_revoked_by_the_owner_or_a_coordinator_not_by_another_inspector(world, client):
    mine = await signed_in(client, world, world.leader)
    other = await signed_in(client, world, world.member)
    boss = await signed_in(client, world, world.coordinator)
    # Another inspector: exactly as for a token that does not exist.
    foreign = await client.delete(f"{TOKENS}/{mine['token_id']}", headers=bearer(other["token"]))
    missing = await client.delete(f"{TOKENS}/9999", headers=bearer(other["token"]))
    assert (await assert_problem(foreign, 404))["detail"].replace(str(mine["token_id"]), "N") == (
        await assert_problem(missing, 404)
    )["detail"].replace("9999", "N")
    await assert_problem(await client.delete(f"{TOKENS}/x", headers=bearer(other["token"])), 404)
    seen = await (await client.get(TOKENS, headers=bearer(other["token"]))).json()
    assert [t["token_id"] for t in seen["tokens"]] == [other["token_id"]]
    # The coordinator sees and revokes the inspectors' tokens.
    seen = await (await client.get(TOKENS, headers=bearer(boss["token"]))).json()
    assert {t["person_name"] for t in seen["tokens"]} == {"张伟", "李娜", "赵敏"}
    gone = await client.delete(f"{TOKENS}/{other['token_id']}", headers=bearer(boss["token"]))
    assert gone.status == 204
    await assert_problem(await client.get(TOKENS, headers=bearer(other["token"])), 401)
    # The owner revokes their own; twice is a conflict.
    own = await client.delete(f"{TOKENS}/{mine['token_id']}", headers=bearer(mine["token"]))
    assert own.status == 204
    twice = await client.delete(f"{TOKENS}/{other['token_id']}", headers=bearer(boss["token"]))
    await assert_problem(twice, 409)
    revokes = [e.actor for e in await audit.list_entries() if e.action == "api_token.revoke"]
    assert revokes == [f"coordinator:{world.coordinator.id}", "inspector:ZF001"]


async def test_a_county_coordinator_does_not_see_city_tokens(world, client):
    city = await signed_in(client, world, world.leader)
    county_boss = await Coordinator.create(name="钱多", department=world.county)
    county = await api_tokens.issue_token(
        world.actor(world.coordinator), "coordinator", county_boss.id
    )
    seen = await (await client.get(TOKENS, headers=bearer(county.token))).json()
    assert [t["person_name"] for t in seen["tokens"]] == ["钱多"]
    refused = await client.delete(f"{TOKENS}/{city['token_id']}", headers=bearer(county.token))
    await assert_problem(refused, 404)


async def test_a_read_only_token_reads_but_does_not_write(world, client):
    boss = world.actor(world.coordinator)
    read = await api_tokens.issue_token(boss, "coordinator", world.coordinator.id, scope="read")
    invite = {"role": "inspector", "person": "ZF001"}
    refused = await client.post("/api/v1/invites", json=invite, headers=bearer(read.token))
    assert "只读" in (await assert_problem(refused, 403))["detail"]
    assert await Invite.all().count() == 0
    listed = await client.get("/api/v1/invites", headers=bearer(read.token))
    assert listed.status == 200
    tokens = await (await client.get(TOKENS, headers=bearer(read.token))).json()
    assert tokens["tokens"][0]["scope"] == "read"
    code = await client.post(CODES, json={"person": "ZF001"}, headers=bearer(read.token))
    await assert_problem(code, 403)
    # Giving itself up is allowed.
    assert (await client.post(LOGOUT, headers=bearer(read.token))).status == 204
    assert (await ApiToken.get(id=read.token_id)).revoked_at is not None


async def test_a_coordinator_issues_a_code_for_a_person_without_a_chat(world, client):
    boss = await api_tokens.issue_token(
        world.actor(world.coordinator), "coordinator", world.coordinator.id
    )
    response = await client.post(CODES, json={"person": "ZF003"}, headers=bearer(boss.token))
    assert response.status == 201, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body["person_name"] == "王强" and len(body["code"]) == 6
    signed = await client.post(SIGN_IN, json={"code": body["code"]})
    assert (await signed.json())["person_name"] == "王强"
    missing = await client.post(CODES, json={"person": "NO-SUCH"}, headers=bearer(boss.token))
    await assert_problem(missing, 404)
    await assert_problem(await client.post(CODES, json={}, headers=bearer(boss.token)), 400)
    inspector = await signed_in(client, world, world.leader)
    refused = await client.post(CODES, json={"person": "ZF002"}, headers=bearer(inspector["token"]))
    await assert_problem(refused, 403)
