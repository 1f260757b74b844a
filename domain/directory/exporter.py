"""Export in the import format, so that exporting and re-importing gives the same data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from tortoise.queryset import QuerySet

from domain.directory import values as v
from domain.directory.schema import KINDS, Kind
from domain.directory.tables import write_table
from domain.errors import UserError
from domain.storage.models import Conflict, Department, InspectionItem, Inspector, Target

_QUERIES: dict[str, Callable[[], QuerySet[Any]]] = {
    "departments": lambda: Department.all().order_by("path"),
    "items": lambda: InspectionItem.all().order_by("code"),
    "targets": lambda: Target.all().order_by("credit_code"),
    "inspectors": lambda: Inspector.all().order_by("cert_no"),
}


def _cell(kind: Kind, name: str, value: Any, dept_code: dict[int, str]) -> str:
    column = kind.column(name)
    if column.department:
        return dept_code.get(value, "") if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return v.join_list(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "status":
        return v.STATUS_LABEL[value]
    if name == "kind":
        return v.KIND_LABEL[value]
    return str(value)


async def _rows(kind: Kind, dept_code: dict[int, str]) -> list[list[str]]:
    if kind.name == "conflicts":
        rows = (
            await Conflict.all()
            .order_by("id")
            .values_list("inspector__cert_no", "target__credit_code", "reason")
        )
        return [[str(c), str(t), str(r or "")] for c, t, r in rows]
    fields = [
        f"{c.field}_id" if c.department else c.field
        for c in kind.columns
        if not (kind.name == "departments" and c.field == "parent")
    ]
    if kind.name == "departments":
        fields.append("parent_id")
    out = []
    for record in await _QUERIES[kind.name]().values(*fields):
        row = []
        for column in kind.columns:
            if kind.name == "departments" and column.field == "parent":
                row.append(dept_code.get(record["parent_id"], ""))
                continue
            stored = record[f"{column.field}_id" if column.department else column.field]
            row.append(_cell(kind, column.field, stored, dept_code))
        out.append(row)
    return out


async def export_file(kind_name: str, path: Path, english: bool = False) -> int:
    if kind_name not in KINDS:
        raise UserError(f"未知的导出类型 {kind_name!r}; 可选: {', '.join(KINDS)}")
    kind = KINDS[kind_name]
    dept_code = {int(i): str(c) for i, c in await Department.all().values_list("id", "code")}
    rows = await _rows(kind, dept_code)
    headers = [c.en if english else c.zh for c in kind.columns]
    write_table(path, headers, rows)
    return len(rows)
