"""Signing in with a one-time code: issued to the person or by their coordinator, stored
salted and hashed, used once within ten minutes, exchanged for a token that expires; wrong
codes held back per person and per address, each refusal in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from domain import clock
from domain.audit import log as audit
from domain.config import ConfigError, Settings
from domain.errors import PermissionDenied
from domain.people import api_tokens, login
from domain.people.login import LoginRefused, LoginThrottled
from domain.people.login_throttle import address_key, delay_after
from domain.rules.access import Actor, Role
from domain.storage.models import ApiToken, Coordinator, Inspector, LoginCode
from tests.kit import factories

pytestmark = pytest.mark.clock("2026-11-20 10:00")

ADDRESS = "192.0.2.7"
MONTH = dt.timedelta(days=30)


@pytest.fixture
async def world(db):
    return await factories.world()


async def refused(code: str, address: str = ADDRESS, **person) -> str:
    with pytest.raises(LoginRefused) as caught:
        await login.sign_in(code, address, MONTH, **person)
    return caught.value.reason


async def test_a_coordinator_s_code_signs_the_person_in_once(world):
    boss = world.actor(world.coordinator)
    issued = await login.code_by_reference(boss, "inspector", "ZF001")
    assert len(issued.code) == 6 and issued.code.isdigit() and issued.person_name == "张伟"
    stored = await LoginCode.get(person_id=world.leader.id)
    assert issued.code not in str(await LoginCode.all().values())
    assert stored.created_by == boss.label
    before = clock.now()
    token = await login.sign_in(issued.code, ADDRESS, MONTH, reference="ZF001")
    assert token.expires_at is not None
    assert before + MONTH <= token.expires_at <= clock.now() + MONTH
    actor = await api_tokens.resolve_token(token.token)
    assert actor == world.actor(world.leader)
    row = await ApiToken.get(id=token.token_id)
    assert row.created_by == "inspector:ZF001" and row.label == "login"
    assert await refused(issued.code, reference="ZF001") == "used"
    assert await refused(issued.code) == "used"  # the code alone is recognised too
    actions = [(e.action, e.actor) for e in await audit.list_entries()]
    assert actions == [
        ("auth.login_code", boss.label),
        ("api_token.issue", "inspector:ZF001"),
        ("auth.sign_in_refused", f"address:{ADDRESS}"),
        ("auth.sign_in_refused", f"address:{ADDRESS}"),
    ]
    assert issued.code not in str([vars(e) for e in await audit.list_entries()])
    assert (await audit.verify_chain()).ok


async def test_a_person_asks_for_their_own_code_and_the_code_alone_names_them(world):
    me = world.actor(world.member)
    mine = await login.code_for_self(me)
    theirs = await login.code_for_self(world.actor(world.coordinator))
    assert mine.code != theirs.code  # live codes are distinct
    token = await login.sign_in(mine.code, ADDRESS, MONTH)
    assert token.person_id == world.member.id and token.role.value == "inspector"
    coordinator = await login.sign_in(theirs.code, ADDRESS, MONTH)
    actor = await api_tokens.resolve_token(coordinator.token)
    assert actor is not None and actor.department_path == world.city.path


async def test_only_the_person_or_their_coordinators_get_a_code(world):
    with pytest.raises(PermissionDenied):
        await login.issue_code(world.actor(world.member), "inspector", world.leader.id)
    with pytest.raises(PermissionDenied):  # before the lookup: tells nothing about who exists
        await login.code_by_reference(world.actor(world.member), "inspector", "NO-SUCH")
    county_boss = await Coordinator.create(name="钱多", department=world.county)
    lower = Actor(Role.COORDINATOR, county_boss.id, department_path=world.county.path)
    with pytest.raises(PermissionDenied):
        await login.code_by_reference(lower, "inspector", "ZF001")  # a city inspector
    await Inspector.filter(id=world.member.id).update(active=False)
    with pytest.raises(login.PersonError) as inactive:
        await login.code_for_self(world.actor(world.member))
    assert inactive.value.reason == "inactive"
    assert await LoginCode.all().count() == 0


async def test_expired_retired_wrong_and_malformed_codes(world, office_clock):
    boss = world.actor(world.coordinator)
    first = await login.code_by_reference(boss, "inspector", "ZF001")
    second = await login.code_by_reference(boss, "inspector", "ZF001")
    # Each from an address of its own, and four for the person: nobody is held back yet.
    assert await refused(first.code, "10.0.0.1", reference="ZF001") == "expired"  # retired
    office_clock.set("2026-11-20 10:11")
    assert await refused(second.code, "10.0.0.2", reference="ZF001") == "expired"
    wrong = "000000" if second.code != "000000" else "111111"
    assert await refused(wrong, "10.0.0.3", reference="ZF001") == "wrong"
    assert await refused("12345", "10.0.0.4", reference="ZF001") == "malformed"
    assert await refused("abcdef", "10.0.0.5") == "malformed"
    assert await refused("123456", "10.0.0.6", reference="NO-SUCH") == "wrong"  # nothing said
    reasons = [e.data for e in await audit.list_entries() if e.action == "auth.sign_in_refused"]
    assert len(reasons) == 6
    assert await ApiToken.all().count() == 0


async def test_a_code_of_a_person_deactivated_since_is_refused(world):
    issued = await login.code_for_self(world.actor(world.member))
    await Inspector.filter(id=world.member.id).update(active=False)
    assert await refused(issued.code) == "inactive"


def test_the_delay_grows_after_five_wrong_codes():
    assert [delay_after(n).total_seconds() for n in range(1, 10)] == [
        0, 0, 0, 0, 30, 60, 120, 240, 480,
    ]  # fmt: skip
    assert delay_after(40) == dt.timedelta(hours=1)


async def test_five_wrong_codes_for_a_person_hold_them_back(world, office_clock):
    issued = await login.code_for_self(world.actor(world.leader))
    wrong = f"{(int(issued.code) + 1) % 10**6:06d}"
    for n in range(5):  # from five addresses: the person's own count holds them back
        assert await refused(wrong, address=f"198.51.100.{n}", reference="ZF001") == "wrong"
    with pytest.raises(LoginThrottled) as held:
        await login.sign_in(issued.code, "203.0.113.9", MONTH, reference="ZF001")
    assert 25 <= held.value.retry_after <= 30
    # The code alone names the held person: refused as well.
    with pytest.raises(LoginThrottled):
        await login.sign_in(issued.code, "203.0.113.9", MONTH)
    office_clock.set("2026-11-20 10:00:31")
    assert await refused(wrong, reference="ZF001") == "wrong"  # the sixth: a minute now
    with pytest.raises(LoginThrottled) as longer:
        await login.sign_in(issued.code, ADDRESS, MONTH, reference="ZF001")
    assert 55 <= longer.value.retry_after <= 60
    office_clock.set("2026-11-20 10:01:32")
    token = await login.sign_in(issued.code, ADDRESS, MONTH, reference="ZF001")
    assert await api_tokens.resolve_token(token.token) is not None
    # Success clears the count: the next wrong code is the first again.
    assert await refused(wrong, reference="ZF001") == "wrong"
    again = await login.code_for_self(world.actor(world.leader))
    await login.sign_in(again.code, ADDRESS, MONTH, reference="ZF001")
    refusals = [e for e in await audit.list_entries() if e.action == "auth.sign_in_refused"]
    assert [e.data.count("throttled") for e in refusals] == [0] * 5 + [1, 1, 0, 1, 0]


async def test_five_wrong_codes_from_an_address_hold_it_back(world):
    issued = await login.code_for_self(world.actor(world.member))
    for cert in ("ZF001", "ZF002", "ZF003", "NO-SUCH", "ZF001"):
        await refused("999999" if issued.code != "999999" else "888888", reference=cert)
    with pytest.raises(LoginThrottled):
        await login.sign_in(issued.code, ADDRESS, MONTH)
    token = await login.sign_in(issued.code, "192.0.2.8", MONTH)  # another address may
    assert token.person_id == world.member.id


async def test_a_signed_in_token_expires(world, office_clock):
    issued = await login.code_for_self(world.actor(world.member))
    token = await login.sign_in(issued.code, ADDRESS, dt.timedelta(days=2))
    office_clock.set("2026-11-22 09:59")
    assert await api_tokens.resolve_token(token.token) is not None
    office_clock.set("2026-11-22 10:01")
    assert await api_tokens.resolve_token(token.token) is None
    [info] = await api_tokens.list_tokens(world.actor(world.member))
    assert info.state(office_clock.set("2026-11-22 10:02")) == "expired"


def test_the_token_lifetime_setting_is_checked_at_start():
    assert Settings.from_env({"SSJ_TOKEN_DAYS": "7"}, dotenv=None).token_days == 7
    for bad in ("0", "-1", "4000"):
        with pytest.raises(ConfigError, match="SSJ_TOKEN_DAYS"):
            Settings.from_env({"SSJ_TOKEN_DAYS": bad}, dotenv=None)


def test_an_ipv6_client_is_counted_by_its_64():
    assert address_key("2001:db8:1:2::a") == address_key("2001:db8:1:2:ffff::1")
    assert address_key("2001:db8:1:2::a") == "address:2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::a") != address_key("2001:db8:1:2::a")
    assert address_key("::ffff:192.0.2.7") == address_key("192.0.2.7") == "address:192.0.2.7"
    assert address_key("unknown") == "address:unknown"
