"""`campaign create|edit|delete|list|show`: plans (抽查计划) from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from cli.commands.db import connected
from cli.commands.tasks import date_arg, with_json
from cli.table import print_json, print_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.config import Settings

# The order the plan states them in: the four credit-risk classes, then the high-risk stratum.
RATIO_KEYS = {"A": "A", "B": "B", "C": "C", "D": "D", "high": "重点 high"}


def ratio_text(ratios: Mapping[str, str]) -> str:
    """`A 1% · B 3% · C 10% · D 30% · 重点 high 50%`."""
    keys = [k for k in RATIO_KEYS if k in ratios] + [k for k in ratios if k not in RATIO_KEYS]
    return " · ".join(f"{RATIO_KEYS.get(k, k)} {ratios[k]}%" for k in keys)


def status_text(status: str) -> str:
    """A campaign's state in the words of its public notice, English beside it."""
    from domain.rules.campaign_states import campaign_state_en, campaign_state_zh

    return f"{campaign_state_zh(status)} ({campaign_state_en(status)})"


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace("，", ",").split(",") if c.strip()]


async def run_create(args: argparse.Namespace, settings: Settings) -> int:
    from domain.campaigns.plan import CampaignSpec, create_campaign, parse_ratios
    from domain.rules.access import SYSTEM

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
    from domain.campaigns.plan import edit_campaign, get_campaign, parse_ratios
    from domain.rules.access import SYSTEM

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
    from domain.campaigns.plan import delete_campaign
    from domain.rules.access import SYSTEM

    async with connected(settings):
        await delete_campaign(SYSTEM, args.code)
    print(f"已删除抽查计划 {args.code}（审计日志保留记录）(campaign deleted; audit log)")
    return 0


async def run_list(args: argparse.Namespace, settings: Settings) -> int:
    from domain.campaigns.lookup import all_campaigns

    async with connected(settings):
        campaigns = await all_campaigns()
    if args.json:
        print_json(
            [
                {
                    "code": c.code,
                    "name": c.name,
                    "department": c.department.code,
                    "start_date": c.start_date,
                    "due_date": c.due_date,
                    "status": c.status,
                }
                for c in campaigns
            ]
        )
        return 0
    rows = [
        [c.code, c.name, c.department.name, f"{c.start_date} – {c.due_date}", status_text(c.status)]
        for c in campaigns
    ]
    header = [
        "计划编号 (plan)",
        "名称 (name)",
        "部门 (department)",
        "期间 (period)",
        "状态 (state)",
    ]
    print_table(header, rows, "还没有抽查计划 (no campaigns)")
    return 0


async def run_show(args: argparse.Namespace, settings: Settings) -> int:
    from cli.deadline_text import deadline_text
    from domain.calendar.deadlines import results_deadline
    from domain.calendar.imported import load_calendar
    from domain.campaigns.lookup import campaign_task_ids
    from domain.campaigns.plan import get_campaign
    from domain.storage.models import CampaignStatus

    async with connected(settings):
        c = await get_campaign(args.code)
        tasks = len(await campaign_task_ids(c))
        calendar = await load_calendar()
    due = results_deadline(calendar, c.completed_on) if c.completed_on else None
    if args.json:
        print_json(
            {
                "code": c.code,
                "name": c.name,
                "department": c.department.code,
                "status": c.status,
                "items": c.item_codes,
                "regions": c.region_codes,
                "categories": c.category_filter,
                "risk_classes": c.risk_filter,
                "start_date": c.start_date,
                "due_date": c.due_date,
                "ratios": c.ratios,
                "ratio_reason": c.ratio_reason,
                "frequency_reason": c.frequency_reason,
                "team_size": c.team_size,
                "experts_per_team": c.experts_per_team,
                "tasks": tasks,
                "completed_on": c.completed_on,
                "results_due": due and due.due,
                "results_due_provisional": bool(due and due.provisional),
            }
        )
        return 0
    print(f"{c.code}  {c.name}\n  部门: {c.department.name}\n  状态: {status_text(c.status)}")
    print(f"  事项: {', '.join(c.item_codes)}\n  区域: {', '.join(c.region_codes)}")
    print(f"  定向: 类别 {_any(c.category_filter)}; 风险 {_any(c.risk_filter)}")
    print(f"  期间: {c.start_date} – {c.due_date}\n  比例: {ratio_text(c.ratios)}")
    if c.ratio_reason:
        print(f"  比例不同于抽查事项的理由: {c.ratio_reason}")
    if c.frequency_reason:
        print(f"  超出抽查频次的理由: {c.frequency_reason}")
    print(f"  检查组: {c.team_size} 人 + 专家 {c.experts_per_team}; 任务 {tasks} 个")
    if due is not None:
        done = "（已公示）" if c.status == CampaignStatus.PUBLISHED else ""
        print(f"  完成: {c.completed_on}; 结果公示期限: {deadline_text(due)}{done}")
    return 0


def _any(values: list[str]) -> str:
    return ", ".join(values) if values else "不限 (any)"


