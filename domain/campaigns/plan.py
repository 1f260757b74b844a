"""Creating a campaign (抽查计划): validated parameters, public before the draw; correcting or
deleting it while nothing has been drawn (after a reveal, only the record's amendments)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.transactions import in_transaction

from domain.audit import log as audit
from domain.campaigns.scope import region_outside
from domain.errors import NotFound, UserError
from domain.rules.access import Actor, require_coordinator
from domain.storage.models import (
    Campaign,
    CampaignStatus,
    Department,
    Draw,
    DrawCandidates,
    DrawStatus,
    InspectionItem,
)

RISK_CLASSES = ("A", "B", "C", "D")
# Henan 2021 (docs/domain.md), low to high risk; the high-risk stratum above them.
DEFAULT_RATIOS = {"A": "1", "B": "2", "C": "10", "D": "30", "high": "50"}


@dataclass
class CampaignSpec:
    code: str
    name: str
    department: str  # code
    items: list[str]  # item codes
    start_date: dt.date
    due_date: dt.date
    regions: list[str] = field(default_factory=list)  # codes; default: the department itself
    categories: list[str] = field(default_factory=list)  # 定向 filter; empty = 不定向
    risk_classes: list[str] = field(default_factory=list)
    # Empty: the items' ratios (`items_ratios`); given and different, `ratio_reason` says why.
    ratios: dict[str, str] = field(default_factory=dict)
    team_size: int = 2
    experts_per_team: int = 0
    avoid_own_jurisdiction: bool = True
    avoid_previous_team: bool = True
    # Why this campaign goes beyond an item's 抽查频次 (refused without one), kept and public.
    beyond_frequency: str = ""
    ratio_reason: str = ""


def parse_ratios(text: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`A=1,B=2,C=10,D=30,high=50` (percentages); missing keys keep `base`'s values (the
    defaults if none)."""
    ratios = dict(base or DEFAULT_RATIOS)
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        key, sep, value = part.partition("=")
        key = key.strip().upper() if key.strip().lower() != "high" else "high"
        if not sep or key not in ratios:
            raise UserError(f"比例写法应为 A=1,B=2,C=10,D=30,high=50，无法理解「{part}」")
        ratios[key] = value.strip().rstrip("%")
    return ratios


def _checked_ratios(raw: dict[str, str]) -> dict[str, str]:
    out = {}
    for key in (*RISK_CLASSES, "high"):
        try:
            value = Decimal(str(raw.get(key, DEFAULT_RATIOS[key])))
        except InvalidOperation:
            raise UserError(f"比例 {key} 应为百分数，实为 {raw.get(key)!r}") from None
        if not Decimal(0) <= value <= Decimal(100):
            raise UserError(f"比例 {key} 应在 0 到 100 之间，实为 {value}")
        out[key] = format(value.normalize(), "f")
    return out


def items_ratios(items: list[InspectionItem]) -> dict[str, str]:
    """The ratios the items ask for: their highest 抽查比例 is the least share drawn in every
    risk class, and a class whose default (DEFAULT_RATIOS) is higher keeps it, so riskier
    classes are still drawn more."""
    base = max((Decimal(str(i.ratio_percent)) for i in items), default=Decimal(0))
    return _checked_ratios({k: str(max(base, Decimal(v))) for k, v in DEFAULT_RATIOS.items()})


async def _checked(spec: CampaignSpec, department: Department, new: bool) -> tuple:
    """`spec`'s regions (the department's own by default) and ratios, or a UserError naming
    every problem."""
    problems = []
    if not spec.code.strip() or not spec.name.strip():
        problems.append("计划编号和名称不能为空 (code and name are required)")
    if new and await Campaign.exists(code=spec.code):
        problems.append(f"计划编号「{spec.code}」已存在 (code already used)")
    if spec.due_date < spec.start_date:
        problems.append(f"截止日期 {spec.due_date} 早于开始日期 {spec.start_date}")
    if spec.team_size < 2:
        problems.append(f"检查组至少 2 名执法人员 (team size ≥ 2), 实为 {spec.team_size}")
    if spec.experts_per_team < 0:
        problems.append("专家人数不能为负")
    items = {i.code: i for i in await InspectionItem.filter(code__in=spec.items)}
    for code in spec.items:
        if code not in items:
            problems.append(f"未知的抽查事项「{code}」")
        elif not items[code].active:
            problems.append(f"抽查事项「{code}」已停用")
    if not spec.items:
        problems.append("至少选择一个抽查事项 (at least one item)")
    regions = spec.regions or [department.code]
    found = {d.code: d for d in await Department.filter(code__in=regions)}
    for code in regions:
        if code not in found:
            problems.append(
                f"未知的区域「{code}」：部门名录中没有；先导入 "
                "(`shuangsuiji import departments 部门.csv`)"
            )
        elif not found[code].path.startswith(department.path):
            problems.append(await region_outside(department, found[code], new))
    bad_classes = [c for c in spec.risk_classes if c not in RISK_CLASSES]
    if bad_classes:
        problems.append(f"信用风险分类应为 A/B/C/D, 实为 {', '.join(bad_classes)}")
    known = [items[c] for c in spec.items if c in items]
    derived = items_ratios(known)
    ratios = _checked_ratios(spec.ratios) if spec.ratios else derived
    if known and ratios != derived and not spec.ratio_reason.strip():
        problems.append(
            f"比例 {_ratios_text(ratios)} 与抽查事项的抽查比例 {_ratios_text(derived)} 不同，"
            "请用 --ratio-reason 说明理由，或不给 --ratios 而按事项抽取"
            " (ratios differ from the items': give a reason)"
        )
    if spec.items and not spec.beyond_frequency.strip():
        problems += await _beyond_frequency(spec, [items[c] for c in spec.items if c in items])
    if problems:
        verb = "创建" if new else "修改"
        raise UserError(f"无法{verb}抽查计划:\n  " + "\n  ".join(problems))
    return regions, ratios


