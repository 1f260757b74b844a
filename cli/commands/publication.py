"""`publication plan|tasks|results`, `credit-export` and `bundle`: what leaves the office."""

from __future__ import annotations

import argparse

from cli.commands.db import connected

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.config import Settings

NOTICES = {"plan": "抽查计划", "tasks": "抽查任务", "results": "抽查结果"}


async def run_notice(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio
    import json
    from pathlib import Path

    from domain.publication import html as publication_html
    from domain.publication import notices as publication

    build, render = {
        "plan": (publication.plan_notice, publication_html.render_plan),
        "tasks": (publication.task_notice, publication_html.render_tasks),
        "results": (publication.results_notice, publication_html.render_results),
    }[args.notice]
    async with connected(settings):
        data = await build(args.campaign)
    if args.html:
        await asyncio.to_thread(Path(args.html).write_text, render(data), encoding="utf-8")
        print(f"已写入 {args.html} (written)")
    else:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


async def run_credit_export(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from domain.publication.credit_export import export_credit
    from domain.rules.access import SYSTEM

    async with connected(settings):
        count = await export_credit(SYSTEM, args.campaign, Path(args.file))
    print(f"已导出 {count} 条失信记录到 {args.file} ({count} records)")
    return 0


async def run_bundle(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from domain.evidence.service import photo_store
    from domain.rules.access import SYSTEM
    from domain.tasks.bundle import build_bundle
    from domain.tasks.views import task_id_of

    out = Path(args.output or f"bundle-{args.task}.zip")
    async with connected(settings):
        bundle = await build_bundle(
            SYSTEM,
            await task_id_of(args.task),
            out,
            photo_store(settings.data_dir),
            settings.font_path,
        )
    print(
        f"已写入案卷 {bundle.path}（{len(bundle.files)} 个文件，"
        f"解压后可用 sha256sum -c MANIFEST.sha256 校验）"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publication",
        help="输出或生成抽查计划的公示内容 (print or render the public notices of a campaign)",
        description="三种公示内容，与公众看到的完全一致：抽查计划（任何计划）、抽查任务（抽取后）和"
        "抽查结果（仅已公示的计划）。默认向标准输出写 JSON，--html 时写中文 HTML 页面。\n(The "
        "three public notices exactly as the public sees them: the plan, the tasks (once "
        "drawn) and the results (published campaigns only). JSON on standard output, or a "
        "Chinese HTML page with --html.)",
    )
    p.add_argument(
        "notice",
        choices=list(NOTICES),
        metavar="NOTICE",
        help="、".join(f"{k} {w}" for k, w in NOTICES.items()),
    )
    p.add_argument("campaign", metavar="CAMPAIGN", help="计划编号 (plan number)")
    p.add_argument("--html", metavar="FILE", help="改为写入 HTML 页面 (write an HTML page instead)")
    p.set_defaults(run=run_notice)

    c = sub.add_parser(
        "credit-export",
        help="导出已公示计划的失信记录，报送信用平台 (export a published campaign's dishonesty "
        "records)",
        description="把已公示计划的失信记录写成 CSV（带 BOM 的 UTF-8）或 JSON，按文件扩展名选择；"
        "格式见 docs/credit-export.md。\n(Write the dishonesty records of a published campaign "
        "as CSV, UTF-8 with BOM, or JSON, chosen by the file's extension. Schema: "
        "docs/credit-export.md.)",
    )
    c.add_argument("campaign", metavar="CAMPAIGN", help="计划编号 (plan number)")
    c.add_argument("file", metavar="FILE", help="FILE.csv 或 FILE.json")
    c.set_defaults(run=run_credit_export)

    b = sub.add_parser(
        "bundle",
        help="写出任务的案卷 zip：报告、证据、通知书、审计记录、清单 (write a task's case bundle)",
        description="写出一个 zip：报告、备注、原始照片、行政检查通知书、该任务的审计记录和 "
        "MANIFEST.sha256（用 sha256sum -c 校验）。\n(A zip with the report, notes, original "
        "photos, the inspection notice, the task's audit entries and MANIFEST.sha256.)",
    )
    b.add_argument("task", metavar="TASK", help="任务编号，如 2026-RF-01-0001 (task number)")
    b.add_argument(
        "-o", "--output", metavar="FILE.zip", help="默认 bundle-TASK.zip (default: bundle-TASK.zip)"
    )
    b.set_defaults(run=run_bundle)
