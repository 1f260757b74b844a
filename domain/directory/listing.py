"""One-line summaries of directory records, for `shuangsuiji list`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.storage.models import Conflict, Department, InspectionItem, Inspector, Target


def _limited(query, limit: int):
    return query.limit(limit) if limit > 0 else query


async def list_departments(limit: int) -> list[str]:
    rows = await _limited(Department.all().order_by("path"), limit)
    return [f"{'  ' * (d.path.count('/') - 2)}{d.code}  {d.name}" for d in rows]


async def list_items(limit: int) -> list[str]:
    rows = await _limited(InspectionItem.all().order_by("code"), limit)
    return [
        f"{i.code}  {i.name}  [{'重点' if i.kind == 'key' else '一般'} {i.ratio_percent}%]"
        f"{'' if i.active else '  (停用)'}"
        for i in rows
    ]


async def list_targets(limit: int) -> list[str]:
    rows = await _limited(Target.all().order_by("credit_code").prefetch_related("region"), limit)
    return [
        f"{t.credit_code}  {t.name}  {t.region.name}  {';'.join(t.categories)}  "
        f"{t.status}  {t.risk_class}"
        for t in rows
    ]


async def list_inspectors(limit: int) -> list[str]:
    query = Inspector.all().order_by("cert_no").prefetch_related("department")
    return [
        f"{i.cert_no}  {i.name}  {i.department.name}  有效期至 {i.cert_valid_until}"
        f"{'  专家' if i.is_expert else ''}{'' if i.active else '  (不在岗)'}"
        for i in await _limited(query, limit)
    ]


async def list_conflicts(limit: int) -> list[str]:
    query = Conflict.all().order_by("id").prefetch_related("inspector", "target")
    return [
        f"{c.inspector.cert_no} {c.inspector.name}  ⟂  {c.target.credit_code} {c.target.name}"
        f"  {c.reason}"
        for c in await _limited(query, limit)
    ]


LISTERS: dict[str, Callable[[int], Awaitable[list[str]]]] = {
    "departments": list_departments,
    "items": list_items,
    "targets": list_targets,
    "inspectors": list_inspectors,
    "conflicts": list_conflicts,
}
