"""Which column of a file is which field: the accepted names (aliases.py), the office's own
renames (`--map 旧列=字段`) and the columns it chose to leave out (`--ignore 列`). Any other
column refuses the file: read as nothing, it would let a meaning change without a word."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from domain.directory.aliases import ROW_NUMBER_HEADERS, normalize
from domain.directory.errors import RowError
from domain.directory.schema import Column, Kind
from domain.directory.tables import Table

HEADER = 1  # the header's row number, as the spreadsheet shows it


@dataclass(frozen=True)
class HeaderChoices:
    """What the office said about its columns: leave these out, read those as that field."""

    ignore: tuple[str, ...] = ()
    rename: Mapping[str, str] = field(default_factory=dict)  # file header -> field (any name)


@dataclass
class HeaderMap:
    positions: dict[str, int] = field(default_factory=dict)  # field -> column index
    errors: list[RowError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # as named in the file
    renamed: dict[str, str] = field(default_factory=dict)  # file header -> field


def field_names(kind: Kind) -> str:
    return ", ".join(f"{c.field} ({c.zh})" for c in kind.columns)


def _target(kind: Kind, name: str) -> Column | None:
    return kind.lookup().get(normalize(name))


def _guess(kind: Kind, header: str) -> str:
    """The field a header probably means: the one whose names come closest, unless another
    field's come as close (a wrong guess would be worse than none)."""
    name = normalize(header)
    scores: dict[str, float] = {}
    for known, column in kind.lookup().items():
        ratio = difflib.SequenceMatcher(None, name, known).ratio()
        scores[column.field] = max(scores.get(column.field, 0.0), ratio)
    best = max(scores.values(), default=0.0)
    closest = [f for f, score in scores.items() if score == best]
    if best < 0.6 or len(closest) != 1:
        return ""
    column = kind.column(closest[0])
    return f"（是否指「{column.zh}」({column.field})？）"


def _unknown(kind: Kind, header: str) -> RowError:
    return RowError(
        HEADER,
        header,
        "导入程序不认识这一列 (unknown column)；不读它可能静默改变含义，所以不导入",
        fix=f"用 --map '{header}=字段' 说明它是哪个字段，或用 --ignore '{header}' 明确忽略它"
        f"{_guess(kind, header)}。字段: {field_names(kind)}",
    )


def _missing(kind: Kind, column: Column, headers: Sequence[str]) -> RowError:
    found = "、".join(h for h in headers if h.strip()) or "（无）"
    return RowError(
        HEADER,
        column.zh,
        f"缺少必填列 (missing column {column.en})",
        fix=f"文件中的列: {found}；此列可用的列名: {'、'.join(kind.names(column))}；"
        f"或用 --map '文件中的列名={column.field}' 指定",
    )


def _has_data(table: Table, index: int) -> bool:
    return any(index < len(cells) and cells[index].strip() for _, cells in table.rows)


def map_headers(kind: Kind, table: Table, choices: HeaderChoices) -> HeaderMap:
    found = HeaderMap()
    ignore = {normalize(n): n for n in choices.ignore}
    rename = {normalize(k): (k, v) for k, v in choices.rename.items()}
    seen: set[str] = set()
    row_numbers = {normalize(h) for h in ROW_NUMBER_HEADERS}
    for index, header in enumerate(table.headers):
        name = normalize(header)
        seen.add(name)
        if name in ignore:
            found.ignored.append(header)
            continue
        if name in rename:
            column = _target(kind, rename[name][1])
            if column is None:
                found.errors.append(
                    RowError(
                        HEADER,
                        header,
                        f"--map 的目标字段「{rename[name][1]}」不存在 (no such field)",
                        fix=f"字段: {field_names(kind)}",
                    )
                )
                continue
            found.renamed[header] = column.field
        else:
            column = kind.lookup().get(name)
        if column is None:
            if name in row_numbers:
                continue
            if not name:
                if _has_data(table, index):
                    found.errors.append(
                        RowError(
                            HEADER,
                            f"第 {index + 1} 列",
                            "没有列名却有数据 (a column without a header holds data)",
                            fix="给它写上列名，或删掉这一列",
                        )
                    )
                continue
            found.errors.append(_unknown(kind, header))
            continue
        if column.field in found.positions:
            first = table.headers[found.positions[column.field]]
            found.errors.append(
                RowError(
                    HEADER,
                    header,
                    f"与「{first}」是同一字段 {column.field} (duplicate column)",
                    fix=f"删去其中一列，或用 --ignore '{header}' 忽略它",
                )
            )
            continue
        found.positions[column.field] = index
    for option, (given, original) in (
        *((k, ("--ignore", v)) for k, v in ignore.items()),
        *((k, ("--map", v[0])) for k, v in rename.items()),
    ):
        if option not in seen:
            found.errors.append(
                RowError(
                    HEADER,
                    original,
                    f"{given} 指定的列在文件中不存在 (no such column in the file)",
                    fix=f"文件中的列: {'、'.join(h for h in table.headers if h.strip())}",
                )
            )
    for column in kind.columns:
        if column.required and column.field not in found.positions:
            found.errors.append(_missing(kind, column, table.headers))
    return found
