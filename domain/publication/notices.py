"""The three public notices (三个公告) as plain data ready for JSON, and, once a campaign is
published, its draw record and candidate lists.

What is public, and when:

- the plan notice (抽查计划公告): every campaign, from its creation, before any draw;
- the task notice (抽查任务公告): from the end of `draw prepare`, the commitment and the
  candidate digests of every draw and each one's fate (`domain.publication.draws`); once
  drawn, numbers, items, scope, dates, the inspecting body and how many businesses, never
  which ones;
- the results notice (抽查结果公告), the draw record and the candidate lists: a published
  campaign only. Anything else raises `NotPublic`, whose message is the same whether the
  campaign does not exist or is still sealed, so a refusal says nothing about sealed data.

Never here: notes, photos, inspectors' names or certificate numbers, conflicts. (The draw record
holds certificate numbers — the team tickets are part of what an auditor recomputes — and
becomes public with the results, so that anyone can recompute the draw; docs/domain.md.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain import clock
from domain.campaigns.frozen import frozen_candidates, frozen_strata
from domain.errors import NotFound, PermissionDenied
from domain.publication.draws import draw_history, shown_draws
from domain.rules.access import PUBLIC, require_task_view
from domain.rules.campaign_states import campaign_state_zh
from domain.rules.lifecycle import TaskState
from domain.rules.report import RESULT_CATEGORIES
from domain.storage.limits import max_length
from domain.storage.models import (
    Campaign,
    CampaignStatus,
    Department,
    Draw,
    DrawStatus,
    InspectionItem,
    ItemKind,
    Penalty,
    Report,
    Task,
)

STATUS_LABELS = {status: campaign_state_zh(status) for status in CampaignStatus}
RATIO_LABELS = {
    "A": "A类（低风险）",
    "B": "B类（一般风险）",
    "C": "C类（较高风险）",
    "D": "D类（高风险）",
    "high": "重点对象（投诉多、有不良记录或严重违法）",
}
ITEM_KIND_LABELS = {ItemKind.GENERAL: "一般事项", ItemKind.KEY: "重点事项"}
DRAWN_STATUSES = {CampaignStatus.DRAWN, CampaignStatus.COMPLETED, CampaignStatus.PUBLISHED}
# The longest campaign code that can exist (its column): an adapter refuses longer ones unread.
CODE_MAX = max_length(Campaign, "code")


class NotPublic(NotFound):
    """No such campaign, or that part of it is not public yet: one message for both."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"没有找到已公开的{what}：该抽查计划不存在，或尚未公开 "
            "(not found: no such campaign, or not public yet)"
        )
        self.what = what


def local_date(moment: dt.datetime | None) -> str | None:
    return clock.local_date(moment).isoformat() if moment else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def category(code: str) -> dict[str, str]:
    label = RESULT_CATEGORIES.get(code, (f"未知代码 {code}", ""))[0]
    return {"code": code, "label": label}


async def _campaign(code: str, what: str) -> Campaign:
    campaign = await Campaign.filter(code=code).select_related("department").first()
    if campaign is None:
        raise NotPublic(what)
    return campaign


def _require_published(campaign: Campaign, what: str) -> None:
    published = campaign.status == CampaignStatus.PUBLISHED
    try:
        # The access module decides; a public view of a task needs a published campaign.
        require_task_view(PUBLIC, campaign.department.path, published, set())
    except PermissionDenied:
        raise NotPublic(what) from None


def _summary(c: Campaign) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "department": {"code": c.department.code, "name": c.department.name},
        "status": c.status.value,
        "status_label": STATUS_LABELS[c.status],
        "period": {"start": _iso(c.start_date), "due": _iso(c.due_date)},
    }


async def list_campaigns() -> list[dict[str, Any]]:
    campaigns = await Campaign.all().order_by("-start_date", "code").prefetch_related("department")
    return [_summary(c) for c in campaigns]


