"""`demo`: load the demo data set (示范市人防办) into an empty database."""

from __future__ import annotations

import argparse

from cli.commands.db import connected

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from demo import Counts
    from domain.config import Settings


def _describe(counts: Counts) -> str:
    return (
        f"部门 {counts.departments}，抽查事项 {counts.items}，抽查对象 {counts.targets}，"
        f"执法检查人员 {counts.inspectors}，回避关系 {counts.conflicts}"
    )


async def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    from demo import DEFAULT_SEED, build_demo, database_counts, load_demo
    from demo.story import IN_PROGRESS, PUBLISHED, play
    from domain import clock
    from domain.errors import UserError

    seed = DEFAULT_SEED if args.seed is None else args.seed
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
        data = build_demo(seed)
        loaded = await load_demo(data)
        story = None if args.directories_only else await play(settings.data_dir)
    today = clock.today()
    experts = sum(p.is_expert for p in data.inspectors)
    inactive = sum(not p.active for p in data.inspectors)
    expired = sum(p.cert_valid_until < today for p in data.inspectors)
    print(f"已加载演示数据（种子 {seed}）：{_describe(loaded)}。")
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
        help="向空数据库加载一套逼真的演示数据 (load a realistic demo data set into an empty "
        "database)",
        description="加载演示数据：示范市人防办（一市三区）、抽查事项清单、各行业类别的 300 多家"
        "单位和 20 多名执法检查人员，再按固定的 2026 年日期通过真实的服务走完两个抽查计划："
        "一个已公示（掷骰抽取、带备注和照片的检查、报告、审核通过、撤销一个任务、一项处罚），"
        "一个进行中。同一 "
        "--seed 总是得到相同的名录。数据库已有数据时拒绝，除非给出 --if-empty，此时跳过加载。\n"
        "(Load the demo data set: 示范市人防办, a city and three districts, its inspection "
        "list, 300+ businesses across every category and 20+ inspectors, then play two "
        "campaigns through the real services on fixed 2026 dates: one published, one in "
        "progress. The same --seed always gives the same directories. Refuses a database that "
        "already holds data, unless --if-empty is given, which then skips loading.)",
    )
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="仅在数据库为空时加载，否则什么也不做并以 0 退出 (load only when the database is "
        "empty; otherwise do nothing and exit 0)",
    )
    p.add_argument(
        "--directories-only",
        action="store_true",
        help="只加载清单和两个名录：没有协调员，没有抽查计划 (the list and the two directories "
        "only: no coordinator, no campaign)",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="演示数据的随机种子，默认为固定的演示种子 (random seed of the data set; default: "
        "the demo's own, the same every time)",
    )
    p.set_defaults(run=run_demo)
