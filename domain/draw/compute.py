"""The draw as one pure computation over frozen inputs; `verify` runs the same code."""

from __future__ import annotations

from domain.draw.record import (
    ALGORITHM,
    FORMAT,
    VERSION,
    inspector_json,
    member_json,
    params_json,
    seal,
    sealed,
    snapshot_digest,
    take_count,
    target_json,
)
from domain.draw.teams import Inspector, Member, TargetFacts, TeamParams, assign_teams
from domain.draw.tickets import smallest


def select_targets(
    strata: dict[str, list[str]], ratios: dict[str, str], seed: str
) -> dict[str, list[tuple[str, str]]]:
    """Per stratum, the ceil(ratio × eligible) ids with the smallest tickets."""
    return {
        name: smallest(ids, seed, take_count(len(ids), ratios[name]))
        for name, ids in sorted(strata.items())
    }


def assignment_order(drawn: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Teams are drawn target by target in global ticket order (this order matters for the fair
    share cap, so it is part of the algorithm)."""
    return [i for t, i in sorted((t, i) for pairs in drawn.values() for i, t in pairs)]


def team_inputs(
    drawn: dict[str, list[tuple[str, str]]], facts: dict[str, TargetFacts]
) -> list[TargetFacts]:
    return [facts[code] for code in assignment_order(drawn)]


def build_record(**parts) -> dict:
    """The sealed record (see `record_body`)."""
    return sealed(record_body(**parts))


def sealed_text(parts: dict) -> tuple[str, str]:
    """The record hash and canonical text of the record made of `parts` (`record_body`'s
    arguments): what a reveal stores, made in one call a worker process can run."""
    record, text = seal(record_body(**parts))
    return record["record_hash"], text


def record_body(
    *,
    header: dict,
    strata: list[dict],
    ratios: dict[str, str],
    drawn: dict[str, list[tuple[str, str]]],
    pool: list[Inspector],
    pool_digest: str,
    facts: dict[str, TargetFacts],
    params: TeamParams,
    teams: dict[str, list[Member]],
    exclusions: dict[str, int],
) -> dict:
    """`header`: campaign, commitment, secret, entropy, seed, practice, beacon, times."""
    record = {
        "format": FORMAT,
        "version": VERSION,
        "algorithm": ALGORITHM,
        **header,
        "strata": [
            {
                **s,
                "ratio_percent": ratios[s["name"]],
                "drawn": [{"id": i, "ticket": t} for i, t in drawn[s["name"]]],
            }
            for s in strata
        ],
        "exclusions": exclusions,
        "pool": {
            "digest": pool_digest,
            "size": len(pool),
            "snapshot_digest": snapshot_digest(pool),
            "members": [inspector_json(p) for p in pool],
        },
        "team_params": params_json(params),
        "targets": {code: target_json(f) for code, f in sorted(facts.items())},
        "teams": [
            {"target": code, "members": [member_json(m) for m in teams[code]]}
            for code in assignment_order(drawn)
        ],
        "amendments": [],
    }
    return record


def run(
    seed: str,
    strata: dict[str, list[str]],
    ratios: dict[str, str],
    facts: dict[str, TargetFacts],
    pool: list[Inspector],
    params: TeamParams,
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[Member]]]:
    """Selection then teams; `facts` must cover at least every drawn target."""
    drawn = select_targets(strata, ratios, seed)
    teams = assign_teams(seed, team_inputs(drawn, facts), pool, params)
    return drawn, teams
