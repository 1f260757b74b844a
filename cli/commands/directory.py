"""`import`, `export`, `list`: the inspection list and the two directories."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.commands.db import connected
from cli.progress import ProgressBar
from domain.config import Settings
from domain.directory import KINDS, HeaderChoices, export_file, import_file
from domain.directory.listing import LISTERS

KIND_HELP = "departments, items, targets, inspectors or conflicts"


def _rename(text: str) -> tuple[str, str]:
    header, sep, name = text.rpartition("=")
    if not sep or not header.strip() or not name.strip():
        raise argparse.ArgumentTypeError(f"应写作 旧列=字段，如 风险级别=risk_class: {text!r}")
    return header.strip(), name.strip()


def _report_path(args: argparse.Namespace) -> Path:
    if args.errors:
        return Path(args.errors)
    source = Path(args.file)
    return source.with_name(f"{source.stem}.errors.csv")


async def run_import(args: argparse.Namespace, settings: Settings) -> int:
    choices = HeaderChoices(ignore=tuple(args.ignore), rename=dict(args.map))
    async with connected(settings):
        result = await import_file(
            args.kind,
            Path(args.file),
            ProgressBar(f"导入 {args.kind}"),
            choices=choices,
            report=_report_path(args),
        )
    kind = KINDS[args.kind]
    if result.ignored_columns:
        print(f"按 --ignore 忽略的列 (ignored): {', '.join(result.ignored_columns)}")
    for header, name in result.renamed_columns.items():
        print(f"按 --map 读作字段 (read as): {header} → {name} ({kind.column(name).zh})")
    print(
        f"导入完成 (imported) {args.kind}: 新增 {result.created}, 更新 {result.updated}, "
        f"未变 {result.unchanged} (created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged})"
    )
    drawn = [c for c in kind.columns if c.draws]
    if not drawn:
        return 0
    if not result.defaults:
        names = "、".join(c.zh for c in drawn)
        print(f"影响抽取的字段 ({names}) 每行都由文件给出 (no defaults taken)")
    for column in drawn:
        if result.defaults.get(column.field):
            print(
                f"注意: {result.defaults[column.field]} 行的「{column.zh}」为空或缺列，"
                f"取默认值 {column.default or '空 (none)'}，这会影响抽取 "
                f"({result.defaults[column.field]} rows took the default {column.field})"
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
        "Chinese or English, or another name offices use (the README lists every accepted "
        "name); a column the importer does not know refuses the file unless --ignore or --map "
        "names it. One bad row and nothing is written: the errors are grouped by column, "
        "reason and value, and all of them go to a CSV file when they are many. Rows whose "
        "key already exists are updated.",
    )
    p.add_argument("kind", choices=kinds, help=KIND_HELP)
    p.add_argument("file", help="the .csv or .xlsx file")
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="COL",
        help="leave out this column of the file (repeatable); any column not known and not "
        "ignored or mapped refuses the file",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        type=_rename,
        metavar="COL=FIELD",
        help="read column COL as FIELD (a field name or any accepted header, e.g. "
        "风险级别=risk_class); repeatable",
    )
    p.add_argument(
        "--errors",
        metavar="FILE",
        help="where a refused import with many errors writes all of them (CSV; default: "
        "FILE.errors.csv beside the imported file)",
    )
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
