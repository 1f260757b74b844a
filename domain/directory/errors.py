"""A rejected import names every bad row: its number, its column and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import UserError


@dataclass(frozen=True, order=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "表头"
        col = f"「{self.column}」" if self.column else ""
        return f"{where} {col}: {self.reason}".replace("  ", " ")


class ImportRejected(UserError):
    """Nothing was written; `errors` lists every problem found."""

    def __init__(self, source: str, errors: list[RowError]) -> None:
        self.source = source
        self.errors = sorted(errors)
        rows = len({e.row for e in self.errors if e.row})
        lines = [
            f"{source}: 导入被拒绝，未写入任何数据 (import rejected, nothing written): "
            f"{len(self.errors)} 个错误, {rows} 行有误"
        ]
        lines += [f"  {e}" for e in self.errors]
        super().__init__("\n".join(lines))
