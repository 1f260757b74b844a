"""`demo`: load the demo data set (示范市人防办) into an empty database."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from demo import DEFAULT_SEED, Counts, build_demo, database_counts, load_demo
from demo.story import IN_PROGRESS, PUBLISHED, play
from domain import clock
from domain.config import Settings
from domain.errors import UserError


def _describe(counts: Counts) -> str:
    return (
        f"部门 {counts.departments}，抽查事项 {counts.items}，抽查对象 {counts.targets}，"
        f"执法检查人员 {counts.inspectors}，回避关系 {counts.conflicts}"
    )


async def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        existing = await database_counts()
        if not existing.empty:
            if args.if_empty:
                print(f"数据库已有数据（{_describe(existing)}），未加载演示数据。")
                return 0
            raise UserError(
                f"数据库已有数据（{_describe(existing)}）：演示数据只能加载到空数据库。"
                "请加 --if-empty（有数据时跳过），或用 SSJ_DB_URL 指向一个空数据库。"
            )
        data = build_demo(args.seed)
        loaded = await load_demo(data)
        story = None if args.directories_only else await play(settings.data_dir)
    today = clock.today()
    experts = sum(p.is_expert for p in data.inspectors)
    inactive = sum(not p.active for p in data.inspectors)
    expired = sum(p.cert_valid_until < today for p in data.inspectors)
    print(f"已加载演示数据（种子 {args.seed}）：{_describe(loaded)}。")
    print(f"执法检查人员中专家 {experts} 人，停用 {inactive} 人，证件已过期 {expired} 人。")
    if story is None:
        return 0
    print(
        f"抽查计划 {PUBLISHED}：已公示，结果 {story.published_tasks} 户，撤销 "
        f"{story.cancelled_tasks} 户，现场照片 {story.photos} 张；抽查计划 {IN_PROGRESS}："
        f"进行中，{story.in_progress_tasks} 个任务。"
    )
    print(f"公开页面：shuangsuiji serve 后打开 http://{settings.http_host}:{settings.http_port}/")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="load a realistic demo data set into an empty database",
        description="Load the demo data set: 示范市人防办 (a city and three districts), its "
        "inspection list, 300+ businesses across every category and 20+ inspectors, then "
        "plays two campaigns through the real services on fixed 2026 dates: one published "
        "(drawn with dice, inspected with notes and photos, reported, approved, a task "
        "cancelled, a penalty) and one in progress. The same --seed always gives the same "
        "directories. Refuses a database that already holds data, "
        "unless --if-empty is given, which then skips loading.",
    )
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the database is empty; otherwise do nothing and exit 0",
    )
    p.add_argument(
        "--directories-only",
        action="store_true",
        help="load the list and the two directories only: no coordinator, no campaign",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"random seed of the data set (default {DEFAULT_SEED})",
    )
    p.set_defaults(run=run_demo)
