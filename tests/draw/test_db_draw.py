"""Prepare and reveal against the database, on the demo data set: what is saved, what is
refused, and what the audit log keeps."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from tortoise.exceptions import IntegrityError

from domain.audit import log as audit
from domain.campaigns.frozen import frozen_candidates, frozen_strata
from domain.campaigns.plan import get_campaign
from domain.campaigns.prepare import abandon_draw, prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.draw.compute import select_targets
from domain.draw.record import hash_of, ids_digest
from domain.draw.seed import seed_of
from domain.draw.verify import verify_record
from domain.errors import PermissionDenied, UserError
from domain.rules.access import Actor, Role
from domain.storage.models import (
    AuditEntry,
    Conflict,
    Department,
    Draw,
    Inspector,
    OutboxMessage,
    Task,
    TeamMember,
)
from tests.kit.draw_demo import (
    CODE,
    DICE,
    DUE,
    actions,
    block_every_team,
    candidates_of,
    demo,
    record_of,
)

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

DUE_AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


async def test_prepare_then_reveal_saves_tasks_teams_outbox_and_audit_together(db):
    actor = await demo()
    prepared = await prepare_draw(actor, CODE)
    frozen = await candidates_of()
    assert [s.name for s in prepared.strata] == sorted(frozen)
    for s in prepared.strata:
        assert s.digest == ids_digest(frozen[s.name]) and s.eligible == len(frozen[s.name])
    assert await actions() == ["campaign.create", "draw.prepare"]
    assert await Task.all().count() == 0

    result = await reveal_draw(actor, CODE, dice=DICE)

    tasks = await Task.filter(campaign__code=CODE).prefetch_related("target")
    assert len(tasks) == result.tasks == sum(s.take for s in prepared.strata) > 0
    assert result.per_stratum == {s.name: s.take for s in prepared.strata}
    members = await TeamMember.filter(task__campaign__code=CODE).order_by("id")
    assert len(members) == 2 * len(tasks)
    messages = await OutboxMessage.filter(kind="assignment").order_by("id")
    # One message per member, in team order, the same on every backend (SQLite makes them in
    # SQL, PostgreSQL in Python).
    assert [
        (m.recipient_kind, m.recipient_id, m.payload, m.dedupe_key, m.status, m.attempts)
        for m in messages
    ] == [
        (
            "inspector",
            m.inspector_id,
            {"task_id": m.task_id, "campaign": CODE, "role": m.role},
            f"assignment:{m.task_id}:{m.inspector_id}",
            "pending",
            0,
        )
        for m in members
    ]
    assert await actions() == ["campaign.create", "draw.prepare", "draw.entropy", "draw.reveal"]
    assert (await audit.verify_chain()).ok
    draw = await Draw.get(campaign__code=CODE)
    assert (draw.status, (await get_campaign(CODE)).status) == ("revealed", "drawn")
    record = await record_of()
    assert draw.record_hash == record["record_hash"] == hash_of(record) == result.record_hash
    # The pool's attributes were committed to at prepare: the record's pool is that pool.
    assert record["pool"]["snapshot_digest"] == prepared.pool_snapshot_digest != ""
    assert {t.target.credit_code for t in tasks} == {t["target"] for t in record["teams"]}
    # Ids and numbers both follow the drawing order (PostgreSQL writes the rows in another).
    in_id_order = sorted(tasks, key=lambda t: t.id)
    assert [t.number for t in in_id_order] == [f"{CODE}-{n:04d}" for n in range(1, len(tasks) + 1)]
    assert [t.target.credit_code for t in in_id_order] == [t["target"] for t in record["teams"]]
    tickets = {d["id"]: (s["name"], d["ticket"]) for s in record["strata"] for d in s["drawn"]}
    assert all((t.stratum, t.ticket) == tickets[t.target.credit_code] for t in tasks)
    assert verify_record(record, frozen).targets == len(tasks)
    await assert_every_team_keeps_the_rules()


async def assert_every_team_keeps_the_rules():
    """The rules read straight from the database rows, not from the draw's own snapshot."""
    conflicts = set(await Conflict.all().values_list("inspector_id", "target_id"))
    for task in await Task.all().prefetch_related("target__jurisdiction", "campaign__department"):
        campaign = task.campaign
        team = (
            await TeamMember.filter(task_id=task.id)
            .order_by("id")
            .prefetch_related("inspector__department", "inspector__patch")
        )
        assert [m.role for m in team] == ["leader"] + ["member"] * (campaign.team_size - 1)
        for m in team:
            person: Inspector = m.inspector
            assert person.active and not person.is_expert
            assert person.cert_valid_until >= campaign.due_date
            assert person.department.path.startswith(campaign.department.path)
            assert set(person.specialties) & set(task.target.categories)
            assert (person.id, task.target_id) not in conflicts
            jurisdiction = task.target.jurisdiction
            assert (
                person.patch is None or jurisdiction is None or person.patch.id != jurisdiction.id
            )


