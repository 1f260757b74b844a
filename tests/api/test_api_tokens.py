"""API tokens: issued by a coordinator above the person, stored hashed, acting as that person
until revoked or the person is deactivated."""

from __future__ import annotations

import pytest

from domain.audit import log as audit
from domain.errors import PermissionDenied
from domain.people import api_tokens
from domain.people.api_tokens import TokenError
from domain.rules.access import Actor, Role
from domain.storage.models import ApiToken, Coordinator, Inspector
from tests.kit import factories


@pytest.fixture
async def world(db):
    return await factories.world()


async def test_a_token_acts_as_its_person_until_revoked(world):
    boss = world.actor(world.coordinator)
    issued = await api_tokens.issue_token(boss, "inspector", world.leader.id, label="phone")
    assert issued.token.startswith("ssj_") and len(issued.token) > 40
    stored = await ApiToken.get(id=issued.token_id)
    assert issued.token not in str(await ApiToken.all().values())
    assert stored.token_hash == api_tokens.hash_token(issued.token) and stored.label == "phone"
    actor = await api_tokens.resolve_token(issued.token)
    assert actor == Actor(Role.INSPECTOR, world.leader.id, "张伟", cert_no="ZF001")
    await api_tokens.revoke_token(boss, issued.token_id)
    assert await api_tokens.resolve_token(issued.token) is None
    with pytest.raises(TokenError) as again:
        await api_tokens.revoke_token(boss, issued.token_id)
    assert again.value.reason == "revoked"
    entries = await audit.list_entries()
    assert [(e.action, e.actor) for e in entries] == [
        ("api_token.issue", boss.label),
        ("api_token.revoke", boss.label),
    ]
    assert issued.token not in str([vars(e) for e in entries])
    assert (await audit.verify_chain()).ok


async def test_a_coordinator_token_carries_the_department(world):
    boss = world.actor(world.coordinator)
    issued = await api_tokens.issue_token(boss, "coordinator", world.coordinator.id)
    actor = await api_tokens.resolve_token(issued.token)
    assert actor is not None and actor.role == Role.COORDINATOR
    assert actor.department_path == world.city.path


async def test_unknown_tokens_and_inactive_persons_resolve_to_nobody(world):
    boss = world.actor(world.coordinator)
    issued = await api_tokens.issue_token(boss, "inspector", world.member.id)
    for wrong in ("", "ssj_", issued.token[:-1], issued.token[4:], "Bearer " + issued.token):
        assert await api_tokens.resolve_token(wrong) is None, wrong
    await Inspector.filter(id=world.member.id).update(active=False)
    assert await api_tokens.resolve_token(issued.token) is None
    with pytest.raises(TokenError) as inactive:
        await api_tokens.issue_token(boss, "inspector", world.member.id)
    assert inactive.value.reason == "inactive"


async def test_only_coordinators_above_the_person_issue_and_revoke_or_the_person(world):
    county_boss = await Coordinator.create(name="钱多", department=world.county)
    lower = Actor(Role.COORDINATOR, county_boss.id, department_path=world.county.path)
    with pytest.raises(PermissionDenied):
        await api_tokens.issue_token(lower, "inspector", world.leader.id)  # a city inspector
    with pytest.raises(PermissionDenied):
        await api_tokens.issue_token(world.actor(world.leader), "inspector", world.leader.id)
    issued = await api_tokens.issue_token(
        world.actor(world.coordinator), "inspector", world.leader.id
    )
    # To anybody else the token is as if it did not exist.
    for stranger in (lower, world.actor(world.member)):
        with pytest.raises(TokenError) as hidden:
            await api_tokens.revoke_token(stranger, issued.token_id)
        assert hidden.value.reason == "unknown"
    # The person may give up their own token.
    await api_tokens.revoke_token(world.actor(world.leader), issued.token_id)
    assert await api_tokens.resolve_token(issued.token) is None
    assert [t.token_id for t in await api_tokens.list_tokens(lower)] == []
    [listed] = await api_tokens.list_tokens(world.actor(world.coordinator))
    assert listed.person_name == "张伟" and listed.revoked_at is not None


@pytest.mark.parametrize("token_id", [2**31, 2**64 + 1, 0])
async def test_revoking_an_id_no_column_can_hold_is_unknown(world, token_id):
    with pytest.raises(TokenError) as refused:
        await api_tokens.revoke_token(world.actor(world.coordinator), token_id)
    assert refused.value.reason == "unknown"


@pytest.mark.parametrize("token", ["ssj_\udcff\udcfe", "ssj_令牌", "ssj_" + "A" * 5000])
async def test_a_token_that_cannot_be_one_resolves_to_nobody(world, token):
    assert await api_tokens.resolve_token(token) is None
    assert len(api_tokens.hash_token(token)) == 64  # hashing never fails either


async def test_a_token_stands_for_its_own_role_only_and_stops_with_its_person(world):
    boss = world.actor(world.coordinator)
    as_coordinator = await api_tokens.issue_token(boss, "coordinator", world.coordinator.id)
    as_inspector = await api_tokens.issue_token(boss, "inspector", world.member.id)
    # The same number in the other table must not stand in for a person who stopped.
    await Inspector.filter(id=world.member.id).update(active=False)
    await Coordinator.filter(id=world.member.id).update(active=True)
    assert await api_tokens.resolve_token(as_inspector.token) is None
    actor = await api_tokens.resolve_token(as_coordinator.token)
    assert actor is not None and actor.name == world.coordinator.name
    await Coordinator.filter(id=world.coordinator.id).update(active=False)
    assert await api_tokens.resolve_token(as_coordinator.token) is None
