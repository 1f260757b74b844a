"""Before a draw's commitment: can every candidate be given a full team?

A candidate that no team can be formed for would fail the reveal after the public dice, so
prepare finds such candidates first, with the same rules the reveal applies (`teams.Matcher`).
A million candidates share a few (categories, jurisdiction) signatures: each signature is judged
once; only targets with a declared conflict or a previous team are judged one by one, and only
where those few people could tip the count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from tortoise import connections

from domain.campaigns.candidates import (
    Scope,
    TargetCandidates,
    _loads,
    _regions,
)
from domain.campaigns.facts import _chunks, _previous_teams
from domain.draw.teams import RULES, Inspector, Matcher, TargetFacts, TeamParams

FIXES = {
    "specialty": "为执法人员补登对应专业，或缩小抽查事项/定向类别",
    "jurisdiction": "增加其他片区的执法人员，或关闭所所交叉 (avoid_own_jurisdiction)",
    "conflict": "核实回避申报，或增加执法人员",
    "previous_team": "增加执法人员，或关闭避开上次检查组 (avoid_previous_team)",
    "certificate": "更新到期的执法证件",
    "inactive": "恢复在岗人员",
    "department": "在本级或下级部门名录中增加执法人员",
}


@dataclass(frozen=True)
class Unstaffable:
    credit_code: str
    name: str
    needed: str  # "officers" or "experts"
    found: int
    wanted: int
    rejected: dict[str, int]
    stratum: str = ""

    def describe(self) -> str:
        reasons = "，".join(
            f"{RULES[r]} {n} 人" for r, n in Counter(self.rejected).most_common() if n
        )
        who = "执法人员" if self.needed == "officers" else "专家"
        return (
            f"{self.credit_code} {self.name}: 需要{who} {self.wanted} 名，"
            f"名录中只有 {self.found} 名符合条件；被排除：{reasons or '无候选人'}"
        )


def fixes(found: list[Unstaffable]) -> list[str]:
    """What to change, for the reasons that excluded people, most frequent first."""
    total: Counter = Counter()
    for u in found:
        total.update(u.rejected)
    return [FIXES[r] for r, _ in total.most_common() if r in FIXES]


def params_of(campaign) -> TeamParams:
    from domain.campaigns.reveal import team_params  # reveal imports prepare, which imports us

    return team_params(campaign)


def held(categories: str, scope: Scope) -> frozenset[str]:
    """A target's categories (its stored JSON text) that the campaign covers."""
    return frozenset(c for c in _loads(categories) or () if isinstance(c, str)) & scope.categories


@dataclass(frozen=True)
class Group:
    """Candidates alike for the team rules and the draw: how many, of which stratum."""

    categories: str  # the stored JSON text
    jurisdiction_id: int | None
    stratum: str
    count: int


def groups_of(targets: TargetCandidates) -> list[Group]:
    """The candidates counted by (categories, jurisdiction, stratum), as `read_targets`
    counted them in its scan."""
    return [Group(*g) for g in targets.groups]


def _where(regions: dict[int, str]) -> str:
    return f"t.region_id IN ({','.join(map(str, sorted(regions)))}) AND t.status = 'operating'"


