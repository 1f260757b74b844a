"""`import`, `export`, `list`: the inspection list and the two directories."""

from __future__ import annotations

import argparse

from cli.commands.tasks import with_json
from cli.table import print_json, print_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from collections.abc import Coroutine
    from pathlib import Path
    from typing import Any

    from domain.config import Settings

# The kinds `domain.directory.KINDS` imports, named here so that the parser is built without
# loading the importers (tests/cli/test_help.py checks that both list the same kinds).
KIND_WORDS = {
    "departments": "部门",
    "items": "抽查事项清单",
    "targets": "检查对象名录",
    "inspectors": "执法检查人员名录",
    "conflicts": "回避关系",
}
KIND_HELP = "、".join(f"{w} {k}" for k, w in KIND_WORDS.items())
# The columns of `list KIND`, as `domain.directory.listing` gives them: (heading, JSON key).
COLUMNS = {
    "departments": [("编码 (code)", "code"), ("名称 (name)", "name")],
    "items": [("编码 (code)", "code"), ("名称 (name)", "name"), ("类别 (kind)", "kind"),
              ("抽查比例 (ratio)", "ratio"), ("状态 (state)", "state")],
    "targets": [("统一社会信用代码 (credit code)", "credit_code"), ("名称 (name)", "name"),
                ("区域 (region)", "region"), ("行业类别 (categories)", "categories"),
                ("状态 (status)", "status"), ("信用风险 (risk)", "risk_class")],
    "inspectors": [("执法证号 (certificate)", "cert_no"), ("姓名 (name)", "name"),
                   ("部门 (department)", "department"),
                   ("证件有效期至 (valid until)", "valid_until"), ("备注 (notes)", "notes")],
    "conflicts": [("执法检查人员 (inspector)", "inspector"), ("检查对象 (target)", "target"),
                  ("回避原因 (reason)", "reason")],
}  # fmt: skip


def _rename(text: str) -> tuple[str, str]:
    header, sep, name = text.rpartition("=")
    if not sep or not header.strip() or not name.strip():
        raise argparse.ArgumentTypeError(f"应写作 旧列=字段，如 风险级别=risk_class: {text!r}")
    return header.strip(), name.strip()


def _report_path(args: argparse.Namespace) -> Path:
    from pathlib import Path

    if args.errors:
        return Path(args.errors)
    source = Path(args.file)
    return source.with_name(f"{source.stem}.errors.csv")


async def run_import(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from cli.commands.db import connected
    from cli.progress import ProgressBar
    from domain.directory import KINDS, HeaderChoices, import_file

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
    from pathlib import Path

    from cli.commands.db import connected
    from domain.directory import export_file

    async with connected(settings):
        count = await export_file(args.kind, Path(args.file), english=args.english)
    print(f"导出 {count} 行到 {args.file} (exported {count} rows)")
    return 0


def run_list(args: argparse.Namespace, settings: Settings) -> int | Coroutine[Any, Any, int]:
    """Without the event loop when the database can be read as it is (an SQLite file, up to
    date): what `list` would spend most of its time on is starting up, not reading."""
    from domain.directory.listing import records_now

    rows = records_now(settings.database_url, args.kind, args.limit)
    if rows is None:
        return _list_with_event_loop(args, settings)
    return _show_list(args, rows)


async def _list_with_event_loop(args: argparse.Namespace, settings: Settings) -> int:
    from domain.directory.listing import list_records

    return _show_list(args, await list_records(settings.database_url, args.kind, args.limit))


def _show_list(args: argparse.Namespace, rows: list[list[str]]) -> int:
    columns = COLUMNS[args.kind]
    if args.json:
        print_json(
            [{key: cell for (_, key), cell in zip(columns, row, strict=True)} for row in rows]
        )
    else:
        header = [heading for heading, _ in columns]
        print_table(header, rows, f"没有{KIND_WORDS[args.kind]}记录 (no {args.kind})")
    return 0


def _kind(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=list(KIND_WORDS), metavar="KIND", help=KIND_HELP)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="从 CSV 或 XLSX 导入清单或名录，全部成功或全不写入 "
        "(import the list or a directory, all or nothing)",
        description="导入 CSV（UTF-8、带 BOM 的 UTF-8 或 GB18030）或 XLSX 文件。表头可用中文、英文"
        "或各单位常用的其他名称（README 列出全部可用名称）；导入程序不认识的列会使整个文件被拒绝，"
        "除非用 --ignore 或 --map 指明。有一行错误就什么都不写入：错误按列、原因和值归并，"
        "较多时全部写入一个 CSV 文件。编号已存在的行被更新。\n"
        "(Import a CSV or XLSX file. Headers may be "
        "Chinese, English or another name offices use (the README lists them); a column the "
        "importer does not know refuses the file unless --ignore or --map names it. One bad "
        "row and nothing is written: the errors are grouped by column, reason and value, and "
        "all go to a CSV file when they are many. Rows whose key exists are updated.)",
    )
    _kind(p)
    p.add_argument("file", metavar="FILE", help="CSV 或 XLSX 文件 (the .csv or .xlsx file)")
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="COL",
        help="不导入文件中的这一列，可重复 (leave out this column of the file; repeatable)",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        type=_rename,
        metavar="COL=FIELD",
        help="把 COL 列读作字段 FIELD（字段名或任一可用表头），如 风险级别=risk_class，可重复 "
        "(read column COL as FIELD; repeatable)",
    )
    p.add_argument(
        "--errors",
        metavar="FILE",
        help="错误较多被拒绝时全部错误写入的 CSV 文件，默认为导入文件旁的 FILE.errors.csv "
        "(where a refused import with many errors writes them all)",
    )
    p.set_defaults(run=run_import)

    p = sub.add_parser(
        "export",
        help="把清单或名录导出为 CSV 或 XLSX (export the list or a directory)",
        description="把 KIND 的全部记录按导入格式写入 FILE（按扩展名选 .csv 或 .xlsx），"
        "修改后可再导入。(Write every record of KIND to FILE in the import format, so that "
        "it can be edited and imported again.)",
    )
    _kind(p)
    p.add_argument("file", metavar="FILE", help="要写入的 .csv 或 .xlsx 文件 (file to write)")
    p.add_argument("--english", action="store_true", help="英文表头 (English column headers)")
    p.set_defaults(run=run_export)

    p = sub.add_parser(
        "list",
        help="在终端上列出清单或名录 (show the list or a directory)",
        description="每条记录一行，加上表头。(Print one line per record of KIND, under a heading.)",
    )
    _kind(p)
    p.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help="最多显示 N 行，0 为全部 (at most N; 0: all)",
    )
    with_json(p)
    p.set_defaults(run=run_list)
