"""Turning a table into validated records, collecting every error instead of stopping at one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.directory.errors import RowError
from domain.directory.schema import Kind
from domain.directory.tables import Table

_IGNORED_HEADERS = {"序号", "no", "no.", "#", "行号"}


@dataclass
class Parsed:
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def map_headers(kind: Kind, headers: list[str]) -> tuple[dict[str, int], list[RowError], list[str]]:
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = header.strip().lower()
        column = next((c for c in kind.columns if name in c.headers()), None)
        if column is None:
            if name and name not in _IGNORED_HEADERS:
                ignored.append(header)
            continue
        if column.field in positions:
            errors.append(RowError(1, header, "列重复 (duplicate column)"))
            continue
        positions[column.field] = index
    for column in kind.columns:
        if column.required and column.field not in positions:
            errors.append(
                RowError(1, column.zh, f"缺少必填列「{column.zh}」(missing column {column.en})")
            )
    return positions, errors, ignored


def record_key(kind: Kind, values: dict[str, Any]) -> Any:
    if kind.key == "pair":
        return (values["cert_no"], values["credit_code"])
    return values[kind.key]


def parse_table(kind: Kind, table: Table, department_id: Callable[[str], int | None]) -> Parsed:
    """`department_id` maps a cell naming a department to its id or raises ValueError."""
    positions, errors, ignored = map_headers(kind, table.headers)
    parsed = Parsed(errors=errors, ignored_columns=ignored)
    if errors:
        return parsed
    first_row_of: dict[Any, int] = {}
    for row_number, cells in table.rows:
        values: dict[str, Any] = {}
        row_ok = True
        for column in kind.columns:
            index = positions.get(column.field)
            raw = cells[index] if index is not None and index < len(cells) else ""
            if not raw.strip():
                if column.required:
                    parsed.errors.append(RowError(row_number, column.zh, "必填项为空 (required)"))
                    row_ok = False
                    continue
                raw = column.default
            try:
                if column.department:
                    values[column.field] = department_id(raw) if raw.strip() else None
                else:
                    values[column.field] = column.parse(raw)
            except ValueError as exc:
                parsed.errors.append(RowError(row_number, column.zh, str(exc)))
                row_ok = False
        if column_list_empty(kind, values):
            parsed.errors.append(RowError(row_number, "", "类别不能为空 (categories required)"))
            row_ok = False
        if not row_ok:
            continue
        key = record_key(kind, values)
        if key in first_row_of:
            parsed.errors.append(
                RowError(
                    row_number,
                    kind.column("cert_no" if kind.key == "pair" else kind.key).zh,
                    f"与第 {first_row_of[key]} 行重复 (duplicate of row {first_row_of[key]})",
                )
            )
            continue
        first_row_of[key] = row_number
        parsed.records.append((row_number, values))
    return parsed


def column_list_empty(kind: Kind, values: dict[str, Any]) -> bool:
    for column in kind.columns:
        if column.required and column.field in values and values[column.field] == []:
            return True
    return False
