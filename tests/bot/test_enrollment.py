"""Enrollment services: invites, binding, unbinding, who an account acts as."""

from __future__ import annotations

import datetime as dt

import pytest
from tortoise import timezone

from domain.audit import log as audit
from domain.errors import PermissionDenied
from domain.messaging import chat_accounts, outbox
from domain.people import enrollment
from domain.people.enrollment import InviteError
from domain.people.persons import PersonError
from domain.rules.access import Actor, Role
from domain.storage.models import Coordinator, Department, Invite, OutboxMessage, OutboxStatus
from tests.kit import factories

TG_ALICE = 7_000_000_101
TG_BOB = 7_000_000_102


@pytest.fixture
async def world(db):
    return await factories.world()


async def test_invite_then_redeem_binds_and_the_code_works_once(world):
    boss = world.actor(world.coordinator)
    issued = await enrollment.issue_invite(boss, "inspector", world.leader.id)
    assert len(issued.code) >= 32 and issued.code not in str(await Invite.all().values())
    assert issued.deep_link("ssj_bot") == f"https://t.me/ssj_bot?start={issued.code}"
    binding = await enrollment.redeem(issued.code, TG_ALICE)
    assert binding.actor.role == Role.INSPECTOR and binding.actor.cert_no == "ZF001"
    await world.leader.refresh_from_db()
    assert world.leader.telegram_user_id == TG_ALICE
    with pytest.raises(InviteError) as again:
        await enrollment.redeem(issued.code, TG_BOB)
    assert again.value.reason == "used"
    actions = [e.action for e in await audit.list_entries()]
    assert actions == ["enrollment.invite", "enrollment.bind"]
    assert (await audit.verify_chain()).ok


async def test_expired_revoked_and_unknown_codes_change_nothing(world):
    boss = world.actor(world.coordinator)
    past = timezone.now() - dt.timedelta(hours=73)
    old = await enrollment.issue_invite(boss, "inspector", world.leader.id, now=past)
    revoked = await enrollment.issue_invite(boss, "inspector", world.member.id)
    await enrollment.revoke_invite(boss, revoked.invite_id)
    for code, reason in [(old.code, "expired"), (revoked.code, "revoked"), ("nope", "unknown")]:
        with pytest.raises(InviteError) as refused:
            await enrollment.redeem(code, TG_ALICE)
        assert refused.value.reason == reason
    assert await enrollment.resolve_actor(TG_ALICE) is None
    assert await Invite.filter(used_at__not_isnull=True).count() == 0


async def test_one_account_binds_one_person(world):
    boss = world.actor(world.coordinator)
    first = await enrollment.issue_invite(boss, "inspector", world.leader.id)
    second = await enrollment.issue_invite(boss, "coordinator", world.coordinator.id)
    await enrollment.redeem(first.code, TG_ALICE)
    with pytest.raises(InviteError) as taken:
        await enrollment.redeem(second.code, TG_ALICE)
    assert taken.value.reason == "account_taken"
    # The refused code is still good for its own person.
    binding = await enrollment.redeem(second.code, TG_BOB)
    assert binding.actor.role == Role.COORDINATOR
    assert binding.actor.department_path == world.city.path


async def test_only_coordinators_above_the_person_invite_and_unbind(world):
    county = await Department.get(id=world.county.id)
    county_boss = await Coordinator.create(name="钱多", department=county)
    lower = Actor(Role.COORDINATOR, county_boss.id, department_path=county.path)
    with pytest.raises(PermissionDenied):
        await enrollment.issue_invite(lower, "inspector", world.leader.id)  # a city inspector
    with pytest.raises(PermissionDenied):
        await enrollment.issue_invite(world.actor(world.leader), "inspector", world.member.id)


async def test_unbind_then_rebind_with_a_new_invite(world):
    boss = world.actor(world.coordinator)
    issued = await enrollment.issue_invite(boss, "inspector", world.leader.id)
    await enrollment.redeem(issued.code, TG_ALICE)
    await chat_accounts.set_current_task(TG_ALICE, 41)
    with pytest.raises(InviteError) as bound:
        await enrollment.issue_invite(boss, "inspector", world.leader.id)
    assert bound.value.reason == "person_bound"
    assert await enrollment.unbind(boss, "inspector", world.leader.id) == TG_ALICE
    assert await enrollment.resolve_actor(TG_ALICE) is None
    # The account's next person does not inherit the old one's current task.
    assert await chat_accounts.current_task_of(TG_ALICE) is None
    fresh = await enrollment.issue_invite(boss, "inspector", world.leader.id)
    await enrollment.redeem(fresh.code, TG_BOB)
    actor = await enrollment.resolve_actor(TG_BOB)
    assert actor is not None and actor.id == world.leader.id
    entries = await audit.list_entries(object_kind="inspector", object_id=world.leader.id)
    assert [e.action for e in entries] == [
        "enrollment.bind",
        "enrollment.unbind",
        "enrollment.bind",
    ]


async def test_inactive_person_resolves_to_nobody(world):
    boss = world.actor(world.coordinator)
    issued = await enrollment.issue_invite(boss, "inspector", world.leader.id)
    await enrollment.redeem(issued.code, TG_ALICE)
    world.leader.active = False
    await world.leader.save()
    assert await enrollment.resolve_actor(TG_ALICE) is None


async def test_binding_requeues_what_waited_for_the_account(world):
    message = await outbox.enqueue("inspector", world.leader.id, "x", {}, "k1")
    [claimed] = await outbox.claim_due()
    await outbox.mark_dead(claimed, enrollment.UNBOUND)
    boss = world.actor(world.coordinator)
    issued = await enrollment.issue_invite(boss, "inspector", world.leader.id)
    await enrollment.redeem(issued.code, TG_ALICE)
    await message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 0


async def test_blocking_tells_the_nearest_bound_coordinators_once(world):
    world.coordinator.telegram_user_id = TG_BOB
    await world.coordinator.save()
    county_inspector = await factories.inspector("ZF009", "孙悦", world.county)
    assert await chat_accounts.mark_blocked("inspector", county_inspector.id, TG_ALICE) == 1
    assert await chat_accounts.mark_blocked("inspector", county_inspector.id, TG_ALICE) == 0
    [notice] = await OutboxMessage.filter(kind=chat_accounts.BLOCKED_NOTICE)
    assert notice.recipient_id == world.coordinator.id
    assert notice.payload["cert_no"] == "ZF009"
    await chat_accounts.note_active(TG_ALICE)
    assert await chat_accounts.mark_blocked("inspector", county_inspector.id, TG_ALICE) == 1


def test_ancestor_paths_nearest_first():
    assert chat_accounts.ancestor_paths("/3299/329901/") == ["/3299/329901/", "/3299/"]


async def test_invite_by_reference_refuses_non_coordinators_before_any_lookup(world):
    boss = world.actor(world.coordinator)
    issued = await enrollment.invite_by_reference(boss, "inspector", " ZF002 ")
    assert issued.person_id == world.member.id
    for reference in ("ZF001", "NO-SUCH"):  # the same refusal whether the person exists or not
        with pytest.raises(PermissionDenied):
            await enrollment.invite_by_reference(world.actor(world.leader), "inspector", reference)
    with pytest.raises(PersonError) as missing:
        await enrollment.invite_by_reference(boss, "inspector", "NO-SUCH")
    assert missing.value.reason == "no_person"
