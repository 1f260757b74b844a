"""Team assignment: equal to a plain reading of the rules, and no team ever breaks one."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.draw import ranking
from domain.draw.teams import (
    Fairness,
    Inspector,
    TargetFacts,
    TeamParams,
    TeamsUnavailable,
    assign_teams,
    replacement,
)
from domain.draw.tickets import ordered
from tests.kit.draw_strategies import DUE, breaks, params, pools, reference_teams, targets

SEED = "5eed" * 16


@st.composite
def cases(draw):
    pool = draw(pools())
    todo = draw(targets([p.cert_no for p in pool]))
    return pool, todo, draw(params()), draw(st.text(max_size=8))


@settings(max_examples=150, deadline=None)
@given(cases(), st.sampled_from([ranking.HEAD, 1, 2]))
def test_teams_equal_the_reference_walk_over_consistent_sampler(case, head):
    """Also with rankings cut after 1 or 2 positions (plus ties), as a big draw's are cut after
    HEAD: walks that run past the cut rank their target again in full."""
    pool, todo, p, seed = case
    want, failed = reference_teams(seed, todo, pool, p)
    saved, ranking.HEAD = ranking.HEAD, head
    try:
        if failed:
            with pytest.raises(TeamsUnavailable) as info:
                assign_teams(seed, todo, pool, p)
            assert [s.credit_code for s in info.value.shortfalls] == failed
        else:
            assert assign_teams(seed, todo, pool, p) == want
    finally:
        ranking.HEAD = saved


@settings(max_examples=150, deadline=None)
@given(cases())
def test_no_team_breaks_a_rule_and_the_same_inputs_give_the_same_teams(case):
    pool, todo, p, seed = case
    try:
        teams = assign_teams(seed, todo, pool, p)
    except TeamsUnavailable as exc:
        for shortfall in exc.shortfalls:
            assert shortfall.found < shortfall.wanted
            assert sum(shortfall.rejected.values()) <= len(pool)
        return
    assert teams == assign_teams(seed, list(todo), list(pool), p)
    by_cert = {x.cert_no: x for x in pool}
    cap = teams.fairness.cap
    load: Counter = Counter()
    for target in todo:
        members = teams[target.credit_code]
        officers = [m for m in members if m.role != "expert"]
        assert len(officers) == p.team_size >= 2
        assert [m.role for m in officers] == ["leader"] + ["member"] * (p.team_size - 1)
        assert sum(m.role == "expert" for m in members) == p.experts_per_team
        assert len({m.cert_no for m in members}) == len(members)
        for m in members:
            assert breaks(by_cert[m.cert_no], target, p, m.role == "expert") is None
        load.update(m.cert_no for m in officers)
    assert max(load.values()) <= cap
    assert teams.fairness.most == max(load.values())


def _officer(n: int, **kw) -> Inspector:
    base = {
        "department_path": "/41/4198/",
        "cert_valid_until": DUE,
        "specialties": frozenset({"设计"}),
    }
    return Inspector(f"RF-{n:03d}", **{**base, **kw})


def test_shortfall_names_each_target_and_the_rules_that_ran_out():
    pool = [
        _officer(1),
        _officer(2, active=False),
        _officer(3, cert_valid_until=DUE - dt.timedelta(days=1)),
        _officer(4, department_path="/42/"),
        _officer(5, specialties=frozenset({"监理"})),
        _officer(6, patch_code="419802"),
        _officer(7),
    ]
    p = TeamParams("/41/", DUE)
    blocked = TargetFacts(
        "91419800MA0000001X", frozenset({"设计"}), "419802", frozenset({"RF-007"})
    )
    fine = TargetFacts("91419800MA0000002X", frozenset({"设计"}), "419803")
    with pytest.raises(TeamsUnavailable) as info:
        assign_teams(SEED, [blocked, fine], pool, p)
    (shortfall,) = info.value.shortfalls
    assert shortfall.credit_code == blocked.credit_code
    assert (shortfall.found, shortfall.wanted) == (1, 2)
    assert shortfall.rejected == Counter(
        inactive=1, certificate=1, department=1, specialty=1, jurisdiction=1, conflict=1
    )
    text = shortfall.describe()
    assert blocked.credit_code in text and "所所交叉" in text and "回避" in text


def test_fair_share_spreads_the_work():
    # 6 officers, 9 targets of 2: 18 places, 3 each.
    pool = [_officer(n) for n in range(6)]
    todo = [TargetFacts(f"91419800MA{n:07d}X", frozenset({"设计"})) for n in range(9)]
    teams = assign_teams(SEED, todo, pool, TeamParams("/41/", DUE))
    load = Counter(m.cert_no for ms in teams.values() for m in ms)
    assert set(load.values()) == {3} and len(load) == 6
    assert teams.fairness == Fairness(cap=3, officers=6, most=3, least=3, mean="3.00")


def test_a_small_specialty_pool_serves_every_target_it_must():
    # Four officers, but only two know design: four design targets need 8 places. A cap of
    # ceil(4 × 2 / 4) + 1 = 3 each left the fourth target short; the only assignment puts both
    # design officers on all four teams, and that is what the draw does.
    pool = [_officer(1), _officer(2)] + [
        _officer(n, specialties=frozenset({"监理"})) for n in (3, 4)
    ]
    todo = [TargetFacts(f"91419800MA{n:07d}X", frozenset({"设计"})) for n in range(4)]
    teams = assign_teams(SEED, todo, pool, TeamParams("/41/", DUE))
    assert all({m.cert_no for m in team} == {"RF-001", "RF-002"} for team in teams.values())
    assert teams.fairness == Fairness(cap=4, officers=2, most=4, least=4, mean="4.00")


def test_swaps_make_room_where_tickets_alone_would_not():
    # Four officers, one team each: B may only have RF-001 and RF-002. Where A's tickets put
    # either of those first, B gets it by A moving to the others.
    pool = [_officer(n) for n in (1, 2, 3, 4)]
    a = TargetFacts("91419800MA0000001X", frozenset({"设计"}))
    b = TargetFacts(
        "91419800MA0000002X", frozenset({"设计"}), conflicts=frozenset({"RF-003", "RF-004"})
    )
    first = set()
    for seed in (f"{n:x}" * 64 for n in range(16)):
        order = [c for c, _ in ordered([x.cert_no for x in pool], f"{seed}/{a.credit_code}")]
        first.add(order[0])
        teams = assign_teams(seed, [a, b], pool, TeamParams("/41/", DUE))
        assert {m.cert_no for m in teams[a.credit_code]} == {"RF-003", "RF-004"}
        assert {m.cert_no for m in teams[b.credit_code]} == {"RF-001", "RF-002"}
        assert teams.fairness == Fairness(cap=1, officers=4, most=1, least=1, mean="1.00")
    assert first & {"RF-001", "RF-002"}  # the seeds include some that needed a swap


def test_no_assignment_at_any_cap_names_the_target():
    pool = [_officer(1), _officer(2, specialties=frozenset({"监理"}))]
    fine = TargetFacts("91419800MA0000001X", frozenset({"设计", "监理"}))
    blocked = TargetFacts("91419800MA0000002X", frozenset({"设计"}))
    with pytest.raises(TeamsUnavailable) as info:
        assign_teams(SEED, [fine, blocked], pool, TeamParams("/41/", DUE))
    (shortfall,) = info.value.shortfalls
    assert shortfall.credit_code == blocked.credit_code
    assert (shortfall.found, shortfall.rejected) == (1, Counter(specialty=1))
    assert blocked.credit_code in str(info.value) and "专业不符" in str(info.value)


def test_replacement_is_the_next_eligible_in_ticket_order():
    pool = [_officer(n) for n in range(8)]
    target = TargetFacts("91419800MA0000009X", frozenset({"设计"}))
    p = TeamParams("/41/", DUE)
    (team,) = assign_teams(SEED, [target], pool, p).values()
    order = [c for c, _ in ordered([x.cert_no for x in pool], f"{SEED}/{target.credit_code}")]
    assert [m.cert_no for m in team] == order[:2]
    load = Counter(m.cert_no for m in team)
    first = replacement(
        SEED, target, pool, p, role="leader", excluded=set(order[:2]), load=load, cap=2
    )
    assert (first.cert_no, first.role) == (order[2], "leader")
    skipping = replacement(
        SEED,
        target,
        pool,
        p,
        role="member",
        excluded=set(order[:3]),
        load=Counter({order[3]: 2}),
        cap=2,
        unavailable={order[4]},
    )
    assert skipping.cert_no == order[5]
    with pytest.raises(TeamsUnavailable) as info:
        replacement(SEED, target, pool, p, role="member", excluded=set(order), load={}, cap=2)
    assert info.value.shortfalls[0].rejected["already_on_team"] == 8
