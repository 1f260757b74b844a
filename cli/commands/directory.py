"""`import`, `export`, `list`: the inspection list and the two directories."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.commands.db import connected
from cli.progress import ProgressBar
from domain.config import Settings
from domain.directory import KINDS, export_file, import_file
from domain.directory.listing import LISTERS

KIND_HELP = "departments, items, targets, inspectors or conflicts"


async def run_import(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        result = await import_file(args.kind, Path(args.file), ProgressBar(f"导入 {args.kind}"))
    if result.ignored_columns:
        print(f"忽略未知的列 (ignored columns): {', '.join(result.ignored_columns)}")
    print(
        f"导入完成 (imported) {args.kind}: 新增 {result.created}, 更新 {result.updated}, "
        f"未变 {result.unchanged} (created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged})"
    )
    return 0


async def run_export(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        count = await export_file(args.kind, Path(args.file), english=args.english)
    print(f"导出 {count} 行到 {args.file} (exported {count} rows)")
    return 0


async def run_list(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        lines = await LISTERS[args.kind](args.limit)
    for line in lines:
        print(line)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    kinds = list(KINDS)
    p = sub.add_parser(
        "import",
        help="import the list or a directory from CSV or XLSX (all or nothing)",
        description="Import a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file. Headers may be "
        "Chinese or English (see README). One bad row and nothing is written: the error lists "
        "every bad row. Rows whose key already exists are updated.",
    )
    p.add_argument("kind", choices=kinds, help=KIND_HELP)
    p.add_argument("file", help="the .csv or .xlsx file")
    p.set_defaults(run=run_import)

    p = sub.add_parser(
        "export",
        help="export the list or a directory to CSV or XLSX",
        description="Write every record of KIND to FILE (.csv or .xlsx, by its extension) in the "
        "import format, so that the file can be edited and imported again.",
    )
    p.add_argument("kind", choices=kinds, help=KIND_HELP)
    p.add_argument("file", help="the .csv or .xlsx file to write")
    p.add_argument("--english", action="store_true", help="English column headers")
    p.set_defaults(run=run_export)

    p = sub.add_parser(
        "list",
        help="show the list or a directory on the terminal",
        description="Print one line per record of KIND.",
    )
    p.add_argument("kind", choices=kinds, help=KIND_HELP)
    p.add_argument("--limit", type=int, default=50, help="at most this many lines (0: all)")
    p.set_defaults(run=run_list)
