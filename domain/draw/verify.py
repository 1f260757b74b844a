"""Recomputing a draw from its record (and, when given, the published candidate lists).

Every check either passes or names the first difference; nothing here trusts the record's own
conclusions.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.draw.compute import assignment_order, team_inputs
from domain.draw.record import (
    FORMAT,
    commitment_of,
    hash_of,
    ids_digest,
    inspector_from,
    member_json,
    params_from,
    seed_of,
    take_count,
    target_from,
)
from domain.draw.teams import TeamsUnavailable, assign_teams, replacement
from domain.draw.tickets import Ticketer, smallest


class VerifyFailed(Exception):
    """The first difference found."""


@dataclass(frozen=True)
class Verified:
    campaign: str
    targets: int
    teams: int
    amendments: int
    candidates_checked: bool

    def summary(self) -> str:
        scope = "with candidate lists" if self.candidates_checked else "record only"
        return (
            f"OK: campaign {self.campaign}, {self.targets} targets, {self.teams} teams, "
            f"{self.amendments} amendments recomputed ({scope})"
        )


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise VerifyFailed(message)


def verify_record(record: dict, candidates: dict[str, list[str]] | None = None) -> Verified:
    _check(record.get("format") == FORMAT, f"not a draw record (format {record.get('format')!r})")
    _check(hash_of(record) == record.get("record_hash"), "record_hash does not match the content")
    secret, entropy = record["secret"], record["entropy"]
    _check(commitment_of(secret) == record["commitment"], "secret does not match the commitment")
    seed = seed_of(secret, entropy)
    _check(seed == record["seed"], "seed is not SHA-256(secret + ':' + entropy)")
    ticketer = Ticketer(seed)
    drawn: dict[str, list[tuple[str, str]]] = {}
    for stratum in record["strata"]:
        name = stratum["name"]
        pairs = [(d["id"], d["ticket"]) for d in stratum["drawn"]]
        expected_take = take_count(stratum["eligible"], stratum["ratio_percent"])
        _check(stratum["take"] == expected_take, f"stratum {name}: take should be {expected_take}")
        _check(
            len(pairs) == expected_take, f"stratum {name}: {len(pairs)} drawn, not {expected_take}"
        )
        for object_id, ticket in pairs:
            _check(
                ticketer.ticket(object_id) == ticket,
                f"stratum {name}: wrong ticket for {object_id}",
            )
        _check(
            pairs == sorted(pairs, key=lambda p: (p[1], p[0])),
            f"stratum {name}: not in ticket order",
        )
        if candidates is not None:
            ids = candidates.get(name)
            _check(ids is not None, f"stratum {name}: candidate list missing")
            _check(
                ids_digest(ids) == stratum["digest"],
                f"stratum {name}: candidates do not match the digest",
            )
            _check(
                len(ids) == stratum["eligible"],
                f"stratum {name}: {len(ids)} candidates, not {stratum['eligible']}",
            )
            recomputed = smallest(ids, seed, expected_take)
            for (got, _), (want, _) in zip(pairs, recomputed, strict=True):
                _check(got == want, f"stratum {name}: drew {got} where the tickets give {want}")
        drawn[name] = pairs
    pool = [inspector_from(m) for m in record["pool"]["members"]]
    _check(
        ids_digest([p.cert_no for p in pool]) == record["pool"]["digest"],
        "inspector pool does not match its digest",
    )
    params = params_from(record["team_params"])
    facts = {code: target_from(code, d) for code, d in record["targets"].items()}
    order = assignment_order(drawn)
    missing = [c for c in order if c not in facts]
    _check(not missing, f"no target facts for {missing[:3]}")
    try:
        teams = assign_teams(seed, team_inputs(drawn, facts), pool, params)
    except TeamsUnavailable as exc:
        raise VerifyFailed(f"teams cannot be recomputed: {exc}") from None
    recorded = {t["target"]: t["members"] for t in record["teams"]}
    _check([t["target"] for t in record["teams"]] == order, "teams are not in the drawing order")
    for code in order:
        want = [member_json(m) for m in teams[code]]
        _check(recorded.get(code) == want, f"team of {code} differs from the recomputed team")
    _verify_amendments(record, seed, facts, pool, params, recorded)
    return Verified(
        record["campaign"]["code"],
        len(order),
        len(teams),
        len(record["amendments"]),
        candidates is not None,
    )


def _verify_amendments(record, seed, facts, pool, params, recorded) -> None:
    ever_on = {code: {m["cert_no"] for m in members} for code, members in recorded.items()}
    current = {code: {m["cert_no"] for m in members} for code, members in recorded.items()}
    for n, amendment in enumerate(record["amendments"], start=1):
        code = amendment["target"]
        _check(code in current, f"amendment {n}: {code} has no team")
        _check(
            amendment["replaced"] in current[code],
            f"amendment {n}: {amendment['replaced']} is not on the team",
        )
        expert = amendment.get("role") == "expert"
        chosen = replacement(seed, facts[code], pool, params, ever_on[code], expert=expert)
        want = chosen.cert_no if chosen else None
        got = amendment["replacement"]["cert_no"] if amendment.get("replacement") else None
        _check(got == want, f"amendment {n}: replacement should be {want}, record says {got}")
        if chosen:
            _check(
                amendment["replacement"]["ticket"] == chosen.ticket, f"amendment {n}: wrong ticket"
            )
            ever_on[code].add(chosen.cert_no)
            current[code].add(chosen.cert_no)
        current[code].discard(amendment["replaced"])