async def _beyond_frequency(spec: CampaignSpec, items: list[InspectionItem]) -> list[str]:
    """The items this campaign would use more often in its start year than their 抽查频次
    allows, each with the campaigns already using it that year (deleted ones are gone)."""
    year = spec.start_date.year
    same_year = (
        await Campaign.filter(
            start_date__gte=dt.date(year, 1, 1), start_date__lte=dt.date(year, 12, 31)
        )
        .exclude(code=spec.code.strip())
        .order_by("code")
    )
    problems = []
    for item in items:
        earlier = [c.code for c in same_year if item.code in c.item_codes]
        if len(earlier) >= item.frequency_per_year:
            problems.append(
                f"抽查事项「{item.code}」每年抽查 {item.frequency_per_year} 次，"
                f"{year} 年已有抽查计划 "
                f"{'、'.join(earlier)} 使用；确需超出频次请用 --beyond-frequency 说明理由"
                f" (item {item.code}: {item.frequency_per_year}/year, {year} already has"
                f" {', '.join(earlier)})"
            )
    return problems


def _ratios_text(ratios: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in ratios.items())


def _columns(spec: CampaignSpec, regions: list[str], ratios: dict[str, str]) -> dict:
    return {
        "name": spec.name.strip(),
        "item_codes": list(spec.items),
        "region_codes": regions,
        "category_filter": list(spec.categories),
        "risk_filter": list(spec.risk_classes),
        "start_date": spec.start_date,
        "due_date": spec.due_date,
        "ratios": ratios,
        "team_size": spec.team_size,
        "experts_per_team": spec.experts_per_team,
        "avoid_own_jurisdiction": spec.avoid_own_jurisdiction,
        "avoid_previous_team": spec.avoid_previous_team,
        "frequency_reason": spec.beyond_frequency.strip(),
        "ratio_reason": spec.ratio_reason.strip(),
    }


async def create_campaign(actor: Actor, spec: CampaignSpec) -> Campaign:
    department = await Department.get_or_none(code=spec.department)
    if department is None:
        raise NotFound(f"未知的部门「{spec.department}」(unknown department)")
    require_coordinator(actor, department.path)
    regions, ratios = await _checked(spec, department, new=True)
    async with in_transaction():
        campaign = await Campaign.create(
            code=spec.code.strip(),
            department=department,
            created_by=actor.label,
            **_columns(spec, regions, ratios),
        )
        await audit.record(
            actor.label, "campaign.create", "campaign", campaign.code, after=spec_summary(campaign)
        )
    return campaign


# What `edit_campaign` may change: all but the code and the department (whose coordinators
# plan it).
EDITABLE = tuple(f.name for f in fields(CampaignSpec) if f.name not in ("code", "department"))


def spec_of(campaign: Campaign) -> CampaignSpec:
    return CampaignSpec(
        code=campaign.code,
        name=campaign.name,
        department=campaign.department.code,
        items=list(campaign.item_codes),
        start_date=campaign.start_date,
        due_date=campaign.due_date,
        regions=list(campaign.region_codes),
        categories=list(campaign.category_filter),
        risk_classes=list(campaign.risk_filter),
        ratios=dict(campaign.ratios),
        team_size=campaign.team_size,
        experts_per_team=campaign.experts_per_team,
        avoid_own_jurisdiction=campaign.avoid_own_jurisdiction,
        avoid_previous_team=campaign.avoid_previous_team,
        beyond_frequency=campaign.frequency_reason or "",
        ratio_reason=campaign.ratio_reason or "",
    )


