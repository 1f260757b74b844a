"""Hypothesis strategies and a straightforward reference for team assignment."""

from __future__ import annotations

import datetime as dt
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
    """docs/draw-record.md's "Team assignment" read plainly, over consistent_sampler's own
    order. Returns the teams and the credit codes that could not get a full team."""
    by_cert = {person.cert_no: person for person in pool}
    k = p.team_size
    cands = [[x.cert_no for x in pool if breaks(x, t, p, False) is None] for t in todo]
    failed = [t.credit_code for t, c in zip(todo, cands, strict=True) if len(c) < k]
    if failed:
        return {}, failed
    cap = next(c for c in range(1, len(todo) + 1) if _fits(cands, k, c))
    teams: list[list[str]] = [[] for _ in todo]
    load: Counter = Counter()
    orders = []
    for n, target in enumerate(todo):
        order = list(
            consistent_sampler.sampler(
                list(by_cert), f"{seed}/{target.credit_code}", output="ticket", digits=100
            )
        )
        orders.append(order)
        for t in order:
            if len(teams[n]) < k and t.id in cands[n] and load[t.id] < cap:
                teams[n].append(t.id)
                load[t.id] += 1
        while len(teams[n]) < k:
            assert _augment(n, cands, teams, load, cap)
    found = {}
    for n, target in enumerate(todo):
        tickets = {t.id: t.ticket_number for t in orders[n]}
        ranked = sorted(teams[n], key=lambda c: (tickets[c], c))
        members = [Member(c, "member", tickets[c]) for c in ranked]
        members[0] = Member(ranked[0], "leader", tickets[ranked[0]])
        experts = [
            Member(t.id, "expert", t.ticket_number)
            for t in orders[n]
            if breaks(by_cert[t.id], target, p, True) is None
        ][: p.experts_per_team]
        if len(experts) < p.experts_per_team:
            failed.append(target.credit_code)
        found[target.credit_code] = members + experts
    return ({}, failed) if failed else (found, [])


def _fits(cands: list[list[str]], k: int, cap: int) -> bool:
    """Whether every target gets k distinct candidates, nobody on more than `cap`: one unit
    of a target at a time, by depth-first search for an augmenting path."""
    teams: list[list[str]] = [[] for _ in cands]
    load: Counter = Counter()
    for n in range(len(cands)):
        for _ in range(k):
            if not _augment(n, cands, teams, load, cap):
                return False
    return True


def _augment(start, cands, teams, load, cap) -> bool:
    """Breadth first from target `start`, as the docs describe it."""
    via: dict[str, int] = {}
    came_by: dict[int, str] = {}
    queue, queued = [start], {start}
    for t in queue:
        for c in cands[t]:
            if c in teams[t] or c in via:
                continue
            via[c] = t
            if load[c] < cap:
                load[c] += 1
                while True:
                    teams[t].append(c)
                    if t not in came_by:
                        return True
                    c = came_by[t]
                    teams[t].remove(c)
                    t = via[c]
            for holder in sorted(h for h in range(len(teams)) if c in teams[h]):
                if holder not in queued:
                    queued.add(holder)
                    came_by[holder] = c
                    queue.append(holder)
    return False
