"""The records of each directory as rows of text cells, for `shuangsuiji list` (which adds the
column headings and aligns them). Words come from the import format's labels (values)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.directory import values as v
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
