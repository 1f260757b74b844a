"""`publication plan|tasks|results`, `credit-export` and `bundle`: what leaves the office."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from cli.commands.db import connected
from domain.config import Settings
from domain.evidence.service import photo_store
from domain.publication import html as publication_html
from domain.publication import notices as publication
from domain.publication.credit_export import export_credit
from domain.rules.access import SYSTEM
from domain.tasks.bundle import build_bundle
from domain.tasks.views import task_id_of

NOTICES = {
    "plan": (publication.plan_notice, publication_html.render_plan),
    "tasks": (publication.task_notice, publication_html.render_tasks),
    "results": (publication.results_notice, publication_html.render_results),
}


async def run_notice(args: argparse.Namespace, settings: Settings) -> int:
    build, render = NOTICES[args.notice]
    async with connected(settings):
        data = await build(args.campaign)
    if args.html:
        await asyncio.to_thread(Path(args.html).write_text, render(data), encoding="utf-8")
        print(f"已写入 {args.html}")
    else:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


async def run_credit_export(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        count = await export_credit(SYSTEM, args.campaign, Path(args.file))
    print(f"已导出 {count} 条失信记录到 {args.file} ({count} records)")
    return 0


async def run_bundle(args: argparse.Namespace, settings: Settings) -> int:
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
        help="print or render the public notices of a campaign",
        description="The three public notices exactly as the public sees them: the plan (any "
        "campaign), the task notice (once drawn) and the results (published campaigns only). "
        "JSON on standard output, or a Chinese HTML page with --html.",
    )
    p.add_argument("notice", choices=list(NOTICES), help="plan, tasks or results")
    p.add_argument("campaign", help="plan number (计划编号)")
    p.add_argument("--html", metavar="FILE", help="write an HTML page to FILE instead")
    p.set_defaults(run=run_notice)

    c = sub.add_parser(
        "credit-export",
        help="export a published campaign's dishonesty records (失信) for the credit platform",
        description="Write the dishonesty records of a published campaign as CSV (UTF-8 with "
        "BOM) or JSON, chosen by the file's extension. Schema: docs/credit-export.md.",
    )
    c.add_argument("campaign", help="plan number (计划编号)")
    c.add_argument("file", help="FILE.csv or FILE.json")
    c.set_defaults(run=run_credit_export)

    b = sub.add_parser(
        "bundle",
        help="write a task's case bundle (zip with report, evidence, notice, audit, manifest)",
        description="Write a zip with the report, notes, original photos, the inspection "
        "notice, the task's audit entries and MANIFEST.sha256 (check with sha256sum -c).",
    )
    b.add_argument("task", help="task number (任务编号), e.g. 2026-RF-01-0001")
    b.add_argument("-o", "--output", metavar="FILE.zip", help="default: bundle-TASK.zip")
    b.set_defaults(run=run_bundle)