async def _items(codes: list[str]) -> list[dict[str, Any]]:
    items = await InspectionItem.filter(code__in=codes).select_related("body")
    by_code = {i.code: i for i in items}
    return [
        {
            "code": i.code,
            "name": i.name,
            "kind": ITEM_KIND_LABELS[i.kind],
            "legal_basis": i.legal_basis,
            "body": i.body.name,
            "content": i.content,
            "method": i.method,
            "requirements": i.requirements,
        }
        for code in codes
        if (i := by_code.get(code)) is not None
    ]


async def _scope(c: Campaign) -> dict[str, Any]:
    regions = {d.code: d.name for d in await Department.filter(code__in=c.region_codes)}
    directed = bool(c.category_filter or c.risk_filter)
    return {
        "regions": [{"code": r, "name": regions.get(r, r)} for r in c.region_codes],
        "mode": "定向" if directed else "不定向",
        "categories": list(c.category_filter),
        "risk_classes": list(c.risk_filter),
    }


def _ratios(c: Campaign) -> list[dict[str, str]]:
    return [
        {"class": key, "label": label, "percent": str(c.ratios[key])}
        for key, label in RATIO_LABELS.items()
        if key in c.ratios
    ]


async def plan_notice(code: str) -> dict[str, Any]:
    """抽查计划公告: public for every campaign, even before its draw."""
    c = await _campaign(code, "抽查计划")
    return {
        "notice": "抽查计划公告",
        **_summary(c),
        "items": await _items(c.item_codes),
        "scope": await _scope(c),
        "ratios": _ratios(c),
        # Why the ratios differ from the items' 抽查比例 ("" if they do not).
        "ratio_reason": c.ratio_reason or "",
        # Why the campaign uses an item more often this year than its 抽查频次 ("" if it
        # does not): the refusal it overrode is public too.
        "frequency_reason": c.frequency_reason or "",
        "team_size": c.team_size,
    }


async def _revealed_draw(c: Campaign) -> Draw | None:
    return await Draw.filter(campaign_id=c.id, status=DrawStatus.REVEALED).order_by("-id").first()


async def _task_numbers(c: Campaign) -> dict[str, Any]:
    """How many tasks, and the first and last numbers in the order of `number`: counted and
    looked up in the index rather than read, for there can be tens of thousands."""
    tasks = Task.filter(campaign_id=c.id)
    count = await tasks.count()
    first = await tasks.order_by("number").first().values_list("number", flat=True)
    last = await tasks.order_by("-number").first().values_list("number", flat=True)
    return {
        "count": count,
        "first": None if first is None else str(first),
        "last": None if last is None else str(last),
    }


