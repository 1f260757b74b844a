"""Coordinator work from the command line: coordinators, tasks, review, publication, penalties."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from pathlib import Path

from cli.commands.db import connected
from cli.deadline_text import deadline_text
from cli.ids import record_id
from domain.calendar.deadlines import penalty_deadline
from domain.calendar.imported import load_calendar
from domain.campaigns.plan import get_campaign
from domain.config import Settings
from domain.errors import NotFound, UserError
from domain.notice.service import task_notice_pdf
from domain.people import persons as people
from domain.rules.access import Actor
from domain.rules.lifecycle import TaskState
from domain.tasks import closing, reporting, visit
from domain.tasks.views import campaign_tasks, task_id_of


async def coordinator_actor(coordinator_id: int | None) -> Actor:
    if coordinator_id is None:
        raise UserError("请用 --as 指定协调员编号 (who is acting: --as COORDINATOR_ID)")
    actor = await people.coordinator_actor(coordinator_id)
    if actor is None:
        raise NotFound(f"没有编号为 {coordinator_id} 的在岗协调员 (no such coordinator)")
    return actor


async def run_coordinator_add(args, settings: Settings) -> int:
    async with connected(settings):
        person = await people.add_coordinator(args.name, args.department)
    print(f"协调员 {person.name} 编号 {person.id} ({person.department.name})")
    return 0


async def run_coordinator_list(args, settings: Settings) -> int:
    async with connected(settings):
        for c in await people.list_coordinators():
            bound = "已绑定Telegram" if c.telegram_user_id else "未绑定"
            print(f"{c.id}  {c.name}  {c.department.name}  {bound}{'' if c.active else '  停用'}")
    return 0


async def run_task_list(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        campaign = await get_campaign(args.campaign)
        views = await campaign_tasks(actor, campaign, purpose="task.list")
    for view in views:
        t = view.task
        print(f"{t.number}  {TaskState(t.state).label_zh}  {t.target.credit_code}  {t.target.name}")
    return 0


async def run_review(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        state = await reporting.review(
            actor, await task_id_of(args.task), args.decision, args.comments
        )
    print(f"{args.task}: {TaskState(state).label_zh}")
    return 0


async def run_cancel(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await visit.cancel(actor, await task_id_of(args.task), args.reason)
    print(f"{args.task}: 已撤销 (cancelled)")
    return 0


async def run_notice(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        name, pdf = await task_notice_pdf(actor, await task_id_of(args.task), settings.font_path)
    out = Path(args.output or name)
    await asyncio.to_thread(out.write_bytes, pdf)
    print(f"已生成《行政检查通知书》: {out}")
    return 0


async def run_publish(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        count = await closing.publish_campaign(actor, args.campaign)
    print(f"抽查计划 {args.campaign} 已公示，{count} 项结果 (published)")
    return 0


async def run_penalty(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        penalty = await closing.record_penalty(
            actor, await task_id_of(args.task), args.decision_no, args.decided_on, args.content,
            dishonest=args.dishonest,
        )  # fmt: skip
        due = penalty_deadline(await load_calendar(), penalty.decided_on)
    print(
        f"已登记行政处罚 {penalty.decision_no}：须在决定之日起 7 个工作日内公示，"
        f"期限 {deadline_text(due)}"
    )
    return 0


async def run_penalty_publish(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await closing.publish_penalty(actor, args.id)
    print(f"行政处罚 {args.id} 已公示 (published)")
    return 0


async def run_followup_close(args, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await closing.close_followup(actor, args.id, args.result)
    print(f"后续处置 {args.id} 已关闭 (closed)")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD, 实为 {text!r}") from None


def _acting(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="as_", type=record_id, help="the acting coordinator's id")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("coordinator", help="add or list coordinators (协调员)")
    cs = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = cs.add_parser("add", help="add a coordinator of a department")
    a.add_argument("name")
    a.add_argument("--department", required=True, help="department code")
    a.set_defaults(run=run_coordinator_add)
    cs.add_parser("list", help="list coordinators").set_defaults(run=run_coordinator_list)

    p = sub.add_parser("task", help="tasks of a campaign: list, review, cancel, notice")
    ts = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    t = ts.add_parser("list", help="the tasks of a campaign and their states")
    t.add_argument("campaign")
    _acting(t)
    t.set_defaults(run=run_task_list)
    t = ts.add_parser("review", help="approve, return or reject a submitted report")
    t.add_argument("task", help="task number")
    t.add_argument("decision", choices=["approve", "return", "reject"])
    t.add_argument("--comments", default="", help="required to return or reject")
    _acting(t)
    t.set_defaults(run=run_review)
    t = ts.add_parser("cancel", help="cancel a task, with a reason")
    t.add_argument("task")
    t.add_argument("--reason", required=True)
    _acting(t)
    t.set_defaults(run=run_cancel)
    t = ts.add_parser("notice", help="write the task's 行政检查通知书 (PDF)")
    t.add_argument("task")
    t.add_argument("-o", "--output", help="file to write (default: a name with the task number)")
    _acting(t)
    t.set_defaults(run=run_notice)

    p = sub.add_parser("publish", help="publish a completed campaign's results (公示)")
    p.add_argument("campaign")
    _acting(p)
    p.set_defaults(run=run_publish)

    p = sub.add_parser("penalty", help="record or publish an administrative penalty (行政处罚)")
    ps = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    pub = ps.add_parser("publish", help="publish a penalty decided after the results went public")
    pub.add_argument("id", type=record_id)
    _acting(pub)
    pub.set_defaults(run=run_penalty_publish)
    p = ps.add_parser("add", help="record a penalty decision of a task")
    p.add_argument("task")
    p.add_argument("--decision-no", required=True)
    p.add_argument("--decided-on", required=True, type=_date)
    p.add_argument("--content", required=True)
    p.add_argument("--dishonest", action="store_true", help="report to the credit platform (失信)")
    _acting(p)
    p.set_defaults(run=run_penalty)

    p = sub.add_parser("followup", help="close a follow-up after its re-check (复查)")
    fs = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    f = fs.add_parser("close", help="close with the re-check's result")
    f.add_argument("id", type=record_id)
    f.add_argument("--result", required=True)
    _acting(f)
    f.set_defaults(run=run_followup_close)
