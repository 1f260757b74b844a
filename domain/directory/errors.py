"""A rejected import says what to fix: its errors grouped by (column, reason, value), each group
with its count, its first rows and the fix, the longest first; a long list goes to a file."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from domain.errors import UserError

SHOWN_GROUPS = 20  # printed at most; the rest are counted, and the file has every error
SHOWN_ROWS = 5  # row numbers printed per group


@dataclass(frozen=True, order=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1; 0 for the file itself
    column: str
    reason: str  # without the cell's value, so that equal problems group together
    value: str = ""
    fix: str = ""  # what to do about it, when the reason alone does not say

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row > 1 else "表头" if self.row == 1 else "文件"
        return f"{where} {_cell(self.column, self.value)}: {self.reason}".replace("  ", " ")


def _cell(column: str, value: str) -> str:
    named = f"「{column}」" if column else ""
    return f"{named} = 「{value}」" if value else named


class CellError(ValueError):
    """A cell's value refused, with the fix when it lies outside the cell (import the
    departments first...)."""

    def __init__(self, reason: str, fix: str = "") -> None:
        super().__init__(reason)
        self.fix = fix


@dataclass(frozen=True)
class ErrorGroup:
    column: str
    reason: str
    value: str
    rows: tuple[int, ...]  # every row, in order
    fix: str

    def __str__(self) -> str:
        cell = _cell(self.column, self.value)
        data_rows = [r for r in self.rows if r > 1]
        if not data_rows:
            where = "表头" if self.rows and self.rows[0] == 1 else "文件"
            line = f"{where} {cell}: {self.reason}".replace("  ", " ")
        else:
            first = ", ".join(str(r) for r in data_rows[:SHOWN_ROWS])
            more = " …" if len(data_rows) > SHOWN_ROWS else ""
            line = f"{cell}: {self.reason} — {len(data_rows)} 行 (rows): 第 {first}{more} 行"
        return line


def by_row(error: RowError) -> int:
    """The sort key: errors come in each row's column order, which a stable sort keeps (and
    comparing whole errors costs seconds on 100,000 of them)."""
    return error.row


def group_errors(errors: list[RowError]) -> list[ErrorGroup]:
    """The errors (sorted) by (column, reason, value): the biggest groups first, then by first
    row."""
    rows: defaultdict[tuple[str, str, str], list[int]] = defaultdict(list)
    fixes: dict[tuple[str, str, str], str] = {}
    for error in errors:  # sorted
        key = (error.column, error.reason, error.value)
        rows[key].append(error.row)
        fixes.setdefault(key, error.fix)
    groups = [ErrorGroup(*key, tuple(found), fixes[key]) for key, found in rows.items()]
    return sorted(groups, key=lambda g: (-len(g.rows), g.rows[0], g.column, g.value))


class ImportRejected(UserError):
    """Nothing was written; `errors` lists every problem found, `report` is the file holding
    them all when they were too many to print."""

    def __init__(self, source: str, errors: list[RowError], report: Path | None = None) -> None:
        self.source = source
        self.errors = sorted(errors, key=by_row)
        self.groups = group_errors(self.errors)
        self.report = report
        super().__init__(self._text())

    def _text(self) -> str:
        rows = len({e.row for e in self.errors if e.row > 1})
        counted = f"{len(self.errors)} 个错误" + (f", {rows} 行有误" if rows else "")
        if len(self.groups) < len(self.errors):
            counted += f", 分为 {len(self.groups)} 类"
        lines = [
            f"{self.source}: 导入被拒绝，未写入任何数据 (import rejected, nothing written): "
            + counted
        ]
        shown = self.groups[:SHOWN_GROUPS]
        for n, group in enumerate(shown):
            lines.append(f"  {group}")
            # A run of groups with the same fix (nine unknown districts) gets it once.
            if group.fix and (n + 1 == len(shown) or shown[n + 1].fix != group.fix):
                lines.append(f"      → {group.fix}")
        hidden = len(self.groups) - SHOWN_GROUPS
        if hidden > 0:
            lines.append(f"  …另有 {hidden} 类错误未显示 ({hidden} more kinds of error)")
        if self.report is not None:
            lines.append(
                f"完整的错误列表 (every error, one per row, UTF-8 CSV for Excel): {self.report}"
            )
        return "\n".join(lines)