def _current(history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The draw that counts: the revealed one, or the one prepared and awaiting its reveal."""
    current = [d for d in history if d["fate"] in ("revealed", "pending")]
    if not current:
        return None
    d = current[-1]
    return {
        "status": d["fate"],
        "practice": d["practice"],
        "commitment": d["commitment"],
        "prepared_at": d["prepared_at"],
        "record_hash": d.get("record_hash"),
        "strata": d["strata"],
        "pool": d["pool"],
        "pool_digest": d["pool"]["digest"],
        "pool_snapshot_digest": d["pool"]["snapshot_digest"],
        # Shown so that nobody can quietly re-roll: each abandoned commitment stays listed.
        "abandoned_commitments": [
            x["commitment"] for x in history if x["fate"] in ("abandoned", "failed")
        ],
    }


async def task_notice(code: str) -> dict[str, Any]:
    """抽查任务公告, from the moment a draw is prepared: its commitment and candidate digests,
    every earlier commitment and its fate; once drawn, how many businesses and under which
    numbers, never which businesses."""
    c = await _campaign(code, "抽查任务公告")
    draws = await shown_draws(c)
    history = await draw_history(c, draws)
    if not history:
        raise NotPublic("抽查任务公告")
    revealed = [d for d in draws if d.status == DrawStatus.REVEALED]
    draw = revealed[-1] if revealed and c.status in DRAWN_STATUSES else None
    tasks = await _task_numbers(c) if draw is not None else None
    items = await _items(c.item_codes)
    return {
        "notice": "抽查任务公告",
        **_summary(c),
        "drawn": draw is not None,
        "tasks": tasks,
        "items": items,
        "scope": await _scope(c),
        "inspecting_bodies": sorted({i["body"] for i in items} | {c.department.name}),
        "drawn_on": local_date(draw.revealed_at) if draw else None,
        "draw": _current(history),
        "draws": history,
    }


async def results_notice(code: str) -> dict[str, Any]:
    """抽查结果公告: each published task's business, result and penalties."""
    c = await _campaign(code, "抽查结果")
    _require_published(c, "抽查结果")
    tasks = list(await Task.filter(campaign_id=c.id).order_by("number").prefetch_related("target"))
    published = [t for t in tasks if t.state == TaskState.PUBLISHED]
    ids = [t.id for t in published]
    reports = {r.task_id: r for r in await Report.filter(task_id__in=ids)}
    penalties: dict[int, list[Penalty]] = {}
    for p in await Penalty.filter(task_id__in=ids, published_at__isnull=False).order_by(
        "decided_on", "id"
    ):
        penalties.setdefault(p.task_id, []).append(p)
    item_names = dict(
        await InspectionItem.filter(
            code__in={code for t in published for code in t.item_codes}
        ).values_list("code", "name")
    )
    rows = []
    for t in published:
        report = reports.get(t.id)
        data = report.data if report else {}
        completed = (report.completed_on if report else None) or t.completed_on
        rows.append(
            {
                "task_number": t.number,
                "business_name": t.target.name,
                "credit_code": t.target.credit_code,
                "completed_on": _iso(completed),
                "items": [item_names.get(code, code) for code in t.item_codes],
                "results": [category(str(x)) for x in data.get("result_categories") or ()],
                "remarks": report.remarks if report else "",
                "penalties": [
                    {
                        "decision_no": p.decision_no,
                        "decided_on": _iso(p.decided_on),
                        "content": p.content,
                    }
                    for p in penalties.get(t.id, [])
                ],
            }
        )
    states = [t.state for t in tasks]
    # A drawn business that was not inspected is shown with the reason: a silent gap in the
    # numbers would look like a task quietly dropped.
    cancelled = [
        {
            "task_number": t.number,
            "business_name": t.target.name,
            "credit_code": t.target.credit_code,
            "reason": t.state_reason or "",
        }
        for t in tasks
        if t.state == TaskState.CANCELLED
    ]
    return {
        "notice": "抽查结果公告",
        **_summary(c),
        "completed_on": _iso(c.completed_on),
        "published_on": local_date(c.published_at),
        "counts": {
            "drawn": len(tasks),
            "published": len(published),
            "cancelled": states.count(TaskState.CANCELLED),
        },
        "results": rows,
        "cancelled": cancelled,
    }


async def _published_draw(code: str, what: str) -> Draw:
    c = await _campaign(code, what)
    _require_published(c, what)
    draw = await _revealed_draw(c)
    if draw is None or draw.record is None:
        raise NotPublic(what)
    return draw


async def draw_record(code: str) -> tuple[str, str]:
    """(canonical JSON text exactly as stored, its record hash)."""
    draw = await _published_draw(code, "摇号记录")
    return draw.record, draw.record_hash or ""


def candidate_text(ids: list[str]) -> str:
    """Sorted ids, one per line: the file's SHA-256 is the digest published before the draw."""
    return "".join(f"{i}\n" for i in sorted(ids))


async def candidate_index(code: str) -> dict[str, Any]:
    draw = await _published_draw(code, "候选名单")
    summaries = {s["name"]: s for s in draw.prepared.get("strata", [])}
    return {
        "campaign": code,
        "record_hash": draw.record_hash,
        "strata": [
            {
                "name": name,
                "eligible": len(ids),
                "digest": summaries.get(name, {}).get("digest"),
            }
            for name, ids in sorted(frozen_strata(await frozen_candidates(draw.id)).items())
        ],
        "pool": draw.prepared.get("pool", {}),
    }


async def candidate_list(code: str, stratum: str) -> str:
    draw = await _published_draw(code, "候选名单")
    ids = frozen_strata(await frozen_candidates(draw.id)).get(stratum)
    if ids is None:
        raise NotFound(f"抽查计划 {code} 没有名为「{stratum}」的分层 (no such stratum)")
    return candidate_text(ids)