async def test_a_failure_while_saving_leaves_nothing_behind(db):
    actor = await demo()
    await prepare_draw(actor, CODE)
    people = await Inspector.all().values_list("id", flat=True)
    # Notifications are saved after the tasks and teams: make them collide with rows already
    # there, so the transaction fails late.
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                recipient_kind="inspector",
                recipient_id=p,
                kind="other",
                dedupe_key=f"assignment:{t}:{p}",
                next_attempt_at=DUE_AT,
            )
            for t in range(1, 80)
            for p in people
        ]
    )
    with pytest.raises(IntegrityError):
        await reveal_draw(actor, CODE, dice=DICE)
    assert await Task.all().count() == 0 and await TeamMember.all().count() == 0
    assert await OutboxMessage.filter(kind="assignment").count() == 0
    draw = await Draw.get(campaign__code=CODE)
    assert draw.status == "prepared" and draw.entropy == "dice:3141592653589793238462643"
    assert (await get_campaign(CODE)).status == "planned"
    # The numbers entered stay logged: a retry must use them, so a failure cannot re-roll.
    assert await actions() == ["campaign.create", "draw.prepare", "draw.entropy"]
    await OutboxMessage.filter(kind="other").delete()
    with pytest.raises(UserError, match="3141592653589793238462643"):
        await reveal_draw(actor, CODE, dice="27182818284590452353")
    await reveal_draw(actor, CODE, dice=DICE)
    assert (await record_of())["entropy"] == draw.entropy
    assert await actions() == ["campaign.create", "draw.prepare", "draw.entropy", "draw.reveal"]


async def test_stratum_sizes_are_exactly_ceil_of_ratio_times_eligible(db):
    # 4.000000000000000000000000001 % of 25 high-risk targets is just above 1: only exact
    # arithmetic rounds it up to 2 (28-digit decimal arithmetic loses the tail).
    ratios = {
        "A": "1",
        "B": "2.5",
        "C": "33.3",
        "D": "100",
        "high": "4.000000000000000000000000001",
    }
    actor = await demo(ratios=ratios)
    prepared = await prepare_draw(actor, CODE)
    for s in prepared.strata:
        ratio = ratios["high" if s.name == "high-risk" else s.name[-1]]
        assert s.ratio_percent == ratio
        assert s.take == math.ceil(Fraction(Decimal(ratio)) * s.eligible / 100), s
    assert [(s.eligible, s.take) for s in prepared.strata if s.name == "high-risk"] == [(25, 2)]
    result = await reveal_draw(actor, CODE, dice=DICE)
    assert result.per_stratum == {s.name: s.take for s in prepared.strata}
    verify_record(await record_of(), await candidates_of())