async def unstaffable(
    campaign, scope: Scope, groups: list[Group], targets: TargetCandidates, pool: list[Inspector]
) -> list[Unstaffable]:
    """The candidates (of `targets`, as prepare read them; counted in `groups`) that cannot
    get a full team from `pool` on their own, by credit code, with their strata."""
    params = params_of(campaign)
    matcher = Matcher(pool, params)
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    regions = await _regions(scope.region_paths)
    if not regions or not targets.eligible:
        return []
    _, departments = await conn.execute_query('SELECT "id", "code" FROM "department"')
    code_of = {int(r[0]): str(r[1]) for r in departments}
    where = _where(regions)
    wanted = {"officers": params.team_size, "experts": params.experts_per_team}

    def facts(code: str, categories, jurisdiction, conflicts=(), previous=()) -> TargetFacts:
        return TargetFacts(
            code,
            held(categories, scope),
            code_of.get(int(jurisdiction)) if jurisdiction else None,
            frozenset(conflicts),
            frozenset(previous),
        )

    def short(target: TargetFacts) -> tuple[str, int] | None:
        for needed, expert in (("officers", False), ("experts", True)):
            if wanted[needed] and len(matcher.positions(target, expert)) < wanted[needed]:
                return needed, len(matcher.positions(target, expert))
        return None

    # Signature -> how many officers (and experts) it leaves, before conflicts.
    spare: dict[tuple, int] = {}
    bad_signatures = []
    for categories, jurisdiction in {(g.categories, g.jurisdiction_id) for g in groups}:
        signature = facts("", categories, jurisdiction)
        if not signature.categories:
            continue  # no item applies: never a candidate
        counts = [
            len(matcher.positions(signature, expert)) - wanted[needed]
            for needed, expert in (("officers", False), ("experts", True))
            if wanted[needed]
        ]
        spare[(categories, jurisdiction)] = min(counts)
        if min(counts) < 0:
            bad_signatures.append((categories, jurisdiction))
    found: dict[str, tuple[str, TargetFacts]] = {}  # credit code -> (name, facts)
    for categories, jurisdiction in bad_signatures:
        mark = "$1" if postgres else "?"
        same = (
            "t.jurisdiction_id IS NULL"
            if jurisdiction is None
            else (f"t.jurisdiction_id = {int(jurisdiction)}")
        )
        _, rows = await conn.execute_query(
            f"SELECT t.credit_code, t.name FROM target t WHERE {where} AND {same} "
            f"AND CAST(t.categories AS TEXT) = {mark}",
            [categories],
        )
        for code, name in rows:
            found[str(code)] = (str(name), facts(str(code), categories, jurisdiction))
    for code, (name, categories, jurisdiction, left_out) in (
        await _left_out(conn, where, params, campaign.id, postgres)
    ).items():
        if code in found or spare.get((categories, jurisdiction), 0) >= len(
            left_out[0] | left_out[1]
        ):
            continue
        target = facts(code, categories, jurisdiction, *left_out)
        if short(target):
            found[code] = (name, target)
    if not found:
        return []
    candidates = await targets.strata_of(sorted(found))
    judged: dict[tuple, Unstaffable] = {}
    result = []
    for code in sorted(candidates):
        name, target = found[code]
        key = (target.categories, target.jurisdiction_code, target.conflicts, target.previous_team)
        if key not in judged:
            needed, count = short(target) or ("officers", 0)
            rejected = matcher.rejections(target, needed == "experts")
            judged[key] = Unstaffable("", "", needed, count, wanted[needed], dict(rejected))
        u = judged[key]
        result.append(
            Unstaffable(code, name, u.needed, u.found, u.wanted, u.rejected, candidates[code])
        )
    return result


async def _left_out(
    conn, where: str, params: TeamParams, campaign_id: int, postgres: bool
) -> dict[str, tuple]:
    """Targets in scope with a declared conflict or (if the campaign avoids it) a previous
    team: credit code -> (name, categories, jurisdiction id, (conflicts, previous team))."""
    select = "SELECT t.id, t.credit_code, t.name, CAST(t.categories AS TEXT), t.jurisdiction_id"
    _, rows = await conn.execute_query(
        f'{select}, i."cert_no" FROM "conflict" c JOIN target t ON t.id = c.target_id '
        f'JOIN "inspector" i ON i."id" = c."inspector_id" WHERE {where}'
    )
    info: dict[int, tuple] = {}
    conflicts: defaultdict[int, set[str]] = defaultdict(set)
    for target_id, code, name, categories, jurisdiction, cert in rows:
        info[int(target_id)] = (str(code), str(name), categories, jurisdiction)
        conflicts[int(target_id)].add(str(cert))
    previous: dict[int, set[str]] = {}
    if params.avoid_previous_team:
        _, rows = await conn.execute_query(
            f"{select} FROM target t WHERE {where} AND t.id IN (SELECT target_id FROM task "
            f"WHERE state <> 'cancelled' AND campaign_id <> {int(campaign_id)})"
        )
        for target_id, code, name, categories, jurisdiction in rows:
            info[int(target_id)] = (str(code), str(name), categories, jurisdiction)
        if rows:
            ids = sorted(int(r[0]) for r in rows)
            previous = await _previous_teams(conn, _chunks(ids, postgres), campaign_id, postgres)
    return {
        code: (name, categories, jurisdiction, (conflicts[i], previous.get(i, set())))
        for i, (code, name, categories, jurisdiction) in info.items()
    }


__all__ = ["Group", "Unstaffable", "fixes", "groups_of", "held", "params_of", "unstaffable"]
