"""Turning a table into validated records, collecting every error instead of stopping at one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.directory.errors import CellError, RowError
from domain.directory.headers import HeaderChoices, HeaderMap, map_headers
from domain.directory.schema import Kind
from domain.directory.tables import Table
from domain.directory.values import str_list


@dataclass
class Parsed:
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headers: HeaderMap = field(default_factory=HeaderMap)
    # field -> rows that took its default, for the fields whose default changes draws
    defaults: Counter = field(default_factory=Counter)


def record_key(kind: Kind, values: dict[str, Any]) -> Any:
    if kind.key == "pair":
        return (values["cert_no"], values["credit_code"])
    return values[kind.key]


def parse_table(
    kind: Kind,
    table: Table,
    department_id: Callable[[str], int | None],
    choices: HeaderChoices | None = None,
) -> Parsed:
    """`department_id` maps a cell naming a department to its id or raises ValueError."""
    choices = choices or HeaderChoices()
    headers = map_headers(kind, table, choices)
    parsed = Parsed(errors=list(headers.errors), headers=headers)
    if parsed.errors:
        return parsed
    positions = headers.positions
    present = [(c, positions[c.field]) for c in kind.columns if c.field in positions]
    # A column the file lacks holds its default in every row: parsed once, counted at once.
    absent: dict[str, Any] = {}
    for column in kind.columns:
        if column.field in positions:
            continue
        if column.draws:
            parsed.defaults[column.field] += len(table.rows)
        # No department column has a default: absent, it is empty.
        absent[column.field] = None if column.department else column.parse(column.default)
    absent_lists = [f for f, v in absent.items() if isinstance(v, list)]
    listed = [c.field for c in kind.columns if c.required and c.parse is str_list]
    key_column = kind.column("cert_no" if kind.key == "pair" else kind.key).zh
    first_row_of: dict[Any, int] = {}
    for row_number, cells in table.rows:
        values = dict(absent)
        for name in absent_lists:  # each record its own list
            values[name] = []
        row_ok = True
        for column, index in present:
            raw = cells[index] if index < len(cells) else ""
            if not raw.strip():
                if column.required:
                    parsed.errors.append(RowError(row_number, column.zh, "必填项为空 (required)"))
                    row_ok = False
                    continue
                raw = column.default
                if column.draws:
                    parsed.defaults[column.field] += 1
            try:
                if column.department:
                    values[column.field] = department_id(raw) if raw.strip() else None
                else:
                    values[column.field] = column.parse(raw)
            except ValueError as exc:
                fix = exc.fix if isinstance(exc, CellError) else ""
                parsed.errors.append(RowError(row_number, column.zh, str(exc), raw.strip(), fix))
                row_ok = False
        if any(values.get(f) == [] for f in listed):
            parsed.errors.append(RowError(row_number, "", "类别不能为空 (categories required)"))
            row_ok = False
        if not row_ok:
            continue
        key = record_key(kind, values)
        if key in first_row_of:
            parsed.errors.append(
                RowError(
                    row_number,
                    key_column,
                    "重复的行 (duplicate key)",
                    " / ".join(key) if isinstance(key, tuple) else str(key),
                    f"与第 {first_row_of[key]} 行重复：删去或合并重复的行",
                )
            )
            continue
        first_row_of[key] = row_number
        parsed.records.append((row_number, values))
    return parsed
