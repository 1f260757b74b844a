"""Hypothesis strategies and a straightforward reference for team assignment."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import consistent_sampler
from hypothesis import strategies as st

from domain.draw.teams import Inspector, Member, TargetFacts, TeamParams

DUE = dt.date(2026, 6, 30)
DEPARTMENTS = ("/41/", "/41/4198/", "/41/4198/419802/", "/41/4198/419803/", "/42/")
CATEGORIES = ("设计", "监理", "检测", "平时使用")
PATCHES = (None, "419802", "419803")


# A set of categories as a bit mask: one draw where a hypothesis set of them takes a draw per
# element and per "one more?", and inputs are generated many times over (most of these tests'
# time); shrinks towards the empty set all the same.
def subset(items: tuple[str, ...], mask: int) -> frozenset[str]:
    return frozenset(x for n, x in enumerate(items) if mask >> n & 1)


ALL = (1 << len(CATEGORIES)) - 1
INSPECTOR = st.tuples(
    st.sampled_from(DEPARTMENTS),
    st.integers(-3, 400),  # certificate valid until DUE + days
    st.integers(0, ALL),  # specialties
    st.sampled_from(PATCHES),
    st.integers(0, 5),  # 0: an expert
    st.integers(0, 9),  # 0: inactive
)


@st.composite
def pools(draw, min_size: int = 0, max_size: int = 40) -> list[Inspector]:
    size = draw(st.integers(min_size, max_size))
    return [
        Inspector(
            cert_no=f"RF-{n:04d}",
            department_path=department,
            cert_valid_until=DUE + dt.timedelta(days=days),
            specialties=subset(CATEGORIES, specialties),
            patch_code=patch,
            is_expert=expert == 0,
            active=active > 0,
        )
        for n, (department, days, specialties, patch, expert, active) in enumerate(
            draw(INSPECTOR) for _ in range(size)
        )
    ]


@st.composite
def targets(draw, certs: list[str], min_size: int = 1, max_size: int = 25) -> list[TargetFacts]:
    size = draw(st.integers(min_size, max_size))
    people = st.lists(st.sampled_from(certs or ["RF-none"]), max_size=3).map(frozenset)
    fields = st.tuples(st.integers(1, ALL), st.sampled_from(PATCHES), people, people)
    return [
        TargetFacts(
            credit_code=f"91419800MA{n:07d}X",
            categories=subset(CATEGORIES, categories),
            jurisdiction_code=jurisdiction,
            conflicts=conflicts,
            previous_team=previous,
        )
        for n, (categories, jurisdiction, conflicts, previous) in enumerate(
            draw(fields) for _ in range(size)
        )
    ]


@st.composite
def params(draw) -> TeamParams:
    return TeamParams(
        department_path=draw(st.sampled_from(("/41/", "/41/4198/"))),
        due_date=DUE,
        team_size=draw(st.integers(2, 3)),
        experts_per_team=draw(st.integers(0, 1)),
        avoid_own_jurisdiction=draw(st.booleans()),
        avoid_previous_team=draw(st.booleans()),
    )


def breaks(person: Inspector, target: TargetFacts, p: TeamParams, expert: bool) -> str | None:
    """The team rules, written out plainly: the first rule `person` breaks, if any."""
    if person.is_expert != expert:
        return "kind"
    if not person.active:
        return "inactive"
    if person.cert_valid_until < p.due_date:
        return "certificate"
    if not person.department_path.startswith(p.department_path):
        return "department"
    if not (person.specialties & target.categories):
        return "specialty"
    if person.cert_no in target.conflicts:
        return "conflict"
    if (
        p.avoid_own_jurisdiction
        and person.patch_code
        and person.patch_code == (target.jurisdiction_code)
    ):
        return "jurisdiction"
    if p.avoid_previous_team and person.cert_no in target.previous_team:
        return "previous_team"
    return None


def reference_teams(
    seed: str, todo: list[TargetFacts], pool: list[Inspector], p: TeamParams
) -> tuple[dict[str, list[Member]], list[str]]:
    """Whole pool walked in consistent_sampler's own order, rule by rule. Returns the teams and
    the credit codes that could not get a full team."""
    by_cert = {person.cert_no: person for person in pool}
    officers = [
        x
        for x in pool
        if not x.is_expert
        and x.active
        and x.cert_valid_until >= p.due_date
        and x.department_path.startswith(p.department_path)
    ]
    cap = math.ceil(len(todo) * p.team_size / max(len(officers), 1)) + 1
    load: Counter = Counter()
    teams, failed = {}, []
    for target in todo:
        order = list(
            consistent_sampler.sampler(
                list(by_cert), f"{seed}/{target.credit_code}", output="ticket", digits=100
            )
        )
        members: list[Member] = []
        for t in order:
            person = by_cert[t.id]
            if len(members) < p.team_size and breaks(person, target, p, False) is None:
                if load[t.id] < cap:
                    members.append(
                        Member(t.id, "leader" if not members else "member", t.ticket_number)
                    )
        if len(members) < p.team_size:
            failed.append(target.credit_code)
            continue
        experts = [
            Member(t.id, "expert", t.ticket_number)
            for t in order
            if breaks(by_cert[t.id], target, p, True) is None
        ][: p.experts_per_team]
        if len(experts) < p.experts_per_team:
            failed.append(target.credit_code)
            continue
        for m in members:
            load[m.cert_no] += 1
        teams[target.credit_code] = members + experts
    return teams, failed
