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


def _page(query: QuerySet[Any], offset: int, limit: int) -> QuerySet[Any]:
    query = query.offset(offset) if offset > 0 else query
    return query.limit(limit) if limit > 0 else query


async def _rows(
    kind: Kind, dept_code: dict[int, str], offset: int = 0, limit: int = 0
) -> list[list[str]]:
    if kind.name == "conflicts":
        rows = await _page(Conflict.all().order_by("id"), offset, limit).values_list(
            "inspector__cert_no", "target__credit_code", "reason"
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
    for record in await _page(_QUERIES[kind.name](), offset, limit).values(*fields):
        row = []
        for column in kind.columns:
            if kind.name == "departments" and column.field == "parent":
                row.append(dept_code.get(record["parent_id"], ""))
                continue
            stored = record[f"{column.field}_id" if column.department else column.field]
            row.append(_cell(kind, column.field, stored, dept_code))
        out.append(row)
    return out


def _kind(kind_name: str) -> Kind:
    if kind_name not in KINDS:
        raise UserError(f"未知的导出类型 {kind_name!r}; 可选: {', '.join(KINDS)}")
    return KINDS[kind_name]


async def export_rows(
    kind_name: str, english: bool = False, offset: int = 0, limit: int = 0
) -> tuple[list[str], list[list[str]]]:
    """The headers and rows (from `offset`, at most `limit` if > 0) as a file would hold them."""
    kind = _kind(kind_name)
    dept_code = {int(i): str(c) for i, c in await Department.all().values_list("id", "code")}
    rows = await _rows(kind, dept_code, offset, limit)
    return [c.en if english else c.zh for c in kind.columns], rows


async def count_rows(kind_name: str) -> int:
    kind = _kind(kind_name)
    model = Conflict.all() if kind.name == "conflicts" else _QUERIES[kind.name]()
    return await model.count()


async def export_file(kind_name: str, path: Path, english: bool = False) -> int:
    headers, rows = await export_rows(kind_name, english)
    write_table(path, headers, rows)
    return len(rows)
