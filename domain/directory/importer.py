"""All-or-nothing import: validate every row first, then write everything in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.directory.departments import DepartmentIndex, upsert_departments
from domain.directory.errors import RowError
from domain.directory.headers import HeaderChoices
from domain.directory.parsing import parse_table
from domain.directory.report import rejected
from domain.directory.schema import KINDS
from domain.directory.tables import read_table
from domain.errors import UserError
from domain.rules.access import Actor
from domain.storage.models import Conflict, InspectionItem, Inspector, Target

Progress = Callable[[int, int], None]
BATCH = 1000


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)  # by --ignore
    renamed_columns: dict[str, str] = field(default_factory=dict)  # by --map: header -> field
    # field -> rows that took its default, for fields whose default changes draws (schema's
    # `draws`): a column missing from the file shows here, row by row.
    defaults: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated


_MODELS: dict[str, tuple[type[Model], str]] = {
    "items": (InspectionItem, "code"),
    "targets": (Target, "credit_code"),
    "inspectors": (Inspector, "cert_no"),
}


async def import_file(
    kind_name: str,
    path: Path,
    progress: Progress | None = None,
    *,
    actor: Actor | None = None,
    choices: HeaderChoices | None = None,
    report: Path | None = None,
) -> ImportResult:
    """Import `path` as `kind_name`, all or nothing, with its audit entry (by `actor`, or
    "cli": the operator at the command line) in the same transaction. `choices`: columns the
    office renamed or left out. Refused with more errors than are printed, every error goes
    to `report` (a CSV), which the refusal names."""
    if kind_name not in KINDS:
        raise UserError(f"未知的导入类型 {kind_name!r}; 可选: {', '.join(KINDS)}")
    kind = KINDS[kind_name]
    table = read_table(path)
    index = await DepartmentIndex.load()
    parsed = parse_table(kind, table, index.resolve, choices)
    if parsed.errors:
        raise rejected(path, parsed.errors, report)
    result = ImportResult(
        kind_name,
        ignored_columns=parsed.headers.ignored,
        renamed_columns=parsed.headers.renamed,
        defaults={c.field: n for c in kind.columns if (n := parsed.defaults[c.field])},
    )
    records = parsed.records
    async with in_transaction():
        if kind_name == "departments":
            created, updated, errors = await upsert_departments(records)
        elif kind_name == "conflicts":
            created, updated, errors = await _upsert_conflicts(records)
        else:
            model, key = _MODELS[kind_name]
            created, updated, errors = await _upsert(model, key, records, progress)
        if errors:
            # Raising inside the block rolls the transaction back: nothing written.
            raise rejected(path, errors, report)
        result.created, result.updated = created, updated
        result.unchanged = len(records) - created - updated
        after: dict[str, Any] = {
            "created": created,
            "updated": updated,
            "unchanged": result.unchanged,
        }
        data: dict[str, Any] = {"file": path.name, "sha256": table.sha256, "kind": kind_name}
        # How the file was read, where the office said more than the headers do.
        if result.defaults:
            after["defaults"] = result.defaults
        if result.ignored_columns:
            data["ignored_columns"] = result.ignored_columns
        if result.renamed_columns:
            data["renamed_columns"] = result.renamed_columns
        await audit.record(
            actor.label if actor else "cli",
            "directory.import",
            "directory",
            kind_name,
            after=after,
            data=data,
        )
    return result


def _db_values(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in values.items():
        if name in ("body", "region", "jurisdiction", "department", "patch"):
            out[f"{name}_id"] = value
        else:
            out[name] = value
    return out


async def _existing_ids(model: type[Model], key: str, keys: list[Any]) -> dict[Any, int]:
    rows = await _existing_rows(model, key, keys, [])
    return {k: int(r["id"]) for k, r in rows.items()}


async def _existing_rows(
    model: type[Model], key: str, keys: list[Any], fields: list[str]
) -> dict[Any, dict[str, Any]]:
    found: dict[Any, dict[str, Any]] = {}
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        for row in await model.filter(**{f"{key}__in": chunk}).values("id", key, *fields):
            found[row[key]] = row
    return found


def _placeholders(dialect: str, count: int) -> list[str]:
    if dialect == "postgres":
        return [f"${i}" for i in range(1, count + 1)]
    return ["?"] * count


async def _execute_batches(sql: str, params: list[list[Any]]) -> None:
    conn = connections.get("default")
    for start in range(0, len(params), BATCH):
        await conn.execute_many(sql, params[start : start + BATCH])


def _columns(model: type[Model], names: list[str]) -> list[str]:
    fields_map = model._meta.fields_map
    return [fields_map[n].source_field or n for n in names]


def _db_row(model: type[Model], names: list[str], values: dict[str, Any]) -> list[Any]:
    fields_map = model._meta.fields_map
    return [fields_map[n].to_db_value(values[n], model) for n in names]


# Prepared statements run over many rows: building a tortoise Model per row, and bulk_update's
# CASE per column, cost an order of magnitude more on 100,000-row imports.
async def _insert_many(model: type[Model], rows: list[dict[str, Any]]) -> None:
    names = list(rows[0])
    dialect = connections.get("default").capabilities.dialect
    columns = [*_columns(model, names), "created_at", "updated_at"]
    marks = ", ".join(_placeholders(dialect, len(columns)))
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{model._meta.db_table}" ({quoted}) VALUES ({marks})'
    stamp = model._meta.fields_map["created_at"].to_db_value(clock.now(), model)
    await _execute_batches(sql, [[*_db_row(model, names, r), stamp, stamp] for r in rows])


async def _update_many(model: type[Model], rows: list[tuple[int, dict[str, Any]]]) -> None:
    names = list(rows[0][1])
    dialect = connections.get("default").capabilities.dialect
    columns = [*_columns(model, names), "updated_at"]
    marks = _placeholders(dialect, len(columns) + 1)
    assignments = ", ".join(f'"{c}" = {m}' for c, m in zip(columns, marks, strict=False))
    sql = f'UPDATE "{model._meta.db_table}" SET {assignments} WHERE "id" = {marks[-1]}'
    stamp = model._meta.fields_map["updated_at"].to_db_value(clock.now(), model)
    await _execute_batches(
        sql, [[*_db_row(model, names, values), stamp, row_id] for row_id, values in rows]
    )


async def _upsert(
    model: type[Model], key: str, records: list[tuple[int, dict]], progress: Progress | None
) -> tuple[int, int, list[RowError]]:
    total = len(records)
    rows = [_db_values(values) for _, values in records]
    names = [n for n in rows[0] if n != key]
    existing = await _existing_rows(model, key, [r[key] for r in rows], names)
    fresh = [r for r in rows if r[key] not in existing]
    changed = [
        (int(existing[r[key]]["id"]), {n: r[n] for n in names})
        for r in rows
        if r[key] in existing and any(existing[r[key]][n] != r[n] for n in names)
    ]
    for start in range(0, len(fresh), BATCH * 10):
        await _insert_many(model, fresh[start : start + BATCH * 10])
        if progress:
            progress(min(start + BATCH * 10, len(fresh)), total)
    if changed:
        await _update_many(model, changed)
    if progress:
        progress(total, total)
    return len(fresh), len(changed), []


async def _upsert_conflicts(records: list[tuple[int, dict]]) -> tuple[int, int, list[RowError]]:
    inspectors = await _existing_ids(Inspector, "cert_no", [v["cert_no"] for _, v in records])
    targets = await _existing_ids(Target, "credit_code", [v["credit_code"] for _, v in records])
    errors = []
    for row, values in records:
        if values["cert_no"] not in inspectors:
            errors.append(
                RowError(
                    row,
                    "执法证号",
                    "执法检查人员名录库中没有此人 (unknown inspector)",
                    values["cert_no"],
                    "先导入执法检查人员：`shuangsuiji import inspectors 人员.csv`，或改正证号",
                )
            )
        if values["credit_code"] not in targets:
            errors.append(
                RowError(
                    row,
                    "统一社会信用代码",
                    "抽查对象名录库中没有该对象 (unknown target)",
                    values["credit_code"],
                    "先导入抽查对象：`shuangsuiji import targets 对象.csv`，或改正代码",
                )
            )
    if errors:
        return 0, 0, errors
    created = updated = 0
    for _, values in records:
        inspector_id, target_id = inspectors[values["cert_no"]], targets[values["credit_code"]]
        conflict = await Conflict.get_or_none(inspector_id=inspector_id, target_id=target_id)
        if conflict is None:
            await Conflict.create(
                inspector_id=inspector_id, target_id=target_id, reason=values["reason"]
            )
            created += 1
        else:
            conflict.reason = values["reason"]
            await conflict.save(update_fields=["reason", "updated_at"])
            updated += 1
    return created, updated, []
