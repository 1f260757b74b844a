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


async def _regions(region_paths: tuple[str, ...]) -> dict[int, str]:
    """Department id -> code, for every department in the regions' subtrees (a few hundred at
    most: read once, so the big scan needs no join)."""
    conn = connections.get("default")
    _, rows = await conn.execute_query('SELECT "id", "code", "path" FROM "department"')
    return {
        int(r[0]): str(r[1]) for r in rows if any(str(r[2]).startswith(p) for p in region_paths)
    }


async def read_targets(scope: Scope) -> TargetCandidates:
    conn = connections.get("default")
    capped = await _capped_targets(scope.year)
    regions = await _regions(scope.region_paths)
    result = TargetCandidates()
    if not regions:
        return result
    # Ids come from the database as integers: inlined, they never hit a parameter limit.
    mark = _placeholder(conn.capabilities.dialect, 1)
    # High risk is one column computed by the database: fewer values to fetch and convert.
    high_risk = (
        f"(bad_record OR serious_violation OR complaints >= {int(scope.high_risk_complaints)})"
    )
    sql = (
        f"SELECT id, credit_code, categories, status, risk_class, {high_risk}, region_id "
        f"FROM target WHERE id > {mark} "
        f"AND region_id IN ({', '.join(map(str, sorted(regions)))}) ORDER BY id LIMIT {CHUNK}"
    )
    # Verdicts by the raw categories text: a million rows share a few hundred distinct values.
    verdicts: dict = {}
    strata: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
    high: list[str] = []
    exclusions = result.exclusions
    last_id = 0
    while True:
        _, rows = await conn.execute_query(sql, [last_id])
        if not rows:
            break
        last_id = int(rows[-1][0])
        result.scanned += len(rows)
        for target_id, code, raw, status, risk, risky, region in rows:
            if status != "operating":
                exclusions[f"status_{status}"] += 1
                continue
            key = raw if isinstance(raw, str) else json.dumps(raw)
            verdict = verdicts.get(key, False)
            if verdict is False:
                verdict = verdicts[key] = _category_verdict(_loads(raw), scope)
            if verdict:
                exclusions[verdict] += 1
                continue
            if scope.risk_filter and risk not in scope.risk_filter:
                exclusions["filter_risk_class"] += 1
                continue
            if risky:
                high.append(code)
            elif int(target_id) in capped:
                exclusions["yearly_cap"] += 1
            else:
                strata[(int(region), risk)].append(code)
    named = {stratum_of(regions[r], risk, False): codes for (r, risk), codes in strata.items()}
    if high:
        named[HIGH_RISK_STRATUM] = high
    result.strata = {name: sorted(codes) for name, codes in sorted(named.items())}
    return result


def _category_verdict(categories, scope: Scope) -> str | None:
    found = set(categories or ())
    if scope.category_filter and not found & scope.category_filter:
        return "filter_category"
    if not found & scope.categories:
        return "no_applicable_item"
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