def _plan_options(p: argparse.ArgumentParser, editing: bool) -> None:
    """The options `create` and `edit` share; on `edit`, an option not given keeps its value."""
    empty = "，空值为不限 (empty: any)" if editing else ""
    p.add_argument(
        "--items",
        required=not editing,
        metavar="CODES",
        help="抽查事项编码，逗号分隔 (item codes, comma-separated)",
    )
    p.add_argument(
        "--start",
        required=not editing,
        type=date_arg,
        metavar="DATE",
        help="开始日期 YYYY-MM-DD (start date)",
    )
    p.add_argument(
        "--due",
        required=not editing,
        type=date_arg,
        metavar="DATE",
        help="截止日期 YYYY-MM-DD (due date)",
    )
    p.add_argument(
        "--regions",
        metavar="CODES",
        help="抽查区域编码，默认为组织部门的辖区 (region codes; default: the department's)",
    )
    p.add_argument(
        "--categories",
        metavar="CODES",
        help=f"定向：只抽这些行业类别{empty} (only these business categories)",
    )
    p.add_argument(
        "--risk-classes",
        metavar="CLASSES",
        help=f"定向：只抽这些信用风险等级，如 C,D{empty} (only these credit-risk classes)",
    )
    p.add_argument(
        "--ratio-reason",
        metavar="TEXT",
        help="比例不同于抽查事项的理由，此时必填 (why the ratios differ from the "
        "items'; required then)",
    )
    p.add_argument(
        "--experts",
        type=int,
        default=None if editing else 0,
        metavar="N",
        help="每组增加的专家人数 (experts added to each team)",
    )
    p.add_argument(
        "--beyond-frequency",
        metavar="REASON",
        help="本年度使用某事项的次数超过其抽查频次的理由 (why the campaign uses an "
        "item more often this year than its 抽查频次 allows)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "campaign",
        help="新建、更正、删除、列出、查看抽查计划 "
        "(create, correct, delete, list and show campaigns)",
    )
    cs = p.add_subparsers(
        dest="campaign_command", metavar="ACTION", required=True, title="操作 (actions)"
    )
    c = cs.add_parser(
        "create",
        help="新建抽查计划 (create a campaign)",
        description="新建抽查计划：抽查事项、区域、期间、比例和检查组人数。比例为各信用风险等级及"
        "重点对象的抽取百分比。(Create a campaign: its items, regions, period, ratios and team "
        "size. Ratios are percentages per credit-risk class plus the high-risk stratum.)",
    )
    c.add_argument("code", metavar="CODE", help="计划编号，如 2026-RF-01 (plan number)")
    c.add_argument("name", metavar="NAME", help="计划名称 (name)")
    c.add_argument(
        "--department", required=True, metavar="CODE", help="组织部门编码 (organising department)"
    )
    _plan_options(c, editing=False)
    c.add_argument(
        "--ratios",
        metavar="RATIOS",
        help="如 A=1,B=2,C=10,D=30,high=50（未给出的等级取这些默认值）；不给出时按抽查事项的"
        "抽查比例（各等级至少为其中最高者）(percent per class; without it, the items' ratios)",
    )
    c.add_argument(
        "--team-size",
        type=int,
        default=2,
        metavar="N",
        help="每组执法人员人数，至少 2 (officers per team, at least 2)",
    )
    c.add_argument(
        "--allow-own-jurisdiction",
        action="store_true",
        help="不实行所所交叉回避 (turn off 所所交叉 avoidance)",
    )
    c.add_argument(
        "--allow-previous-team",
        action="store_true",
        help="允许再派上次检查的检查组 (allow the previous inspection's team again)",
    )
    c.set_defaults(run=run_create)

    e = cs.add_parser(
        "edit",
        help="抽取前更正抽查计划 (correct a campaign before its draw)",
        description="尚未抽取时（计划中，或已准备的抽取已作废）更正抽查计划，只改所给的选项；"
        "每次更正记入审计日志。(Correct a campaign while nothing is drawn; only the options "
        "given change. Each edit goes to the audit log.)",
    )
    e.add_argument("code", metavar="CODE", help="计划编号 (plan number)")
    e.add_argument("--name", metavar="NAME", help="计划名称 (name)")
    _plan_options(e, editing=True)
    e.add_argument(
        "--ratios",
        metavar="RATIOS",
        help="如 C=20,high=60，未给出的保持不变 (keys not given are kept)",
    )
    e.add_argument(
        "--team-size",
        type=int,
        metavar="N",
        help="每组执法人员人数，至少 2 (officers per team, at least 2)",
    )
    for rule, zh, en in (
        ("own-jurisdiction", "所所交叉回避", "所所交叉 avoidance"),
        ("previous-team", "回避上次检查的检查组", "avoiding the previous inspection's team"),
    ):
        dest = "avoid_" + rule.replace("-", "_")
        turn = e.add_mutually_exclusive_group()
        turn.add_argument(
            f"--avoid-{rule}",
            dest=dest,
            action="store_const",
            const=True,
            help=f"实行{zh} (turn on {en})",
        )
        turn.add_argument(
            f"--allow-{rule}",
            dest=dest,
            action="store_const",
            const=False,
            help=f"不实行{zh} (turn off {en})",
        )
    e.set_defaults(run=run_edit)

    d = cs.add_parser(
        "delete",
        help="抽取前删除抽查计划 (delete a campaign before its draw)",
        description="尚未抽取时删除抽查计划，连同已作废的抽取；审计日志中的记录保留。(Delete a "
        "campaign while nothing is drawn; its abandoned draws go with it into the audit log "
        "entry, which is kept.)",
    )
    d.add_argument("code", metavar="CODE", help="计划编号 (plan number)")
    d.set_defaults(run=run_delete)
    ls = cs.add_parser("list", help="列出抽查计划 (list campaigns)")
    with_json(ls)
    ls.set_defaults(run=run_list)
    sh = cs.add_parser("show", help="查看一个抽查计划 (show one campaign)")
    sh.add_argument("code", metavar="CODE", help="计划编号 (plan number)")
    with_json(sh)
    sh.set_defaults(run=run_show)
