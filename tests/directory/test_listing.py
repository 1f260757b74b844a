"""The rows of `shuangsuiji list`, from each value as the drivers return it: sqlite3 gives a
decimal, a date and JSON as text and a boolean as 0/1; asyncpg (PostgreSQL, through the ORM's
connection) gives a Decimal, a date, a bool and JSONB as text. Both make the same row, the one
the ORM's objects made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.directory.listing import LISTINGS, RATIO_PLACES
from domain.storage.plain_read import fetch_all, fetch_through_orm

CASES = [
    (
        "departments",
        {"code": "329901", "name": "东城区", "path": "/3299/329901/"},
        {},
        ["  329901", "东城区"],
    ),
    (
        "items",
        {"code": "RF-1", "name": "检查", "kind": "key", "ratio_percent": "5.5", "active": 0},
        {"ratio_percent": Decimal("5.50"), "active": False},
        ["RF-1", "检查", "重点", "5.50%", "停用"],
    ),
    (
        "items",
        {"code": "RF-2", "name": "检查", "kind": "general", "ratio_percent": "10", "active": 1},
        {"ratio_percent": Decimal("10.00"), "active": True},
        ["RF-2", "检查", "一般", "10.00%", ""],
    ),
    (
        "targets",
        {
            "credit_code": "91329901MA0000000X",
            "name": "某公司",
            "region": "东城区",
            "categories": '["\\u4eba\\u9632", "b"]',
            "status": "deregistered",
            "risk_class": "C",
        },
        {"categories": '["人防", "b"]'},
        ["91329901MA0000000X", "某公司", "东城区", "人防;b", "注销", "C"],
    ),
    (
        "inspectors",
        {
            "cert_no": "A1",
            "name": "张三",
            "department": "东城区",
            "cert_valid_until": "2028-02-29",
            "is_expert": 1,
            "active": 0,
        },
        {"cert_valid_until": dt.date(2028, 2, 29), "is_expert": True, "active": False},
        ["A1", "张三", "东城区", "2028-02-29", "专家、不在岗"],
    ),
    (
        "conflicts",
        {
            "cert_no": "A1",
            "inspector": "张三",
            "credit_code": "91329901MA0000000X",
            "target": "某公司",
            "reason": "亲属",
        },
        {},
        ["A1 张三", "91329901MA0000000X 某公司", "亲属"],
    ),
]


@pytest.mark.parametrize(("kind", "from_sqlite", "from_postgres", "row"), CASES)
def test_both_drivers_values_make_the_same_row(kind, from_sqlite, from_postgres, row):
    _, make = LISTINGS[kind]
    assert make(from_sqlite) == row
    assert make({**from_sqlite, **from_postgres}) == row


def test_a_ratio_is_shown_to_the_places_of_its_field():
    from domain.storage.models import InspectionItem

    places = InspectionItem._meta.fields_map["ratio_percent"].decimal_places
    assert RATIO_PLACES.as_tuple().exponent == -places


async def test_the_direct_read_and_the_orms_make_the_same_rows(shuangsuiji, migrated_db_url):
    """sqlite3 on SQLite, asyncpg on PostgreSQL; and the ORM's connection, which a database
    that needs a migration goes through."""
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    for kind, (sql, make) in LISTINGS.items():
        through_orm = [make(record) for record in await fetch_through_orm(migrated_db_url, sql)]
        assert through_orm, kind
        assert [make(record) for record in await fetch_all(migrated_db_url, sql)] == through_orm
