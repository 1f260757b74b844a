"""`campaign create|edit|delete|list|show`: plans (抽查计划) from the command line."""

from __future__ import annotations

import argparse
import datetime as dt

from cli.commands.db import connected
from cli.deadline_text import deadline_text
from domain.calendar.deadlines import results_deadline
from domain.calendar.imported import load_calendar
from domain.campaigns.lookup import all_campaigns, campaign_task_ids
from domain.campaigns.plan import (
    CampaignSpec,
    create_campaign,
    delete_campaign,
    edit_campaign,
    get_campaign,
    parse_ratios,
)
from domain.config import Settings
from domain.rules.access import SYSTEM
from domain.storage.models import CampaignStatus


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD, 实为 {text!r}") from None


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace("，", ",").split(",") if c.strip()]


async def run_create(args: argparse.Namespace, settings: Settings) -> int:
    spec = CampaignSpec(
        code=args.code,
        name=args.name,
        department=args.department,
        items=_codes(args.items),
        start_date=args.start,
        due_date=args.due,
        regions=_codes(args.regions or ""),
        categories=_codes(args.categories or ""),
        risk_classes=_codes(args.risk_classes or ""),
        ratios=parse_ratios(args.ratios) if args.ratios else {},
        team_size=args.team_size,
        experts_per_team=args.experts,
        avoid_own_jurisdiction=not args.allow_own_jurisdiction,
        avoid_previous_team=not args.allow_previous_team,
        beyond_frequency=args.beyond_frequency or "",
        ratio_reason=args.ratio_reason or "",
    )
    async with connected(settings):
        campaign = await create_campaign(SYSTEM, spec)
    print(f"已创建抽查计划 {campaign.code}「{campaign.name}」(campaign created)")
    return 0


