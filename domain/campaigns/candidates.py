"""Reading who can be drawn for a campaign, in chunks, with every exclusion counted by reason.

Targets are read with plain SQL in id-ordered chunks: a million ORM objects would not fit the
memory budget, and only the credit code and the stratum of each candidate are kept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from tortoise import connections

CHUNK = 50_000
HIGH_RISK_STRATUM = "high-risk"


@dataclass(frozen=True)
class Scope:
    department_path: str  # the campaign's department: inspectors come from this subtree
    region_paths: tuple[str, ...]  # targets come from these subtrees
    categories: frozenset[str]  # categories the campaign's items apply to (after 定向 filters)
    risk_filter: frozenset[str]  # empty: every class
    category_filter: frozenset[str]  # empty: every category of the items
    year: int
    high_risk_complaints: int
    exclude_task_ids_of_campaign: int | None = None


@dataclass
class TargetCandidates:
    strata: dict[str, list[str]] = field(default_factory=dict)  # stratum -> credit codes
    exclusions: Counter = field(default_factory=Counter)
    scanned: int = 0


def _loads(value):
    return json.loads(value) if isinstance(value, str) else value


def _placeholder(dialect: str, n: int) -> str:
    return f"${n}" if dialect == "postgres" else "?"


def stratum_of(region_code: str, risk_class: str, high_risk: bool) -> str:
    return HIGH_RISK_STRATUM if high_risk else f"{region_code}:{risk_class}"


async def _capped_targets(year: int) -> set[int]:
    """Targets already inspected or scheduled twice this year (cancelled tasks don't count)."""
    conn = connections.get("default")
    mark = _placeholder(conn.capabilities.dialect, 1)
    _, rows = await conn.execute_query(
        f"SELECT target_id FROM task WHERE year = {mark} AND state <> 'cancelled' "
        "GROUP BY target_id HAVING COUNT(*) >= 2",
        [year],
    )
    return {int(r["target_id"]) for r in rows}


async def read_targets(scope: Scope) -> TargetCandidates:
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    capped = await _capped_targets(scope.year)
    result = TargetCandidates()
    strata: defaultdict[str, list[str]] = defaultdict(list)
    like = " OR ".join(
        f"d.path LIKE {_placeholder(dialect, i + 2)} ESCAPE '\\'"
        for i in range(len(scope.region_paths))
    )
    sql = (
        "SELECT t.id, t.credit_code, t.categories, t.status, t.risk_class, t.complaints, "
        "t.bad_record, t.serious_violation, d.code AS region_code "
        "FROM target t JOIN department d ON d.id = t.region_id "
        f"WHERE t.id > {_placeholder(dialect, 1)} AND ({like}) ORDER BY t.id LIMIT {CHUNK}"
    )
    prefixes = [p.replace("%", r"\%").replace("_", r"\_") + "%" for p in scope.region_paths]
    last_id = 0
    while True:
        _, rows = await conn.execute_query(sql, [last_id, *prefixes])
        if not rows:
            break
        last_id = int(rows[-1]["id"])
        result.scanned += len(rows)
        for row in rows:
            reason = _exclusion(row, scope, capped)
            if reason:
                result.exclusions[reason] += 1
                continue
            high = _high_risk(row, scope.high_risk_complaints)
            strata[stratum_of(row["region_code"], row["risk_class"], high)].append(
                row["credit_code"]
            )
    result.strata = {name: sorted(codes) for name, codes in sorted(strata.items())}
    return result


def _high_risk(row, threshold: int) -> bool:
    return (
        bool(row["bad_record"])
        or bool(row["serious_violation"])
        or (int(row["complaints"]) >= threshold)
    )


def _exclusion(row, scope: Scope, capped: set[int]) -> str | None:
    if row["status"] != "operating":
        return f"status_{row['status']}"
    categories = set(_loads(row["categories"]) or ())
    if scope.category_filter and not categories & scope.category_filter:
        return "filter_category"
    if not categories & scope.categories:
        return "no_applicable_item"
    if scope.risk_filter and row["risk_class"] not in scope.risk_filter:
        return "filter_risk_class"
    if int(row["id"]) in capped and not _high_risk(row, scope.high_risk_complaints):
        return "yearly_cap"
    return None


@dataclass(frozen=True)
class PoolMember:
    cert_no: str
    name: str
    department_path: str
    cert_valid_until: dt.date
    specialties: tuple[str, ...]
    patch_code: str | None
    is_expert: bool
    active: bool


async def read_pool(department_path: str) -> list[PoolMember]:
    """Everyone in the directories of the campaign's department and the departments below."""
    conn = connections.get("default")
    mark = _placeholder(conn.capabilities.dialect, 1)
    _, rows = await conn.execute_query(
        "SELECT i.cert_no, i.name, d.path, i.cert_valid_until, i.specialties, p.code AS patch, "
        "i.is_expert, i.active FROM inspector i JOIN department d ON d.id = i.department_id "
        f"LEFT JOIN department p ON p.id = i.patch_id WHERE d.path LIKE {mark} ESCAPE '\\' "
        "ORDER BY i.cert_no",
        [department_path.replace("%", r"\%").replace("_", r"\_") + "%"],
    )
    return [
        PoolMember(
            cert_no=r["cert_no"],
            name=r["name"],
            department_path=r["path"],
            cert_valid_until=_date(r["cert_valid_until"]),
            specialties=tuple(_loads(r["specialties"]) or ()),
            patch_code=r["patch"],
            is_expert=bool(r["is_expert"]),
            active=bool(r["active"]),
        )
        for r in rows
    ]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def ratio_for(stratum: str, ratios: dict[str, Decimal]) -> Decimal:
    if stratum == HIGH_RISK_STRATUM:
        return ratios["high"]
    return ratios[stratum.rsplit(":", 1)[1]]
