"""Team assignment: for each drawn target, the pool in ticket order under `<seed>/<credit code>`,
taking the first who meet every rule. Plain values in, plain values out."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from domain.draw.tickets import Ticketer

# The rules in the order they are checked; a failure names, per rule, how many were turned away.
RULES = {
    "expert": "专家不计入检查组人数 (experts do not count)",
    "inactive": "不在岗 (inactive)",
    "certificate": "执法证件在截止日前过期 (certificate expires before the due date)",
    "department": "不属于本级或下级部门 (outside the campaign's departments)",
    "specialty": "专业不符 (no matching specialty)",
    "conflict": "已申报回避 (declared conflict)",
    "jurisdiction": "本人负责片区 (own jurisdiction, 所所交叉)",
    "previous_team": "上次检查该对象 (on the previous inspection's team)",
    "fair_share": "已达公平分配上限 (fair share reached)",
    "already_on_team": "已在本组 (already on this team)",
}


@dataclass(frozen=True)
class Inspector:
    cert_no: str
    department_path: str
    cert_valid_until: dt.date
    specialties: frozenset[str]
    patch_code: str | None = None
    is_expert: bool = False
    active: bool = True


@dataclass(frozen=True)
class TargetFacts:
    credit_code: str
    categories: frozenset[str]  # the target's categories that the campaign's items cover
    jurisdiction_code: str | None = None
    conflicts: frozenset[str] = frozenset()  # cert numbers
    previous_team: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TeamParams:
    department_path: str
    due_date: dt.date
    team_size: int = 2
    experts_per_team: int = 0
    avoid_own_jurisdiction: bool = True
    avoid_previous_team: bool = True


@dataclass(frozen=True)
class Member:
    cert_no: str
    role: str  # leader, member, expert
    ticket: str


@dataclass
class Shortfall:
    credit_code: str
    needed: str  # "officers" or "experts"
    found: int
    wanted: int
    rejected: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        reasons = "，".join(f"{RULES[r]} {n} 人" for r, n in self.rejected.most_common())
        return (
            f"{self.credit_code}: 需要{'执法人员' if self.needed == 'officers' else '专家'} "
            f"{self.wanted} 名，只找到 {self.found} 名；被排除：{reasons or '无候选人'}"
        )


class TeamsUnavailable(Exception):
    def __init__(self, shortfalls: list[Shortfall]) -> None:
        self.shortfalls = shortfalls
        super().__init__("; ".join(s.describe() for s in shortfalls))


def team_seed(seed: str, credit_code: str) -> str:
    return f"{seed}/{credit_code}"


def officer_pool(pool: list[Inspector], params: TeamParams) -> list[Inspector]:
    """Who counts for the fair share: active officers, valid through the due date, in scope."""
    return [p for p in pool if _static_reason(p, params) is None]


def fair_share_cap(tasks: int, params: TeamParams, pool_size: int) -> int:
    return math.ceil(tasks * params.team_size / max(pool_size, 1)) + 1


def _static_reason(person: Inspector, params: TeamParams, expert: bool = False) -> str | None:
    if person.is_expert != expert:
        return "expert"
    if not person.active:
        return "inactive"
    if not expert and person.cert_valid_until < params.due_date:
        return "certificate"
    if not person.department_path.startswith(params.department_path):
        return "department"
    return None


def _target_reason(person: Inspector, target: TargetFacts, params: TeamParams) -> str | None:
    if not person.specialties & target.categories:
        return "specialty"
    if person.cert_no in target.conflicts:
        return "conflict"
    if (
        params.avoid_own_jurisdiction
        and person.patch_code is not None
        and person.patch_code == target.jurisdiction_code
    ):
        return "jurisdiction"
    if params.avoid_previous_team and person.cert_no in target.previous_team:
        return "previous_team"
    return None


def candidates_in_order(
    seed: str, target: TargetFacts, pool: list[Inspector], params: TeamParams, expert: bool
) -> tuple[list[tuple[Inspector, str]], Counter]:
    """Everyone who passes the rules that do not depend on other teams, in ticket order."""
    rejected: Counter = Counter()
    fit = []
    for person in pool:
        reason = _static_reason(person, params, expert) or _target_reason(person, target, params)
        if reason:
            if reason != "expert":
                rejected[reason] += 1
            continue
        fit.append(person)
    ticketer = Ticketer(team_seed(seed, target.credit_code))
    ranked = sorted((ticketer.ticket(p.cert_no), p.cert_no, p) for p in fit)
    return [(p, t) for t, _, p in ranked], rejected


def assign_teams(
    seed: str,
    targets: list[TargetFacts],
    pool: list[Inspector],
    params: TeamParams,
) -> dict[str, list[Member]]:
    """Teams for `targets`, processed in the order given. Raises TeamsUnavailable naming every
    target that cannot get a full team, and why."""
    if params.team_size < 2:
        raise ValueError("a team has at least two officers")
    cap = fair_share_cap(len(targets), params, len(officer_pool(pool, params)))
    load: Counter = Counter()
    teams: dict[str, list[Member]] = {}
    shortfalls: list[Shortfall] = []
    for target in targets:
        members: list[Member] = []
        ranked, rejected = candidates_in_order(seed, target, pool, params, expert=False)
        for person, ticket in ranked:
            if len(members) == params.team_size:
                break
            if load[person.cert_no] >= cap:
                rejected["fair_share"] += 1
                continue
            role = "leader" if not members else "member"
            members.append(Member(person.cert_no, role, ticket))
        if len(members) < params.team_size:
            shortfalls.append(
                Shortfall(target.credit_code, "officers", len(members), params.team_size, rejected)
            )
            continue
        if params.experts_per_team:
            experts, rejected_experts = candidates_in_order(seed, target, pool, params, True)
            chosen = experts[: params.experts_per_team]
            if len(chosen) < params.experts_per_team:
                shortfalls.append(
                    Shortfall(
                        target.credit_code,
                        "experts",
                        len(chosen),
                        params.experts_per_team,
                        rejected_experts,
                    )
                )
                continue
            members += [Member(p.cert_no, "expert", t) for p, t in chosen]
        for m in members:
            if m.role != "expert":
                load[m.cert_no] += 1
        teams[target.credit_code] = members
    if shortfalls:
        raise TeamsUnavailable(shortfalls)
    return teams


def replacement(
    seed: str,
    target: TargetFacts,
    pool: list[Inspector],
    params: TeamParams,
    excluded: set[str],
    expert: bool = False,
) -> Member | None:
    """回避: the next eligible inspector in the target's ticket order, skipping everyone who is
    or was on the team (`excluded`)."""
    ranked, _ = candidates_in_order(seed, target, pool, params, expert)
    for person, ticket in ranked:
        if person.cert_no not in excluded:
            return Member(person.cert_no, "expert" if expert else "member", ticket)
    return None
