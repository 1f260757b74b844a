"""GET and DELETE /api/v1/invites: a coordinator lists the invites of their department and
below and revokes one handed out by mistake; inspectors are refused as on POST."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from domain.audit import log as audit
from domain.config import Settings
from domain.people import api_tokens, enrollment
from domain.people.enrollment import InviteError
from domain.storage.models import Coordinator
from field_api.app import create_app
from tests.kit import factories

PATH = "/api/v1/invites"
TG_ALICE = 7_000_000_301


@pytest.fixture
async def world(db):
    return await factories.world()


@pytest.fixture
async def client(world) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(Settings()), host="127.0.0.1")) as c:
        yield c


async def bearer_for(world, role: str, person_id: int) -> dict[str, str]:
    issued = await api_tokens.issue_token(world.actor(world.coordinator), role, person_id)
    return {"Authorization": f"Bearer {issued.token}"}


async def invite(client, headers, person: str) -> dict:
    response = await client.post(
        PATH, json={"role": "inspector", "person": person}, headers=headers
    )
    assert response.status == 201, await response.text()
    return await response.json()


async def status_and_detail(response) -> tuple[int, str]:
    assert response.content_type == "application/problem+json"
    return response.status, (await response.json())["detail"]


async def test_list_then_revoke_an_invite_so_its_code_binds_nobody(world, client):
    boss = await bearer_for(world, "coordinator", world.coordinator.id)
    first = await invite(client, boss, "ZF001")
    second = await invite(client, boss, "ZF002")
    await enrollment.redeem(second["code"], TG_ALICE)
    listed = await client.get(PATH, headers=boss)
    assert listed.status == 200
    invites = (await listed.json())["invites"]
    assert [(i["invite_id"], i["person_name"], i["state"]) for i in invites] == [
        (first["invite_id"], "张伟", "pending"),
        (second["invite_id"], "李娜", "used"),
    ]
    assert first["code"] not in await listed.text()
    pending = await (await client.get(PATH, params={"state": "pending"}, headers=boss)).json()
    assert [i["invite_id"] for i in pending["invites"]] == [first["invite_id"]]

    gone = await client.delete(f"{PATH}/{first['invite_id']}", headers=boss)
    assert gone.status == 204
    with pytest.raises(InviteError) as revoked:
        await enrollment.redeem(first["code"], TG_ALICE + 1)
    assert revoked.value.reason == "revoked"
    again = await client.delete(f"{PATH}/{first['invite_id']}", headers=boss)
    assert (await status_and_detail(again))[0] == 409
    used = await client.delete(f"{PATH}/{second['invite_id']}", headers=boss)
    assert (await status_and_detail(used))[0] == 409
    missing = await client.delete(f"{PATH}/9999", headers=boss)
    assert (await status_and_detail(missing))[0] == 404
    states = await (await client.get(PATH, headers=boss)).json()
    assert [i["state"] for i in states["invites"]] == ["revoked", "used"]
    assert "enrollment.revoke" in [e.action for e in await audit.list_entries()]
    bad = await client.get(PATH, params={"state": "open"}, headers=boss)
    assert (await status_and_detail(bad))[0] == 400


async def test_inspectors_and_other_departments_are_refused(world, client):
    boss = await bearer_for(world, "coordinator", world.coordinator.id)
    made = await invite(client, boss, "ZF001")
    inspector = await bearer_for(world, "inspector", world.leader.id)
    for response in (
        await client.get(PATH, headers=inspector),
        await client.delete(f"{PATH}/{made['invite_id']}", headers=inspector),
        await client.delete(f"{PATH}/9999", headers=inspector),  # same answer: nothing leaks
    ):
        status, detail = await status_and_detail(response)
        assert status == 403 and "协调员" in detail
    county_boss = await Coordinator.create(name="钱多", department=world.county)
    county = await bearer_for(world, "coordinator", county_boss.id)
    assert (await (await client.get(PATH, headers=county)).json())["invites"] == []
    # To another department's coordinator the invite does not exist: no number leaks.
    refused = await client.delete(f"{PATH}/{made['invite_id']}", headers=county)
    missing = await client.delete(f"{PATH}/9999", headers=county)
    assert (await refused.json()) | {"detail": ""} == (await missing.json()) | {"detail": ""}
    assert refused.status == missing.status == 404
    still = await (await client.get(PATH, headers=boss)).json()
    assert [i["state"] for i in still["invites"]] == ["pending"]
