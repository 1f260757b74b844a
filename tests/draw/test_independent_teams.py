"""An auditor's reimplementation written from docs/draw-record.md alone (tests/kit/record_teams,
which imports nothing from the project) draws the same targets and teams as `domain.draw`."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import consistent_sampler
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.draw.compute import assignment_order, run
from domain.draw.record import inspector_from, params_from, target_from
from domain.draw.seed import commitment_of, normalize_entropy, seed_of
from domain.draw.teams import TeamsUnavailable
from domain.draw.tickets import seed_hash, ticket
from tests.kit import record_teams

DUE = "2026-06-30"
DEPARTMENTS = ("/41/", "/41/4198/", "/41/4198/419802/", "/41/4198/419803/", "/42/")
CATEGORIES = ("设计", "监理", "检测", "平时使用")
PATCHES = (None, "419802", "419803")
RATIOS = ("0", "12.5", "33.3", "50", "75", "100")


def _date(days: int) -> str:
    return (dt.date.fromisoformat(DUE) + dt.timedelta(days=days)).isoformat()


def _subset(mask: int) -> list[str]:
    return sorted(c for n, c in enumerate(CATEGORIES) if mask >> n & 1)


@st.composite
def members(draw) -> list[dict]:
    """A pool as the record lists it, sorted by cert_no."""
    size = draw(st.integers(0, 30))
    person = st.tuples(
        st.sampled_from(DEPARTMENTS),
        st.integers(-3, 400),
        st.integers(0, 15),
        st.sampled_from(PATCHES),
        st.integers(0, 5),  # 0: an expert
        st.integers(0, 9),  # 0: inactive
    )
    return [
        {
            "cert_no": f"RF-{n:04d}",
            "department_path": department,
            "cert_valid_until": _date(days),
            "specialties": _subset(mask),
            "patch_code": patch,
            "is_expert": expert == 0,
            "active": active > 0,
        }
        for n, (department, days, mask, patch, expert, active) in enumerate(
            draw(person) for _ in range(size)
        )
    ]


@st.composite
def facts(draw, certs: list[str]) -> dict[str, dict]:
    """Credit code -> the target's facts, as the record's `targets` holds them."""
    size = draw(st.integers(1, 20))
    people = st.lists(st.sampled_from(certs or ["RF-none"]), max_size=3).map(
        lambda c: sorted(set(c))
    )
    fields = st.tuples(st.integers(1, 15), st.sampled_from(PATCHES), people, people)
    return {
        f"91419800MA{n:07d}X": {
            "categories": _subset(mask),
            "jurisdiction_code": jurisdiction,
            "conflicts": conflicts,
            "previous_team": previous,
        }
        for n, (mask, jurisdiction, conflicts, previous) in enumerate(
            draw(fields) for _ in range(size)
        )
    }


PARAMS = st.fixed_dictionaries(
    {
        "department_path": st.sampled_from(("/41/", "/41/4198/")),
        "due_date": st.just(DUE),
        "team_size": st.integers(2, 3),
        "experts_per_team": st.integers(0, 1),
        "avoid_own_jurisdiction": st.booleans(),
        "avoid_previous_team": st.booleans(),
    }
)


def test_the_documented_ticket_is_consistent_samplers():
    seed, ids = "7bacfa28/91419802MA45ABCD1X", [f"RF-{n:04d}" for n in range(30)]
    theirs = consistent_sampler.sampler(ids, seed, output="ticket", digits=100)
    assert [(t.ticket_number, t.id) for t in theirs] == sorted(
        (record_teams.ticket(seed, i), i) for i in ids
    )


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_document_alone_gives_the_projects_targets_and_teams(data):
    pool = data.draw(members())
    targets = data.draw(facts([m["cert_no"] for m in pool]))
    params = data.draw(PARAMS)
    seed = data.draw(st.text(alphabet="0123456789abcdef", min_size=1, max_size=64))
    codes = sorted(targets)
    cut = data.draw(st.integers(0, len(codes)))
    strata = {"419802:A": codes[:cut], "high-risk": codes[cut:]}
    ratios = {name: data.draw(st.sampled_from(RATIOS)) for name in strata}

    drawn = record_teams.drawn(seed, strata, ratios)
    order = [code for _, code in sorted((t, i) for pairs in drawn.values() for i, t in pairs)]
    try:
        want = record_teams.teams(seed, order, targets, pool, params)
    except record_teams.Failed as exc:
        want = exc.needed, exc.codes

    try:
        got_drawn, got_teams = run(
            seed,
            strata,
            ratios,
            {code: target_from(code, f) for code, f in targets.items()},
            [inspector_from(m) for m in pool],
            params_from(params),
        )
    except TeamsUnavailable as exc:
        got = exc.shortfalls[0].needed, [s.credit_code for s in exc.shortfalls]
    else:
        assert got_drawn == drawn
        assert assignment_order(got_drawn) == order
        got = (
            [
                {
                    "target": code,
                    "members": [
                        {"cert_no": m.cert_no, "role": m.role, "ticket": m.ticket}
                        for m in got_teams[code]
                    ],
                }
                for code in order
            ],
            got_teams.fairness.json(),
        )
    assert got == want


def test_the_documents_worked_example_is_what_the_code_computes():
    text = (Path(__file__).parents[2] / "docs" / "draw-record.md").read_text(encoding="utf-8")
    secret, code = "5f2c" * 16, "91419802MA45ABCD1X"
    entropy = normalize_entropy("12345 67890/1234567890")
    seed = seed_of(secret, entropy)
    digest = hashlib.sha256((seed_hash(seed) + code).encode()).hexdigest()
    shown = [
        entropy,
        commitment_of(secret),
        seed,
        seed_hash(seed),
        digest,
        str(int(digest, 16)),
        ticket(seed, code),
        ticket(f"{seed}/{code}", "RF-0001"),
    ]
    assert [value for value in shown if value not in text] == []