async def run_edit(args: argparse.Namespace, settings: Settings) -> int:
    given = {
        "name": args.name,
        "items": None if args.items is None else _codes(args.items),
        "start_date": args.start,
        "due_date": args.due,
        "regions": None if args.regions is None else _codes(args.regions),
        "categories": None if args.categories is None else _codes(args.categories),
        "risk_classes": None if args.risk_classes is None else _codes(args.risk_classes),
        "team_size": args.team_size,
        "experts_per_team": args.experts,
        "avoid_own_jurisdiction": args.avoid_own_jurisdiction,
        "avoid_previous_team": args.avoid_previous_team,
        "beyond_frequency": args.beyond_frequency,
        "ratio_reason": args.ratio_reason,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    async with connected(settings):
        if args.ratios is not None:  # keys not given keep the campaign's values
            current = await get_campaign(args.code)
            changes["ratios"] = parse_ratios(args.ratios, current.ratios)
        campaign = await edit_campaign(SYSTEM, args.code, changes)
    print(f"已修改抽查计划 {campaign.code}「{campaign.name}」(campaign corrected; audit log)")
    return 0


async def run_delete(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        await delete_campaign(SYSTEM, args.code)
    print(f"已删除抽查计划 {args.code}（审计日志保留记录）(campaign deleted; audit log)")
    return 0


async def run_list(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        for c in await all_campaigns():
            print(
                f"{c.code}  {c.name}  {c.department.name}  {c.start_date}–{c.due_date}  {c.status}"
            )
    return 0


async def run_show(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        c = await get_campaign(args.code)
        tasks = len(await campaign_task_ids(c))
        calendar = await load_calendar()
    print(f"{c.code}  {c.name}\n  部门: {c.department.name}\n  状态: {c.status}")
    print(f"  事项: {', '.join(c.item_codes)}\n  区域: {', '.join(c.region_codes)}")
    print(f"  定向: 类别 {c.category_filter or '不限'}; 风险 {c.risk_filter or '不限'}")
    print(f"  期间: {c.start_date} – {c.due_date}\n  比例(%): {c.ratios}")
    if c.ratio_reason:
        print(f"  比例不同于抽查事项的理由: {c.ratio_reason}")
    if c.frequency_reason:
        print(f"  超出抽查频次的理由: {c.frequency_reason}")
    print(f"  检查组: {c.team_size} 人 + 专家 {c.experts_per_team}; 任务 {tasks} 个")
    if c.completed_on:
        due = results_deadline(calendar, c.completed_on)
        done = "（已公示）" if c.status == CampaignStatus.PUBLISHED else ""
        print(f"  完成: {c.completed_on}; 结果公示期限: {deadline_text(due)}{done}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "campaign", help="create, correct, delete, list and show campaigns (抽查计划)"
    )
    cs = p.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    c = cs.add_parser(
        "create",
        help="create a campaign",
        description="Create a campaign: its items, regions, period, ratios and team size. "
        "Ratios are percentages per credit-risk class plus the high-risk stratum.",
    )
    c.add_argument("code", help="plan number (计划编号), e.g. 2026-RF-01")
    c.add_argument("name", help="name (计划名称)")
    c.add_argument("--department", required=True, help="organising department code")
    c.add_argument("--items", required=True, help="item codes, comma-separated")
    c.add_argument("--start", required=True, type=_date, help="start date YYYY-MM-DD")
    c.add_argument("--due", required=True, type=_date, help="due date YYYY-MM-DD")
    c.add_argument("--regions", help="region codes in scope (default: the department)")
    c.add_argument("--categories", help="定向: only these business categories")
    c.add_argument("--risk-classes", help="定向: only these credit-risk classes, e.g. C,D")
    c.add_argument(
        "--ratios",
        help="e.g. A=1,B=2,C=10,D=30,high=50 (keys not given: these defaults); without it the "
        "items' 抽查比例 (the highest, at least, in every class)",
    )
    c.add_argument("--ratio-reason", help="why the ratios differ from the items' (required then)")
    c.add_argument("--team-size", type=int, default=2, help="officers per team (≥ 2)")
    c.add_argument("--experts", type=int, default=0, help="experts (专家) added to each team")
    c.add_argument(
        "--allow-own-jurisdiction", action="store_true", help="turn off 所所交叉 avoidance"
    )
    c.add_argument(
        "--allow-previous-team",
        action="store_true",
        help="allow the previous inspection's team again",
    )
    c.add_argument(
        "--beyond-frequency",
        metavar="REASON",
        help="why the campaign uses an item more often this year than its 抽查频次 allows",
    )
    c.set_defaults(run=run_create)
    e = cs.add_parser(
        "edit",
        help="correct a campaign before its draw",
        description="Correct a campaign while nothing is drawn (planned, or its prepared draw "
        "abandoned); only the options given change. Each edit goes to the audit log.",
    )
    e.add_argument("code")
    e.add_argument("--name", help="name (计划名称)")
    e.add_argument("--items", help="item codes, comma-separated")
    e.add_argument("--start", type=_date, help="start date YYYY-MM-DD")
    e.add_argument("--due", type=_date, help="due date YYYY-MM-DD")
    e.add_argument("--regions", help="region codes in scope (empty: the department)")
    e.add_argument("--categories", help="定向: only these business categories (empty: any)")
    e.add_argument("--risk-classes", help="定向: only these credit-risk classes (empty: any)")
    e.add_argument("--ratios", help="e.g. C=20,high=60 (keys not given are kept)")
    e.add_argument("--ratio-reason", help="why the ratios differ from the items'")
    e.add_argument("--team-size", type=int, help="officers per team (≥ 2)")
    e.add_argument("--experts", type=int, help="experts (专家) added to each team")
    e.add_argument(
        "--beyond-frequency",
        metavar="REASON",
        help="why the campaign uses an item more often this year than its 抽查频次 allows",
    )
    for rule, what in (
        ("own-jurisdiction", "所所交叉 avoidance"),
        ("previous-team", "avoiding the previous inspection's team"),
    ):
        dest = "avoid_" + rule.replace("-", "_")
        turn = e.add_mutually_exclusive_group()
        turn.add_argument(f"--avoid-{rule}", dest=dest, action="store_const", const=True,
                          help=f"turn on {what}")  # fmt: skip
        turn.add_argument(f"--allow-{rule}", dest=dest, action="store_const", const=False,
                          help=f"turn off {what}")  # fmt: skip
    e.set_defaults(run=run_edit)
    d = cs.add_parser(
        "delete",
        help="delete a campaign before its draw",
        description="Delete a campaign while nothing is drawn; its abandoned draws go with it "
        "and into the audit log entry, which is kept.",
    )
    d.add_argument("code")
    d.set_defaults(run=run_delete)
    ls = cs.add_parser("list", help="list campaigns")
    ls.set_defaults(run=run_list)
    sh = cs.add_parser("show", help="show one campaign")
    sh.add_argument("code")
    sh.set_defaults(run=run_show)
