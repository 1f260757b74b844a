"""Before a draw's commitment: can the pool staff the draw's size at all?

Teams are assigned as a matching under the smallest per-officer load that staffs every drawn
target (docs/draw-record.md, "Team assignment"): no fixed share limits how many teams an officer
joins, so once every candidate can get a full team on its own (`staffing.unstaffable`), the
only size limit left is a pool with fewer officers than one team needs.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.campaigns.staffing import params_of
from domain.draw.teams import Inspector, officer_pool


def capacity_problem(campaign, strata: Sequence, pool: list[Inspector]) -> str | None:
    """`strata`: the draw's (name, eligible, take) summaries, after any exclusion."""
    params = params_of(campaign)
    tasks = sum(s.take for s in strata)
    officers = len(officer_pool(pool, params))
    if tasks and officers < params.team_size:
        return (
            f"抽查计划 {campaign.code} 需要 {tasks} 个检查组，但名录中只有 {officers} 名"
            f"在岗、证件有效的执法人员，不足每组 {params.team_size} 名"
            " (the pool cannot staff a team)"
        )
    return None
