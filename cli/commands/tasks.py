"""Coordinator work from the command line: coordinators, tasks, review, publication, penalties."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.ids import record_id
from cli.table import print_json, print_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    import datetime as dt

    from domain.config import Settings
    from domain.rules.access import Actor


async def coordinator_actor(coordinator_id: int | None) -> Actor:
    from domain.errors import NotFound, UserError
    from domain.people import persons as people

    if coordinator_id is None:
        raise UserError("请用 --as 指定协调员编号 (who is acting: --as COORDINATOR_ID)")
    actor = await people.coordinator_actor(coordinator_id)
    if actor is None:
        raise NotFound(f"没有编号为 {coordinator_id} 的在岗协调员 (no such coordinator)")
    return actor


async def run_coordinator_add(args, settings: Settings) -> int:
    from domain.people import persons as people

    async with connected(settings):
        person = await people.add_coordinator(args.name, args.department)
    print(f"协调员 {person.name} 编号 {person.id} ({person.department.name})")
    return 0


async def run_coordinator_list(args, settings: Settings) -> int:
    from domain.people import persons as people

    async with connected(settings):
        coordinators = await people.list_coordinators()
    if args.json:
        print_json(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "department": c.department.code,
                    "telegram_bound": bool(c.telegram_user_id),
                    "active": c.active,
                }
                for c in coordinators
            ]
        )
        return 0
    rows = [
        [
            str(c.id),
            c.name,
            c.department.name,
            "已绑定 (bound)" if c.telegram_user_id else "未绑定 (not bound)",
            "在岗 (active)" if c.active else "停用 (inactive)",
        ]
        for c in coordinators
    ]
    header = ["编号 (id)", "姓名 (name)", "部门 (department)", "Telegram", "状态 (state)"]
    print_table(header, rows, "没有协调员 (no coordinators)")
    return 0


async def run_task_list(args, settings: Settings) -> int:
    from domain.campaigns.plan import get_campaign
    from domain.tasks.views import campaign_tasks

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        campaign = await get_campaign(args.campaign)
        views = await campaign_tasks(actor, campaign, purpose="task.list")
    tasks = [view.task for view in views]
    if args.json:
        print_json(
            [
                {
                    "number": t.number,
                    "state": t.state,
                    "credit_code": t.target.credit_code,
                    "target": t.target.name,
                }
                for t in tasks
            ]
        )
        return 0
    rows = [[t.number, _state(t.state), t.target.credit_code, t.target.name] for t in tasks]
    header = [
        "任务编号 (task)",
        "状态 (state)",
        "统一社会信用代码 (credit code)",
        "检查对象 (target)",
    ]
    print_table(header, rows, f"抽查计划 {args.campaign} 没有任务 (no tasks)")
    return 0


def _state(state: str) -> str:
    """A task's state in the lifecycle's words: `已抽取 (drawn)`."""
    from domain.rules.lifecycle import TaskState

    return f"{TaskState(state).label_zh} ({TaskState(state).label_en})"


async def run_review(args, settings: Settings) -> int:
    from domain.tasks import reporting
    from domain.tasks.views import task_id_of

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        state = await reporting.review(
            actor, await task_id_of(args.task), args.decision, args.comments
        )
    print(f"{args.task}: {_state(state)}")
    return 0


async def run_cancel(args, settings: Settings) -> int:
    from domain.tasks import visit
    from domain.tasks.views import task_id_of

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await visit.cancel(actor, await task_id_of(args.task), args.reason)
    print(f"{args.task}: 已撤销 (cancelled)")
    return 0


async def run_notice(args, settings: Settings) -> int:
    import asyncio
    from pathlib import Path

    from domain.notice.service import task_notice_pdf
    from domain.tasks.views import task_id_of

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        name, pdf = await task_notice_pdf(actor, await task_id_of(args.task), settings.font_path)
    out = Path(args.output or name)
    await asyncio.to_thread(out.write_bytes, pdf)
    print(f"已生成《行政检查通知书》: {out} (notice written)")
    return 0


async def run_publish(args, settings: Settings) -> int:
    from domain.tasks import closing

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        count = await closing.publish_campaign(actor, args.campaign)
    print(f"抽查计划 {args.campaign} 已公示，{count} 项结果 (published: {count} results)")
    return 0


async def run_penalty(args, settings: Settings) -> int:
    from cli.deadline_text import deadline_text
    from domain.calendar.deadlines import penalty_deadline
    from domain.calendar.imported import load_calendar
    from domain.tasks import closing
    from domain.tasks.views import task_id_of

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        penalty = await closing.record_penalty(
            actor,
            await task_id_of(args.task),
            args.decision_no,
            args.decided_on,
            args.content,
            dishonest=args.dishonest,
        )
        due = penalty_deadline(await load_calendar(), penalty.decided_on)
    print(
        f"已登记行政处罚 {penalty.decision_no}：须在决定之日起 7 个工作日内公示，"
        f"期限 {deadline_text(due)}"
    )
    return 0


async def run_penalty_publish(args, settings: Settings) -> int:
    from domain.tasks import closing

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await closing.publish_penalty(actor, args.id)
    print(f"行政处罚 {args.id} 已公示 (published)")
    return 0


async def run_followup_close(args, settings: Settings) -> int:
    from domain.tasks import closing

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await closing.close_followup(actor, args.id, args.result)
    print(f"后续处置 {args.id} 已关闭 (closed)")
    return 0


def date_arg(text: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD, 实为 {text!r}") from None


def acting(p: argparse.ArgumentParser, operator: bool = False) -> None:
    """`--as ID`: the coordinator acting, recorded in the audit log."""
    zh, en = ("，默认为操作员", "; default: the operator") if operator else ("", "")
    p.add_argument(
        "--as",
        dest="as_",
        type=record_id,
        metavar="ID",
        help=f"以该编号的协调员身份操作{zh} (act as this coordinator{en})",
    )


def with_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="输出 JSON，供程序读取 (JSON for programs)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("coordinator", help="添加或列出协调员 (add or list coordinators)")
    cs = p.add_subparsers(dest="action", metavar="ACTION", required=True, title="操作 (actions)")
    a = cs.add_parser("add", help="添加一个部门的协调员 (add a coordinator of a department)")
    a.add_argument("name", metavar="NAME", help="姓名 (name)")
    a.add_argument("--department", required=True, metavar="CODE", help="部门编码 (department code)")
    a.set_defaults(run=run_coordinator_add)
    ls = cs.add_parser("list", help="列出协调员 (list coordinators)")
    with_json(ls)
    ls.set_defaults(run=run_coordinator_list)

    p = sub.add_parser(
        "task",
        help="抽查计划的任务：列出、审核、撤销、通知书 (tasks: list, review, cancel, notice)",
    )
    ts = p.add_subparsers(dest="action", metavar="ACTION", required=True, title="操作 (actions)")
    t = ts.add_parser("list", help="抽查计划的任务及其状态 (the tasks of a campaign, their states)")
    t.add_argument("campaign", metavar="CAMPAIGN", help="计划编号 (plan number)")
    with_json(t)
    acting(t)
    t.set_defaults(run=run_task_list)
    t = ts.add_parser(
        "review", help="通过、退回或驳回已提交的报告 (approve, return or reject a submitted report)"
    )
    t.add_argument("task", metavar="TASK", help="任务编号 (task number)")
    t.add_argument(
        "decision",
        choices=["approve", "return", "reject"],
        metavar="DECISION",
        help="approve 通过、return 退回修改 或 reject 驳回",
    )
    t.add_argument(
        "--comments",
        default="",
        metavar="TEXT",
        help="退回或驳回时必填 (required to return or reject)",
    )
    acting(t)
    t.set_defaults(run=run_review)
    t = ts.add_parser("cancel", help="撤销任务并说明理由 (cancel a task, with a reason)")
    t.add_argument("task", metavar="TASK", help="任务编号 (task number)")
    t.add_argument("--reason", required=True, metavar="TEXT", help="理由 (why; recorded)")
    acting(t)
    t.set_defaults(run=run_cancel)
    t = ts.add_parser("notice", help="生成任务的《行政检查通知书》PDF (write the task's notice)")
    t.add_argument("task", metavar="TASK", help="任务编号 (task number)")
    t.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="写入的文件，默认按任务编号命名 (file to write; default: named after the task)",
    )
    acting(t)
    t.set_defaults(run=run_notice)

    p = sub.add_parser(
        "publish", help="公示已完成的抽查计划的结果 (publish a completed campaign's results)"
    )
    p.add_argument("campaign", metavar="CAMPAIGN", help="计划编号 (plan number)")
    acting(p)
    p.set_defaults(run=run_publish)

    p = sub.add_parser(
        "penalty", help="登记或公示行政处罚 (record or publish an administrative penalty)"
    )
    ps = p.add_subparsers(dest="action", metavar="ACTION", required=True, title="操作 (actions)")
    pub = ps.add_parser(
        "publish",
        help="公示结果公示之后作出的处罚 (publish a penalty decided after the results went public)",
    )
    pub.add_argument("id", type=record_id, metavar="ID", help="处罚编号 (the penalty's number)")
    acting(pub)
    pub.set_defaults(run=run_penalty_publish)
    p = ps.add_parser("add", help="登记任务的行政处罚决定 (record a penalty decision of a task)")
    p.add_argument("task", metavar="TASK", help="任务编号 (task number)")
    p.add_argument(
        "--decision-no", required=True, metavar="NO", help="决定书文号 (decision number)"
    )
    p.add_argument(
        "--decided-on",
        required=True,
        type=date_arg,
        metavar="DATE",
        help="决定日期 YYYY-MM-DD (date of the decision)",
    )
    p.add_argument("--content", required=True, metavar="TEXT", help="处罚内容 (the penalty)")
    p.add_argument(
        "--dishonest",
        action="store_true",
        help="报送信用平台（失信） (report to the credit platform)",
    )
    acting(p)
    p.set_defaults(run=run_penalty)

    p = sub.add_parser("followup", help="复查后关闭后续处置 (close a follow-up after its re-check)")
    fs = p.add_subparsers(dest="action", metavar="ACTION", required=True, title="操作 (actions)")
    f = fs.add_parser("close", help="填写复查结果并关闭 (close with the re-check's result)")
    f.add_argument("id", type=record_id, metavar="ID", help="后续处置编号 (the follow-up's number)")
    f.add_argument(
        "--result", required=True, metavar="TEXT", help="复查结果 (the re-check's result)"
    )
    acting(f)
    f.set_defaults(run=run_followup_close)
