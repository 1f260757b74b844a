"""Recusal (回避) after the draw: a member declares a conflict and is replaced by the next
eligible inspector in that target's ticket order; the amendment is appended to the record.

An amendment entry:
    {"n": 1, "target": <credit code>, "replaced": <cert no>, "role": <role of the replaced>,
     "replacement": {"cert_no", "role", "ticket"}, "reason": str, "by": str, "at": ISO time,
     "unavailable": {<cert no>: <why>}, "prior_hash": <record_hash before this amendment>}

The replacement is recomputed by `verify` from the record alone, with the rules of the draw
(the frozen pool, the target's facts, a fair share cap against the loads of the teams as
amended so far: ceil(tasks × team_size / officers) + 1, or the draw's own cap if higher),
skipping everyone who is or was on the team and the inspectors the amendment records as
unavailable (left, ill...: who, and why, is public in the record).
`prior_hash` chains the amendments to the record published at the reveal: for the first
amendment it is the `record_hash` the record had at the reveal (no amendments), for each later
one the SHA-256 of the canonical JSON of the amendment before it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.draw.record import (
    VerifyFailed,
    canonical,
    hash_of,
    inspector_from,
    member_from,
    member_json,
    params_from,
    sealed,
    target_from,
)
from domain.draw.seed import sha256_hex
from domain.draw.teams import (
    Inspector,
    Member,
    TargetFacts,
    TeamParams,
    TeamsUnavailable,
    fair_share_cap,
    officer_pool,
    replacement,
)
from domain.errors import UserError


@dataclass
class TeamState:
    """The teams of a draw as they stand after the amendments replayed so far."""

    seed: str
    pool: list[Inspector]
    params: TeamParams
    facts: dict[str, TargetFacts]
    teams: dict[str, list[Member]]
    cap: int
    ever: dict[str, set[str]] = field(default_factory=dict)
    load: Counter = field(default_factory=Counter)

    def replace(self, code: str, replaced: str, member: Member) -> None:
        self.teams[code] = [member if m.cert_no == replaced else m for m in self.teams[code]]
        self.ever[code].add(member.cert_no)
        if member.role != "expert":
            self.load[replaced] -= 1
            self.load[member.cert_no] += 1

    def next_for(
        self, code: str, replaced: str, unavailable: Mapping[str, str] | None = None
    ) -> Member:
        """Who would replace `replaced` on `code`'s team now (TeamsUnavailable if nobody)."""
        if code not in self.teams:
            raise UserError(f"对象 {code} 不在本次抽取结果中 (not drawn)")
        roles = {m.cert_no: m.role for m in self.teams[code]}
        if replaced not in roles:
            raise UserError(f"{replaced} 不是对象 {code} 检查组的现任成员 (not on the team)")
        return replacement(
            self.seed,
            self.facts[code],
            self.pool,
            self.params,
            role=roles[replaced],
            excluded=frozenset(self.ever[code]),
            load=self.load,
            cap=self.cap,
            unavailable=frozenset(unavailable or ()),
        )


def initial_state(record: dict) -> TeamState:
    """The teams as drawn (as recorded; `verify` checks them against a recomputation)."""
    params = params_from(record["team_params"])
    pool = [inspector_from(m) for m in record["pool"]["members"]]
    teams = {t["target"]: [member_from(m) for m in t["members"]] for t in record["teams"]}
    state = TeamState(
        seed=record["seed"],
        pool=pool,
        params=params,
        facts={code: target_from(code, d) for code, d in record["targets"].items()},
        teams=teams,
        # Never below the draw's own cap: where few officers fit, the draw needed more of them.
        cap=max(
            fair_share_cap(len(teams), params, len(officer_pool(pool, params))),
            record["fairness"]["cap"],
        ),
    )
    for code, members in teams.items():
        state.ever[code] = {m.cert_no for m in members}
        state.load.update(m.cert_no for m in members if m.role != "expert")
    return state


def replay(record: dict) -> TeamState:
    """Apply the recorded amendments one by one, recomputing each; VerifyFailed names the first
    amendment that does not follow from the record before it."""
    state = initial_state(record)
    amendments = record.get("amendments", [])
    prior = hash_of({**record, "amendments": []}) if amendments else ""
    for n, entry in enumerate(amendments, start=1):
        if entry.get("n") != n:
            raise VerifyFailed(f"amendment {n}: numbered {entry.get('n')!r}")
        if entry.get("prior_hash") != prior:
            raise VerifyFailed(f"amendment {n}: prior_hash does not chain to the record before it")
        code, replaced = entry["target"], entry["replaced"]
        try:
            want = state.next_for(code, replaced, entry.get("unavailable"))
        except (UserError, TeamsUnavailable) as exc:
            raise VerifyFailed(f"amendment {n}: {exc}") from None
        if entry.get("role") != want.role:
            raise VerifyFailed(f"amendment {n}: role should be {want.role}")
        got = entry.get("replacement") or {}
        if got != member_json(want):
            raise VerifyFailed(
                f"amendment {n} ({code}): replacement should be {want.cert_no} "
                f"(ticket {want.ticket[:14]}…), record says {got.get('cert_no')}"
            )
        state.replace(code, replaced, want)
        prior = sha256_hex(canonical(entry))
    return state


def current_teams(record: dict) -> dict[str, list[Member]]:
    return replay(record).teams


def amend_record(
    record: dict,
    *,
    target: str,
    replaced: str,
    reason: str,
    by: str,
    at: str,
    unavailable: Mapping[str, str] | None = None,
) -> tuple[dict, Member]:
    """The record with one more amendment, resealed, and the replacement. Raises UserError if the
    member is not on the team or nobody eligible is left (naming the rules that ran out)."""
    if not reason.strip():
        raise UserError("回避须说明理由 (a reason is required)")
    try:
        state = replay(record)
    except VerifyFailed as exc:
        raise UserError(
            f"抽取记录的变更记录不一致，不能再追加 (record inconsistent): {exc}"
        ) from exc
    try:
        member = state.next_for(target, replaced, unavailable)
    except TeamsUnavailable as exc:
        raise UserError(
            "没有可替换的人员 (no eligible replacement): " + exc.shortfalls[0].describe()
        ) from None
    amendments = list(record.get("amendments", []))
    prior = (
        sha256_hex(canonical(amendments[-1]))
        if amendments
        else hash_of({**record, "amendments": []})
    )
    entry = {
        "n": len(amendments) + 1,
        "target": target,
        "replaced": replaced,
        "role": member.role,
        "replacement": member_json(member),
        "reason": reason.strip(),
        "by": by,
        "at": at,
        "unavailable": dict(sorted((unavailable or {}).items())),
        "prior_hash": prior,
    }
    return sealed({**record, "amendments": [*amendments, entry]}), member
