"""The records of each directory as rows of text cells, for `shuangsuiji list` (which adds the
column headings and aligns them; words come from the import format's labels, `values`).

Read with plain SQL (`storage.plain_read`), so that a listing answers without loading the ORM;
each value is taken as the ORM would give it (a decimal to its field's places, a date, JSON)
from whichever type the driver returns, so the rows are the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from domain.directory import values as v
from domain.rules.directory_terms import ItemKind, TargetStatus
from domain.storage.plain_read import date_of, fetch_all, read_now

Row = list[str]
Record = Mapping[str, Any]

RATIO_PLACES = Decimal("0.01")  # InspectionItem.ratio_percent: decimal_places=2


def _json_list(value: Any) -> list[str]:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _department(d: Record) -> Row:
    return [f"{'  ' * (d['path'].count('/') - 2)}{d['code']}", d["name"]]


def _item(i: Record) -> Row:
    return [
        i["code"],
        i["name"],
        v.KIND_LABEL[ItemKind(i["kind"])],
        f"{Decimal(i['ratio_percent']).quantize(RATIO_PLACES)}%",
        "" if i["active"] else "停用",
    ]


def _target(t: Record) -> Row:
    return [
        t["credit_code"],
        t["name"],
        t["region"],
        ";".join(_json_list(t["categories"])),
        v.STATUS_LABEL[TargetStatus(t["status"])],
        t["risk_class"],
    ]


def _inspector(i: Record) -> Row:
    return [
        i["cert_no"],
        i["name"],
        i["department"],
        str(date_of(i["cert_valid_until"])),
        "、".join(n for n, on in (("专家", i["is_expert"]), ("不在岗", not i["active"])) if on),
    ]


def _conflict(c: Record) -> Row:
    return [
        f"{c['cert_no']} {c['inspector']}",
        f"{c['credit_code']} {c['target']}",
        c["reason"],
    ]


# Each kind's query (identifiers quoted alike on SQLite and PostgreSQL) and its row. The joins
# follow foreign keys that cannot be null, so they keep every record, in the order asked for.
LISTINGS: dict[str, tuple[str, Callable[[Record], Row]]] = {
    "departments": ('SELECT "code", "name", "path" FROM "department" ORDER BY "path"', _department),
    "items": (
        'SELECT "code", "name", "kind", "ratio_percent", "active" FROM "inspection_item" '
        'ORDER BY "code"',
        _item,
    ),
    "targets": (
        'SELECT t."credit_code", t."name", r."name" AS "region", t."categories", t."status", '
        't."risk_class" FROM "target" t JOIN "department" r ON r."id" = t."region_id" '
        'ORDER BY t."credit_code"',
        _target,
    ),
    "inspectors": (
        'SELECT i."cert_no", i."name", d."name" AS "department", i."cert_valid_until", '
        'i."is_expert", i."active" FROM "inspector" i '
        'JOIN "department" d ON d."id" = i."department_id" ORDER BY i."cert_no"',
        _inspector,
    ),
    "conflicts": (
        'SELECT i."cert_no", i."name" AS "inspector", t."credit_code", t."name" AS "target", '
        'c."reason" FROM "conflict" c JOIN "inspector" i ON i."id" = c."inspector_id" '
        'JOIN "target" t ON t."id" = c."target_id" ORDER BY c."id"',
        _conflict,
    ),
}


def _query(kind: str, limit: int) -> str:
    sql = LISTINGS[kind][0]
    return f"{sql} LIMIT {int(limit)}" if limit > 0 else sql


def records_now(db_url: str, kind: str, limit: int) -> list[Row] | None:
    """`list_records` without the event loop, or None when the database must first go the
    ORM's way (not an SQLite file, or a migration pending): then `list_records`."""
    found = read_now(db_url, _query(kind, limit))
    return None if found is None else [LISTINGS[kind][1](record) for record in found]


async def list_records(db_url: str, kind: str, limit: int) -> list[Row]:
    """At most `limit` records of `kind` (all when `limit` is 0), in the order of their key."""
    found = await fetch_all(db_url, _query(kind, limit))
    return [LISTINGS[kind][1](record) for record in found]
