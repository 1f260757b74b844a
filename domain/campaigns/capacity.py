"""Before a draw's commitment: can the pool staff as many teams as the draw will take?

Each officer takes at most the fair share of teams (`teams.fair_share_cap`). Targets whose
eligible officers all lie in a set S must be staffed from S: if the targets certain to be drawn
among them need more places than S can give, the reveal would fail whatever the dice. The sets
checked: each group's eligible officers, their union per category list (jurisdictions differ
only by the own-patch rule) and the whole pool. A necessary condition, not a sufficient one:
the walk in ticket order can still run short, and the reveal then says so.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from tortoise import connections

from domain.campaigns.staffing import Group, held, params_of
from domain.draw.teams import Inspector, Matcher, TargetFacts, fair_share_cap, officer_pool


async def capacity_problem(
    campaign, scope, groups: list[Group], strata: Sequence, pool: list[Inspector]
) -> str | None:
    """`strata`: the draw's (name, eligible, take) summaries, after any exclusion. `groups`:
    the candidates counted as `staffing.groups_of` found them (a group whose candidates were
    all excluded as unstaffable has no eligible officers and is left out here)."""
    params = params_of(campaign)
    tasks = sum(s.take for s in strata)
    officers = len(officer_pool(pool, params))
    if tasks and officers < params.team_size:
        return (
            f"抽查计划 {campaign.code} 需要 {tasks} 个检查组，但名录中只有 {officers} 名"
            f"在岗、证件有效的执法人员，不足每组 {params.team_size} 名"
            " (the pool cannot staff a team)"
        )
    cap = fair_share_cap(tasks, params, officers)
    matcher = Matcher(pool, params)
    _, departments = await connections.get("default").execute_query(
        'SELECT "id", "code" FROM "department"'
    )
    code_of = {int(r[0]): str(r[1]) for r in departments}
    # (covered categories, jurisdiction code) -> stratum -> candidates
    counts: defaultdict[tuple, Counter] = defaultdict(Counter)
    covered: dict[str, frozenset[str]] = {}
    for g in groups:
        if g.categories not in covered:
            covered[g.categories] = held(g.categories, scope)
        jurisdiction = code_of.get(g.jurisdiction_id) if g.jurisdiction_id else None
        counts[(covered[g.categories], jurisdiction)][g.stratum] += g.count
    staffable: dict[tuple, frozenset[int]] = {}
    for signature in counts:
        found = frozenset(matcher.positions(TargetFacts("", *signature), False))
        if signature[0] and len(found) >= params.team_size:
            staffable[signature] = found
    # Who could staff a signature's targets lies among the officers of its categories: each
    # set is compared with the signatures of its own categories, and the whole pool with all.
    family: defaultdict[frozenset[str], list[tuple]] = defaultdict(list)
    for signature in staffable:
        family[signature[0]].append(signature)
    checks = [(frozenset().union(*staffable.values()), list(staffable))]
    for members in family.values():
        union = frozenset().union(*(staffable[m] for m in members))
        checks += [(people, members) for people in {union, *(staffable[m] for m in members)}]
    summary = {s.name: s for s in strata}
    for people, members in sorted(checks, key=lambda c: len(c[0])):
        inside: Counter = Counter()
        for signature in members:
            if staffable[signature] <= people:
                inside.update(counts[signature])
        certain = sum(
            max(0, summary[name].take - max(0, summary[name].eligible - count))
            for name, count in inside.items()
            if name in summary
        )
        if certain * params.team_size > len(people) * cap:
            return (
                f"抽查计划 {campaign.code} 将抽取 {tasks} 个对象，其中至少 {certain} 个只能由"
                f"同一批 {len(people)} 名执法人员组队（专业、片区相符）；按公平分配每人至多"
                f" {cap} 组，共 {len(people) * cap} 个席位，不足所需的"
                f" {certain * params.team_size} 个 (the pool cannot staff the draw)。"
                "请为更多执法人员补登相应专业，或降低抽取比例、缩小抽查事项或区域"
            )
    return None


__all__ = ["capacity_problem"]
