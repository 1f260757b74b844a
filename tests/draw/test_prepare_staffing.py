"""Prepare refuses, before the commitment, candidates that no full team can be formed for (or
leaves them out when asked), judged by the rules the reveal applies; on the demo data set."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from domain.audit import log as audit
from domain.campaigns.candidates import read_targets
from domain.campaigns.plan import get_campaign
from domain.campaigns.prepare import Unstaffed, _scope, prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.campaigns.spill import pieces
from domain.campaigns.staffing import groups_of
from domain.draw.verify import verify_record
from domain.storage.models import (
    AuditEntry,
    Conflict,
    Department,
    Draw,
    DrawCandidates,
    Inspector,
    Target,
)
from tests.kit.draw_demo import CODE, DICE, DUE, actions, candidates_of, demo, record_of
from tests.kit.staffing import RARE, rare_target

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def officers(count: int, target: Target) -> list[Inspector]:
    """`count` officers who pass every rule but the specialty for `target`, given RARE."""
    found = await Inspector.filter(
        is_expert=False, active=True, cert_valid_until__gte=DUE
    ).order_by("id")
    jurisdiction = target.jurisdiction_id
    chosen = [p for p in found if jurisdiction is None or p.patch_id != jurisdiction][:count]
    for person in chosen:
        person.specialties = [*person.specialties, RARE]
        await person.save()
    return chosen


async def test_a_candidate_nobody_can_staff_is_named_and_nothing_is_frozen(db):
    actor = await demo()
    target = await rare_target()
    with pytest.raises(Unstaffed) as refused:
        await prepare_draw(actor, CODE)
    message = str(refused.value)
    assert f"{target.credit_code} {target.name}" in message
    assert "需要执法人员 2 名，名录中只有 0 名" in message and "专业不符" in message
    assert "为执法人员补登对应专业" in message and "--exclude-unstaffable" in message
    assert [u.credit_code for u in refused.value.found] == [target.credit_code]
    assert await Draw.all().count() == 0 and await DrawCandidates.all().count() == 0
    assert await actions() == ["campaign.create"]


async def test_excluded_on_request_and_counted_in_the_record(db):
    actor = await demo()
    target = await rare_target()
    prepared = await prepare_draw(actor, CODE, exclude_unstaffable=True)
    assert prepared.exclusions["unstaffable"] == 1
    assert all(target.credit_code not in ids for ids in (await candidates_of()).values())
    entry = await AuditEntry.get(action="draw.prepare")
    assert audit.parsed(entry.after)["exclusions"]["unstaffable"] == 1
    await reveal_draw(actor, CODE, dice=DICE)
    record = await record_of()
    assert record["exclusions"]["unstaffable"] == 1
    verify_record(record, await candidates_of())  # an auditor recomputes it as it stands


async def test_a_declared_conflict_that_leaves_one_officer_is_named(db):
    actor = await demo()
    target = await rare_target()
    _, second = await officers(2, target)
    # Two officers with the specialty: a team. One declares a conflict: none.
    await Conflict.create(inspector=second, target=target, reason="亲属")
    with pytest.raises(Unstaffed) as refused:
        await prepare_draw(actor, CODE)
    (found,) = refused.value.found
    assert (found.credit_code, found.found, found.rejected["conflict"]) == (
        target.credit_code,
        1,
        1,
    )
    assert "已申报回避 (declared conflict) 1 人" in str(refused.value)
    await Conflict.filter(inspector=second, target=target).delete()
    prepared = await prepare_draw(actor, CODE)
    assert "unstaffable" not in prepared.exclusions


async def test_officers_of_the_targets_own_jurisdiction_do_not_count(db):
    actor = await demo()
    target = await rare_target()
    if target.jurisdiction_id is None:
        target.jurisdiction = await Department.get(code="419802")
        await target.save()
    chosen = await officers(3, target)
    await Inspector.filter(id__in=[p.id for p in chosen[:2]]).update(
        patch_id=target.jurisdiction_id
    )
    with pytest.raises(Unstaffed) as refused:
        await prepare_draw(actor, CODE)
    (found,) = refused.value.found
    assert found.found == 1 and found.rejected["jurisdiction"] == 2
    assert "所所交叉" in str(refused.value)


@pytest.mark.parametrize("risk_classes", [[], ["C", "D"]])
async def test_the_staffing_groups_count_the_very_candidates_read_targets_froze(db, risk_classes):
    # Counted in read_targets' own scan, on both backends (PostgreSQL judges the categories in
    # SQL and brings their text beside the verdict): each group is its candidates' categories,
    # jurisdiction and stratum.
    await demo(risk_classes=risk_classes)
    scope = await _scope(await get_campaign(CODE), 3)
    targets = await read_targets(scope)
    try:
        strata = {name: pieces(targets.spill.sort(name).path, 10**6) for name in targets.eligible}
        stratum_of = {
            code: name for name, texts in strata.items() for t in texts for code in t.split()
        }
    finally:
        targets.spill.close()
    rows = await Target.filter(credit_code__in=list(stratum_of)).values_list(
        "credit_code", "categories", "jurisdiction_id"
    )
    expected = Counter((tuple(c), j, stratum_of[code]) for code, c, j in rows)
    counted = Counter()
    for g in groups_of(targets):
        counted[(tuple(json.loads(g.categories)), g.jurisdiction_id, g.stratum)] += g.count
    assert counted == expected and sum(counted.values()) == sum(targets.eligible.values()) > 0
