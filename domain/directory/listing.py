"""The records of each directory as rows of text cells, for `shuangsuiji list` (which adds the
column headings and aligns them; words come from the import format's labels, `values`); pages
of them as the export writes them, for a coordinator's program."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from domain.directory import values as v
from domain.directory.exporter import count_rows, export_file, export_rows
from domain.errors import UserError
from domain.rules.access import Actor, require_any_coordinator
from domain.storage.models import Conflict, Department, InspectionItem, Inspector, Target

Row = list[str]


def _limited(query, limit: int):
    return query.limit(limit) if limit > 0 else query


async def list_departments(limit: int) -> list[Row]:
    rows = await _limited(Department.all().order_by("path"), limit)
    return [[f"{'  ' * (d.path.count('/') - 2)}{d.code}", d.name] for d in rows]


async def list_items(limit: int) -> list[Row]:
    rows = await _limited(InspectionItem.all().order_by("code"), limit)
    return [
        [
            i.code,
            i.name,
            v.KIND_LABEL[i.kind],
            f"{i.ratio_percent}%",
            "" if i.active else "停用",
        ]
        for i in rows
    ]


async def list_targets(limit: int) -> list[Row]:
    rows = await _limited(Target.all().order_by("credit_code").prefetch_related("region"), limit)
    return [
        [
            t.credit_code,
            t.name,
            t.region.name,
            ";".join(t.categories),
            v.STATUS_LABEL[t.status],
            t.risk_class,
        ]
        for t in rows
    ]


async def list_inspectors(limit: int) -> list[Row]:
    query = Inspector.all().order_by("cert_no").prefetch_related("department")
    return [
        [
            i.cert_no,
            i.name,
            i.department.name,
            str(i.cert_valid_until),
            "、".join(n for n, on in (("专家", i.is_expert), ("不在岗", not i.active)) if on),
        ]
        for i in await _limited(query, limit)
    ]


async def list_conflicts(limit: int) -> list[Row]:
    query = Conflict.all().order_by("id").prefetch_related("inspector", "target")
    return [
        [
            f"{c.inspector.cert_no} {c.inspector.name}",
            f"{c.target.credit_code} {c.target.name}",
            c.reason,
        ]
        for c in await _limited(query, limit)
    ]


LISTERS: dict[str, Callable[[int], Awaitable[list[Row]]]] = {
    "departments": list_departments,
    "items": list_items,
    "targets": list_targets,
    "inspectors": list_inspectors,
    "conflicts": list_conflicts,
}


@dataclass(frozen=True)
class DirectoryPage:
    kind: str
    headers: list[str]  # as the import reads them (Chinese, or English on request)
    rows: list[list[str]]
    total: int
    offset: int


MAX_PAGE = 500


async def directory_page(
    actor: Actor, kind_name: str, offset: int = 0, limit: int = 100, english: bool = False
) -> DirectoryPage:
    """A page of the list or a directory, for any coordinator: the rows as the export writes
    them, so that a program reads what it would import."""
    require_any_coordinator(actor)
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise UserError(f"limit 应为 1 到 {MAX_PAGE}，offset 不能为负 (limit 1..{MAX_PAGE})")
    headers, rows = await export_rows(kind_name, english, offset, limit)
    return DirectoryPage(kind_name, headers, rows, await count_rows(kind_name), offset)


async def export_for(actor: Actor, kind_name: str, path: Path, english: bool = False) -> int:
    """`export_file` for a coordinator (any: the directories are shared by every level)."""
    require_any_coordinator(actor)
    return await export_file(kind_name, path, english)