@pytest.mark.parametrize("chunk", [50_000, 2])
async def test_yearly_cap_excludes_twice_drawn_targets_unless_high_risk(db, monkeypatch, chunk):
    from domain.campaigns import candidates
    from domain.campaigns.facts import target_facts
    from domain.storage.models import Target

    monkeypatch.setattr(candidates, "CHUNK", chunk)  # 2: capped ids split over many ranges
    actor = await demo()
    plain = await Target.filter(
        status="operating", complaints=0, bad_record=False, serious_violation=False
    ).order_by("id")
    capped, one_cancelled, last_year = plain[0], plain[1], plain[2]
    risky = await Target.filter(status="operating", bad_record=True).order_by("id").first()
    priors = [await prior_campaign(actor, n) for n in (1, 2)]
    await prior_tasks(priors, capped, [2026, 2026])
    await prior_tasks(priors, one_cancelled, [2026, 2026], cancelled_first=True)
    await prior_tasks(priors, last_year, [2025, 2025])
    await prior_tasks(priors, risky, [2026, 2026])

    prepared = await prepare_draw(actor, CODE)
    frozen = await candidates_of()
    everyone = {c for ids in frozen.values() for c in ids}
    assert prepared.exclusions.get("yearly_cap") == 1
    assert capped.credit_code not in everyone
    assert {one_cancelled.credit_code, last_year.credit_code} <= everyone
    assert risky.credit_code in frozen["high-risk"]

    # The team of the latest task that was not cancelled is the previous team.
    campaign = await get_campaign(CODE)
    facts, _ = await target_facts([one_cancelled.credit_code], frozenset(), campaign.id)
    latest = await Task.filter(target=one_cancelled, state="drawn").order_by("-id").first()
    team = await TeamMember.filter(task=latest).values_list("inspector__cert_no", flat=True)
    assert facts[one_cancelled.credit_code].previous_team == frozenset(team) != frozenset()


async def prior_campaign(actor, n):
    from domain.campaigns.plan import create_campaign
    from tests.kit.draw_demo import spec

    campaign = await create_campaign(
        actor, await spec(f"2026-RF-PRIOR-{n}", beyond_frequency="此前的抽查")
    )
    draw = await Draw.create(
        campaign=campaign,
        commitment="0" * 64,
        secret="0" * 64,
        prepared={},
        status="revealed",
    )
    return campaign, draw


async def prior_tasks(priors, target, years, cancelled_first=False):
    officers = await Inspector.filter(is_expert=False).order_by("id").limit(4)
    for n, ((campaign, draw), year) in enumerate(zip(priors, years, strict=True)):
        task = await Task.create(
            number=f"{campaign.code}-{target.id}-{n}",
            campaign=campaign,
            draw=draw,
            target=target,
            stratum="x",
            ticket="0.5",
            state="cancelled" if cancelled_first and n == 0 else "drawn",
            due_date=DUE,
            year=year,
        )
        for role, person in zip(("leader", "member"), officers[2 * n : 2 * n + 2], strict=True):
            await TeamMember.create(task=task, inspector=person, role=role, ticket="0.5")


async def test_every_exclusion_is_counted_by_reason(db):
    from domain.storage.models import Target

    # 定向: items for shelter use only, filtered to two categories and two risk classes.
    filtered = {"人防工程平时使用", "人防工程设计"}
    actor = await demo(
        items=["RF-419800-007"], categories=sorted(filtered), risk_classes=["B", "C"]
    )
    prepared = await prepare_draw(actor, CODE)
    want: Counter = Counter()
    eligible = 0
    for t in await Target.all():
        if t.status != "operating":
            want[f"status_{t.status}"] += 1
        elif not set(t.categories) & filtered:
            want["filter_category"] += 1
        elif "人防工程平时使用" not in t.categories:
            want["no_applicable_item"] += 1
        elif t.risk_class not in ("B", "C"):
            want["filter_risk_class"] += 1
        else:
            eligible += 1
    assert prepared.exclusions == dict(want)
    assert set(want) == {
        "status_closed",
        "status_deregistered",
        "filter_category",
        "no_applicable_item",
        "filter_risk_class",
    }
    assert sum(s.eligible for s in prepared.strata) == eligible
    assert (await Draw.get(campaign__code=CODE)).prepared["scanned"] == await Target.all().count()


