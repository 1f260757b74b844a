"""Step 1 of a draw: freeze the candidates and commit to a secret (commit, then reveal)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections import Counter
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from tortoise import connections
from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.calendar.imported import load_calendar
from domain.calendar.workdays import WorkCalendar, format_years
from domain.campaigns import heap
from domain.campaigns.candidates import (
    HIGH_RISK_STRATUM,
    Scope,
    TargetCandidates,
    ratio_for,
    read_pool,
    read_targets,
)
from domain.campaigns.capacity import capacity_problem
from domain.campaigns.facts import pool_from_snapshot
from domain.campaigns.frozen import CHUNK, save_pieces
from domain.campaigns.gc_pause import pausing_collector
from domain.campaigns.plan import get_campaign
from domain.campaigns.scope import nothing_in_scope
from domain.campaigns.spill import SortedStratum, pieces
from domain.campaigns.staffing import Unstaffable, fixes, groups_of, unstaffable
from domain.draw.record import ids_digest, snapshot_digest, take_count
from domain.draw.seed import check_beacon_spec
from domain.errors import UserError
from domain.rules.access import Actor, require_coordinator
from domain.storage.models import (
    Campaign,
    CampaignStatus,
    Department,
    Draw,
    DrawStatus,
    InspectionItem,
    ItemKind,
)
from domain.storage.wal_checkpoint import checkpoint_afterwards


@dataclass(frozen=True)
class StratumSummary:
    name: str
    eligible: int
    ratio_percent: str
    take: int
    digest: str


@dataclass(frozen=True)
class PreparedDraw:
    campaign: str
    draw_id: int
    commitment: str
    practice: bool
    beacon: dict | None
    strata: list[StratumSummary]
    pool_size: int
    pool_digest: str
    exclusions: dict[str, int]
    # Of the pool's attributes too (certificates, departments, patches...): published now, so
    # that no attribute can be edited before the reveal without the record showing it.
    pool_snapshot_digest: str


async def _scope(campaign: Campaign, high_risk_complaints: int) -> Scope:
    items = await InspectionItem.filter(code__in=campaign.item_codes, active=True)
    categories = {c for i in items for c in i.categories}
    if campaign.category_filter:
        categories &= set(campaign.category_filter)
    regions = await Department.filter(code__in=campaign.region_codes)
    return Scope(
        department_path=campaign.department.path,
        region_paths=tuple(sorted(r.path for r in regions)),
        categories=frozenset(categories),
        risk_filter=frozenset(campaign.risk_filter),
        category_filter=frozenset(campaign.category_filter),
        year=campaign.start_date.year,
        high_risk_complaints=high_risk_complaints,
        yearly_cap=not items or any(i.kind != ItemKind.KEY for i in items),
    )


def _summary(stratum: SortedStratum, ratio: Decimal) -> StratumSummary:
    """What prepare publishes of a stratum."""
    eligible = stratum.count
    return StratumSummary(
        stratum.name, eligible, format(ratio, "f"), take_count(eligible, ratio), stratum.digest
    )


def check_calendar(campaign: Campaign, calendar: WorkCalendar) -> None:
    """The reveal counts the due date's reminders in working days (3 and 1 before it, the
    first overdue day after it): a year in the campaign's period that no calendar covers is
    refused here, before the commitment, rather than found after the public dice."""
    before = calendar.count_workdays(campaign.due_date, -3).day
    after = calendar.count_workdays(campaign.due_date, 1).day
    first = min(campaign.start_date, before)
    missing = calendar.uncovered_years(first, after)
    if missing:
        years = format_years(missing)
        raise UserError(
            f"抽查计划 {campaign.code} 的期间 {campaign.start_date} 至 {campaign.due_date}"
            f"（连同截止日前后的提醒，{first} 至 {after}）涉及 {years} 年，"
            f"但还没有 {years} 年的工作日历（法定节假日和调休上班日），无法按工作日安排提醒。"
            f"请先用 `shuangsuiji calendar import FILE` 导入 {years} 年的日历"
            "（格式见 deploy/calendar/README.md），再准备抽取；尚未冻结任何名单。"
            f"已有年份：{format_years(calendar.covered_years()) or '无'}。"
            f" (no working-day calendar for {years}: import it before preparing the draw)"
        )


def check_period(campaign: Campaign) -> None:
    """Every task of a campaign whose due date has passed would be overdue as it is drawn, and
    its overdue reminders sent at once: refused before the commitment (a period typed in the
    wrong year, say), while the campaign can still be corrected."""
    today = clock.today()
    if campaign.due_date < today:
        raise UserError(
            f"抽查计划 {campaign.code} 的截止日期 {campaign.due_date} 已过（今天是 {today}），"
            "抽出的任务将全部逾期。请先更正期限（`shuangsuiji campaign edit "
            f"{campaign.code} --start YYYY-MM-DD --due YYYY-MM-DD`）再准备抽取；尚未冻结任何名单。"
            f" (the due date {campaign.due_date} has passed: correct the period first)"
        )


class Unstaffed(UserError):
    """Candidates that no full team can be formed for: refused before the commitment, rather
    than found at the reveal, after the public dice."""

    def __init__(self, campaign_code: str, found: list[Unstaffable]) -> None:
        self.campaign_code = campaign_code
        self.found = found
        lines = [u.describe() for u in found[:SHOWN]]
        if len(found) > SHOWN:
            lines.append(f"…… 另有 {len(found) - SHOWN} 个对象同样无法组队 (more)")
        todo = "；".join(fixes(found)) or "增加执法人员"
        super().__init__(
            f"抽查计划 {campaign_code} 有 {len(found)} 个候选对象无法组成完整检查组，"
            "尚未冻结任何名单 (candidates no team can be formed for; nothing frozen):\n  "
            + "\n  ".join(lines)
            + f"\n请修正名录后重新准备：{todo}；"
            "或准备时排除这些对象（命令行 --exclude-unstaffable），排除数计入抽取记录。"
        )


SHOWN = 20  # a directory that fails everywhere must still give a readable message


async def open_draw(campaign: Campaign) -> Draw | None:
    return await Draw.get_or_none(campaign_id=campaign.id, status=DrawStatus.PREPARED)


def _described(campaign_code: str, draw: Draw) -> PreparedDraw:
    """What the witnesses are shown of a prepared draw, read from what it stored: a draw just
    prepared and the same draw resumed later are shown alike."""
    prepared = draw.prepared
    return PreparedDraw(
        campaign_code,
        draw.id,
        draw.commitment,
        draw.practice,
        draw.beacon,
        [StratumSummary(**s) for s in prepared["strata"]],
        prepared["pool"]["size"],
        prepared["pool"]["digest"],
        prepared["exclusions"],
        prepared["pool"]["snapshot_digest"],
    )


async def resume_draw(actor: Actor, campaign_code: str) -> PreparedDraw | None:
    """The campaign's draw prepared earlier and not yet revealed or abandoned, as prepare_draw
    described it; None if there is none."""
    campaign = await get_campaign(campaign_code)
    require_coordinator(actor, campaign.department.path)
    draw = await open_draw(campaign)
    return None if draw is None else _described(campaign.code, draw)


@pausing_collector
async def prepare_draw(
    actor: Actor,
    campaign_code: str,
    *,
    practice: bool = False,
    beacon: dict | None = None,
    high_risk_complaints: int = 3,
    exclude_unstaffable: bool = False,
) -> PreparedDraw:
    """Raises Unstaffed, with nothing frozen, if some candidate cannot get a full team from the
    pool on its own, unless `exclude_unstaffable`: those are then left out, and counted."""
    campaign = await get_campaign(campaign_code)
    require_coordinator(actor, campaign.department.path)
    if campaign.status != CampaignStatus.PLANNED:
        raise UserError(f"抽查计划 {campaign.code} 已抽取 (already drawn: {campaign.status})")
    if await open_draw(campaign):
        raise UserError(
            f"抽查计划 {campaign.code} 已有一次准备好的抽取："
            "请揭示 (reveal) 或作废 (abandon) 后再准备"
        )
    check_beacon_spec(beacon)
    check_period(campaign)
    check_calendar(campaign, await load_calendar())
    scope = await _scope(campaign, high_risk_complaints)
    targets = await read_targets(scope)
    try:
        return await _freeze(
            actor, campaign, scope, targets, practice, beacon, high_risk_complaints,
            exclude_unstaffable,
        )  # fmt: skip
    finally:
        targets.spill.close()
        heap.give_back()


async def _freeze(
    actor: Actor,
    campaign: Campaign,
    scope: Scope,
    targets: TargetCandidates,
    practice: bool,
    beacon: dict | None,
    high_risk_complaints: int,
    exclude_unstaffable: bool,
) -> PreparedDraw:
    """The checks on what `read_targets` found, then the commitment and the frozen lists."""
    groups = groups_of(targets)
    pool = await read_pool(campaign.department.path)
    # The pool exactly as the reveal will read it back.
    pool_json = [{**asdict(p), "cert_valid_until": p.cert_valid_until.isoformat()} for p in pool]
    inspectors = pool_from_snapshot(pool_json)
    missing = await unstaffable(campaign, scope, groups, targets, inspectors)
    if missing and not exclude_unstaffable:
        raise Unstaffed(campaign.code, missing)
    if missing:
        targets.exclusions["unstaffable"] += len(missing)
    ratios = {k: Decimal(str(v)) for k, v in campaign.ratios.items()}
    left = Counter(targets.eligible)
    left.subtract(Counter(u.stratum for u in missing))
    # Counts first, so that a draw refused for its size is refused before any sorting.
    sizes = [
        StratumSummary(name, n, "", take_count(n, ratio_for(name, ratios)), "")
        for name, n in sorted(left.items())
        if n > 0
    ]
    if not any(s.take for s in sizes):
        raise UserError(
            f"抽查计划 {campaign.code} 没有可抽取的对象 (no eligible targets); "
            + (
                f"排除情况: {dict(targets.exclusions)}"
                if targets.scanned
                else await nothing_in_scope(campaign)
            )
        )
    problem = capacity_problem(campaign, sizes, inspectors)
    if problem:
        raise UserError(problem + "；尚未冻结任何名单 (nothing frozen)")
    leave_out = frozenset(u.credit_code for u in missing)
    ordered = [await asyncio.to_thread(targets.spill.sort, s.name, leave_out) for s in sizes]
    strata = [_summary(s, ratio_for(s.name, ratios)) for s in ordered]
    secret = secrets.token_hex(32)
    commitment = hashlib.sha256(secret.encode()).hexdigest()
    pool_ids = [p.cert_no for p in pool]
    prepared: dict[str, Any] = {
        "strata": [asdict(s) for s in strata],
        "pool": {
            "size": len(pool),
            "digest": ids_digest(pool_ids),
            "snapshot_digest": snapshot_digest(inspectors),
        },
        "exclusions": dict(sorted(targets.exclusions.items())),
        "scanned": targets.scanned,
        "scope": {
            "regions": list(scope.region_paths),
            "categories": sorted(scope.categories),
            "risk_filter": sorted(scope.risk_filter),
            "year": scope.year,
            "high_risk_complaints": high_risk_complaints,
        },
        "prepared_at": clock.now().isoformat(timespec="seconds"),
    }
    async with checkpoint_afterwards(connections.get("default")), in_transaction():
        draw = await Draw.create(
            campaign=campaign,
            practice=practice,
            commitment=commitment,
            secret=secret,
            beacon=beacon,
            prepared=prepared,
            prepared_by=actor.label,
        )
        await save_pieces(draw, pool_json, {s.name: pieces(s.path, CHUNK) for s in ordered})
        await audit.record(
            actor.label,
            "draw.prepare",
            "campaign",
            campaign.code,
            after={"draw": draw.id, "commitment": commitment, "practice": practice, **prepared},
        )
    return _described(campaign.code, draw)


async def abandon_draw(actor: Actor, campaign_code: str, reason: str) -> None:
    """An abandoned draw stays in the record and the log, so nobody can quietly re-roll."""
    campaign = await get_campaign(campaign_code)
    require_coordinator(actor, campaign.department.path)
    if not reason.strip():
        raise UserError("作废抽取须说明理由 (a reason is required)")
    draw = await open_draw(campaign)
    if draw is None:
        raise UserError(f"抽查计划 {campaign.code} 没有待揭示的抽取 (no prepared draw)")
    async with in_transaction():
        draw.status = DrawStatus.ABANDONED
        draw.abandoned_reason = reason.strip()
        await draw.save(update_fields=["status", "abandoned_reason", "updated_at"])
        await audit.record(
            actor.label,
            "draw.abandon",
            "campaign",
            campaign.code,
            data={"draw": draw.id, "commitment": draw.commitment, "reason": reason.strip()},
        )


__all__ = [
    "HIGH_RISK_STRATUM",
    "PreparedDraw",
    "Unstaffed",
    "abandon_draw",
    "ids_digest",
    "prepare_draw",
    "resume_draw",
]
