"""Resolving department cells and keeping department paths right."""

from __future__ import annotations

from collections import Counter

from domain.directory.errors import CellError, RowError
from domain.storage.models import Department


class DepartmentIndex:
    """Departments by code, and by name where the name is unique."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        self.by_code = {code: id_ for id_, code, _ in rows}
        counts = Counter(name for _, _, name in rows)
        self.by_name = {name: id_ for id_, _, name in rows if counts[name] == 1}
        self.ambiguous = {name for name, n in counts.items() if n > 1}
        self.code_of = {id_: code for id_, code, _ in rows}

    @classmethod
    async def load(cls) -> DepartmentIndex:
        rows = await Department.all().values_list("id", "code", "name")
        return cls([(int(i), str(c), str(n)) for i, c, n in rows])

    def resolve(self, cell: str) -> int:
        value = cell.strip()
        if value in self.by_code:
            return self.by_code[value]
        if value in self.by_name:
            return self.by_name[value]
        if value in self.ambiguous:
            raise CellError(
                "名称对应多个部门 (ambiguous name)",
                "填写部门/区域的编码；`shuangsuiji list departments` 列出编码",
            )
        raise CellError(
            "部门名录中没有这个部门/区域 (unknown department or region)",
            "先导入部门/区域：`shuangsuiji import departments 部门.csv`"
            "（列: 编码, 名称, 上级编码），或改正这些单元格；"
            "`shuangsuiji list departments` 列出已有的",
        )


async def upsert_departments(records: list[tuple[int, dict]]) -> tuple[int, int, list[RowError]]:
    """Create or update departments (parents may be in the same file), then rebuild paths."""
    existing = {d.code: d for d in await Department.all()}
    code_of = {d.id: code for code, d in existing.items()}
    wanted: dict[str, str | None] = {
        code: code_of.get(d.parent_id) if d.parent_id else None for code, d in existing.items()
    }
    errors: list[RowError] = []
    for _row, values in records:
        parent = (values.get("parent") or "").strip() or None
        wanted[values["code"]] = parent
    for row, values in records:
        parent = wanted[values["code"]]
        if parent is not None and parent not in wanted:
            errors.append(
                RowError(
                    row,
                    "上级编码",
                    "未知的上级编码 (unknown parent)",
                    parent,
                    "在同一文件中加上该上级的行，或先导入它",
                )
            )
        elif _has_cycle(values["code"], wanted):
            errors.append(RowError(row, "上级编码", "上级关系成环 (parent chain loops)"))
    if errors:
        return 0, 0, errors
    created = updated = 0
    for _, values in records:
        dept = existing.get(values["code"])
        if dept is None:
            dept = await Department.create(code=values["code"], name=values["name"], path="")
            existing[dept.code] = dept
            created += 1
        elif dept.name != values["name"]:
            dept.name = values["name"]
            await dept.save(update_fields=["name", "updated_at"])
            updated += 1
    await _rebuild_paths(existing, wanted)
    return created, updated, []


def _has_cycle(code: str, parents: dict[str, str | None]) -> bool:
    seen = set()
    current: str | None = code
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _path(code: str, parents: dict[str, str | None]) -> str:
    chain = []
    current: str | None = code
    while current is not None:
        chain.append(current)
        current = parents.get(current)
    return "/" + "/".join(reversed(chain)) + "/"


async def _rebuild_paths(existing: dict[str, Department], parents: dict[str, str | None]) -> None:
    for code, dept in existing.items():
        parent = parents.get(code)
        parent_id = existing[parent].id if parent else None
        path = _path(code, parents)
        if dept.parent_id != parent_id or dept.path != path:
            dept.parent_id = parent_id
            dept.path = path
            await dept.save(update_fields=["parent_id", "path", "updated_at"])