async def test_a_category_named_with_quotes_is_matched_as_written(db):
    # PostgreSQL judges categories in SQL, with the names written into it as literals.
    from domain.storage.models import InspectionItem, Target

    odd = "O'Neil's \\ 人防\"工程\""
    actor = await demo(items=["RF-419800-007"])
    item = await InspectionItem.get(code="RF-419800-007")
    item.categories = [odd]
    await item.save()
    some = await Target.filter(status="operating").order_by("id").limit(3)
    for t in some:
        t.categories = [odd, "别的"]
        await t.save()
    for person in await Inspector.filter(is_expert=False).order_by("id"):  # staffable
        person.specialties = [*person.specialties, odd]
        await person.save()
    prepared = await prepare_draw(actor, CODE)
    frozen = await candidates_of()
    assert sorted(c for ids in frozen.values() for c in ids) == sorted(t.credit_code for t in some)
    assert prepared.exclusions["no_applicable_item"] == (
        await Target.filter(status="operating").count() - 3
    )


async def test_a_drawn_target_gone_from_the_directory_is_named_and_nothing_is_saved(db):
    from domain.storage.models import Target

    actor = await demo()
    await prepare_draw(actor, CODE)
    frozen = await candidates_of()
    name = min(frozen, key=lambda n: len(frozen[n]))  # every candidate of a stratum removed
    await Conflict.filter(target__credit_code__in=frozen[name]).delete()
    await Target.filter(credit_code__in=frozen[name]).delete()
    with pytest.raises(UserError, match="no longer in the directory") as raised:
        await reveal_draw(actor, CODE, dice=DICE)
    assert any(code in str(raised.value) for code in frozen[name])
    assert await Task.all().count() == 0 and await OutboxMessage.all().count() == 0
    assert (await Draw.get(campaign__code=CODE)).status == "prepared"


async def test_a_prepared_draw_blocks_another_until_abandoned_and_stays_in_the_log(db):
    actor = await demo()
    first = await prepare_draw(actor, CODE)
    with pytest.raises(UserError, match="abandon"):
        await prepare_draw(actor, CODE)
    with pytest.raises(UserError, match="理由"):
        await abandon_draw(actor, CODE, "  ")
    await abandon_draw(actor, CODE, "投影仪故障，见证人未到齐")
    with pytest.raises(UserError, match="没有待揭示"):
        await abandon_draw(actor, CODE, "again")
    with pytest.raises(UserError, match="prepare"):
        await reveal_draw(actor, CODE, dice=DICE)
    second = await prepare_draw(actor, CODE)
    assert second.commitment != first.commitment
    draws = await Draw.filter(campaign__code=CODE).order_by("id")
    assert [(d.status, d.abandoned_reason) for d in draws] == [
        ("abandoned", "投影仪故障，见证人未到齐"),
        ("prepared", None),
    ]
    assert await actions() == ["campaign.create", "draw.prepare", "draw.abandon", "draw.prepare"]
    entry = await AuditEntry.get(action="draw.abandon")
    data = audit.parsed(entry.data)
    assert data["commitment"] == first.commitment and data["reason"].startswith("投影仪")
    assert entry.actor == actor.label