async def _correctable(campaign: Campaign, verb: str) -> None:
    """A campaign is corrected or deleted only while nothing of it was drawn: its parameters
    are then in no public record yet."""
    drawn = await Draw.exists(campaign_id=campaign.id, status=DrawStatus.REVEALED)
    if campaign.status != CampaignStatus.PLANNED or drawn:
        raise UserError(
            f"抽查计划 {campaign.code} 已揭示抽取，不能再{verb}：抽取结果已公开，"
            "之后的更正（回避、替换）只记入抽取记录的修正记录 (amendments)，见 "
            f"`shuangsuiji draw record {campaign.code} FILE` 和 "
            f"`shuangsuiji audit show --object campaign:{campaign.code}`"
            " (drawn: corrections go to the record's amendment trail)"
        )
    if await Draw.exists(campaign_id=campaign.id, status=DrawStatus.PREPARED):
        raise UserError(
            f"抽查计划 {campaign.code} 有一次准备好、尚未揭示的抽取，其名单已冻结：请先作废 "
            f"(`shuangsuiji draw abandon {campaign.code} --reason ...`) 再{verb}"
            " (a prepared draw is open: abandon it first)"
        )


async def edit_campaign(actor: Actor, code: str, changes: Mapping[str, Any]) -> Campaign:
    """Correct a campaign before its draw: `changes` maps CampaignSpec fields (EDITABLE) to
    their new values; checked as a new campaign is, and saved with its before and after in the
    audit log, or not at all."""
    campaign = await get_campaign(code)
    require_coordinator(actor, campaign.department.path)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise UserError(f"不能修改的字段 {', '.join(unknown)}；可修改：{', '.join(EDITABLE)}")
    if not changes:
        raise UserError(f"没有要修改的内容 (nothing to change); 可修改：{', '.join(EDITABLE)}")
    await _correctable(campaign, "修改")
    spec = replace(spec_of(campaign), **changes)
    if "items" in changes and "ratios" not in changes and not spec.ratio_reason:
        spec.ratios = {}  # ratios that followed the items follow the new ones
    regions, ratios = await _checked(spec, campaign.department, new=False)
    before = spec_summary(campaign)
    async with in_transaction():
        for name, value in _columns(spec, regions, ratios).items():
            setattr(campaign, name, value)
        await campaign.save()
        after = spec_summary(campaign)
        changed = [k for k in after if after[k] != before[k]]
        await audit.record(
            actor.label,
            "campaign.edit",
            "campaign",
            campaign.code,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return campaign


async def delete_campaign(actor: Actor, code: str) -> None:
    """Delete a campaign nothing was drawn for. Its abandoned draws go with it, and into the
    audit entry (commitment, entropy if any, why abandoned): the log, which is kept, still shows
    every attempt, so a deletion cannot hide a re-roll."""
    campaign = await get_campaign(code)
    require_coordinator(actor, campaign.department.path)
    await _correctable(campaign, "删除")
    draws = await Draw.filter(campaign_id=campaign.id).order_by("id")
    async with in_transaction():
        await audit.record(
            actor.label,
            "campaign.delete",
            "campaign",
            campaign.code,
            before=spec_summary(campaign),
            data={
                "abandoned_draws": [
                    {
                        "draw": d.id,
                        "commitment": d.commitment,
                        "entropy": d.entropy,
                        "reason": d.abandoned_reason,
                    }
                    for d in draws
                ]
            },
        )
        await DrawCandidates.filter(draw_id__in=[d.id for d in draws]).delete()
        await Draw.filter(campaign_id=campaign.id).delete()
        await campaign.delete()


def spec_summary(campaign: Campaign) -> dict:
    return {
        "code": campaign.code,
        "name": campaign.name,
        "items": campaign.item_codes,
        "regions": campaign.region_codes,
        "categories": campaign.category_filter,
        "risk_classes": campaign.risk_filter,
        "start_date": campaign.start_date.isoformat(),
        "due_date": campaign.due_date.isoformat(),
        "ratios": campaign.ratios,
        "team_size": campaign.team_size,
        "experts_per_team": campaign.experts_per_team,
        "avoid_own_jurisdiction": campaign.avoid_own_jurisdiction,
        "avoid_previous_team": campaign.avoid_previous_team,
        "frequency_reason": campaign.frequency_reason or "",
        "ratio_reason": campaign.ratio_reason or "",
    }


async def get_campaign(code: str) -> Campaign:
    campaign = await Campaign.get_or_none(code=code).prefetch_related("department")
    if campaign is None:
        raise NotFound(f"没有编号为「{code}」的抽查计划 (no such campaign)")
    return campaign


async def active_items(limit: int) -> list[InspectionItem]:
    """The inspection items a new campaign may choose from (active ones), by code, at most
    `limit`."""
    return list(await InspectionItem.filter(active=True).order_by("code").limit(limit))


async def department_code_of(actor: Actor) -> str:
    """The code of the department the actor coordinates, where their new campaigns are
    planned; "" if there is none (create_campaign refuses it, naming it)."""
    department = await Department.get_or_none(path=actor.department_path)
    return department.code if department else ""
