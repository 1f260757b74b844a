"""The full list of a rejected import's errors as a CSV the office opens in Excel."""

from __future__ import annotations

from pathlib import Path

from domain.directory.errors import SHOWN_GROUPS, ImportRejected, RowError, by_row
from domain.directory.tables import write_table

HEADERS = ("行号 (row)", "列 (column)", "原因 (reason)", "值 (value)", "如何改正 (fix)")


def rejected(source: Path, errors: list[RowError], report: Path | None) -> ImportRejected:
    """The refusal of `source`; when its errors are too many to print and `report` is given,
    every one of them is first written there (UTF-8 with a BOM: Excel reads it as such)."""
    if report is None or len(errors) <= SHOWN_GROUPS:
        return ImportRejected(str(source), errors)
    rows = [[str(e.row), e.column, e.reason, e.value, e.fix] for e in sorted(errors, key=by_row)]
    try:
        write_table(report.with_suffix(".csv"), HEADERS, rows)
    except OSError:
        return ImportRejected(str(source), errors)  # the printed groups still say what to fix
    return ImportRejected(str(source), errors, report.with_suffix(".csv"))