async def test_teams_failing_at_the_reveal_name_targets_and_save_no_task(db):
    actor = await demo()
    await prepare_draw(actor, CODE)
    draw = await Draw.get(campaign__code=CODE)
    await block_every_team([c for ids in (await candidates_of()).values() for c in ids])
    with pytest.raises(UserError) as info:
        await reveal_draw(actor, CODE, dice=DICE)
    message = str(info.value)
    entropy = "dice:3141592653589793238462643"
    drawn = select_targets(
        frozen_strata(await frozen_candidates(draw.id)),
        {s["name"]: s["ratio_percent"] for s in draw.prepared["strata"]},
        seed_of(draw.secret, entropy),
    )
    codes = [c for pairs in drawn.values() for c, _ in pairs]
    assert codes and all(c in message for c in codes)
    assert "未保存任何任务" in message and "已申报回避" in message
    assert await Task.all().count() == 0 and await TeamMember.all().count() == 0
    assert await OutboxMessage.all().count() == 0
    draw = await Draw.get(id=draw.id)
    assert (draw.status, draw.entropy) == ("abandoned", entropy)
    assert await actions() == ["campaign.create", "draw.prepare", "draw.entropy", "draw.failed"]
    failed = audit.parsed((await AuditEntry.get(action="draw.failed")).data)
    assert failed["entropy"] == entropy and len(failed["shortfalls"]) == len(codes)
    assert (await get_campaign(CODE)).status == "planned"
    await Conflict.filter(reason="after the prepare").delete()
    await prepare_draw(actor, CODE)  # a new prepare (new secret) is allowed, visibly


@pytest.mark.parametrize(
    ("dice", "fragment"),
    [
        ("1234567890123456789", "至少 20 位"),
        ("12345 67890 12345 6789", "至少 20 位"),
        ("1234567890abcdefghij1234", "只能是 0-9"),
        ("", "骰子点数或信标值"),
    ],
)
async def test_dice_are_validated_before_anything_is_drawn(db, dice, fragment):
    actor = await demo()
    await prepare_draw(actor, CODE)
    with pytest.raises(UserError, match=fragment):
        await reveal_draw(actor, CODE, dice=dice)
    assert (await Draw.get(campaign__code=CODE)).status == "prepared"
    assert await Task.all().count() == 0
    await reveal_draw(actor, CODE, dice="12345 67890 / 12345 67890")
    assert (await record_of())["entropy"] == "dice:12345678901234567890"


async def test_practice_mode_uses_system_entropy_and_says_so(db):
    actor = await demo()
    prepared = await prepare_draw(actor, CODE, practice=True)
    assert prepared.practice
    result = await reveal_draw(actor, CODE)
    record = await record_of()
    assert result.practice and record["practice"] is True
    assert record["entropy"].startswith("practice:")
    summary = verify_record(record, await candidates_of()).summary()
    assert "演练" in summary and "PRACTICE" in summary
    reveal = audit.parsed((await AuditEntry.get(action="draw.reveal")).data)
    assert reveal["practice"] is True


async def test_a_beacon_fixed_at_prepare_must_be_given_at_reveal(db):
    actor = await demo()
    with pytest.raises(UserError, match="轮次"):
        await prepare_draw(actor, CODE, beacon={"source": "drand"})
    with pytest.raises(UserError, match="来源"):
        await prepare_draw(actor, CODE, beacon={"source": " ", "round": 4242424})
    await prepare_draw(actor, CODE, beacon={"source": "drand", "round": 4242424})
    with pytest.raises(UserError, match="4242424"):
        await reveal_draw(actor, CODE, dice=DICE)
    value = "ab" * 32
    await reveal_draw(actor, CODE, dice=DICE, beacon_value=value.upper())
    record = await record_of()
    assert record["beacon"] == {"source": "drand", "round": 4242424}
    assert record["entropy"] == f"dice:3141592653589793238462643|beacon:{value}"
    verify_record(record)


async def test_only_coordinators_of_the_department_or_above_draw(db):
    await demo()
    district = await Department.get(code="419802")
    outsider = Actor(Role.COORDINATOR, 99, "区协调员", department_path=district.path)
    with pytest.raises(PermissionDenied):
        await prepare_draw(outsider, CODE)
    inspector = Actor(Role.INSPECTOR, 1, "检查员", cert_no="419800250001")
    with pytest.raises(PermissionDenied):
        await prepare_draw(inspector, CODE)
    assert await Draw.all().count() == 0
