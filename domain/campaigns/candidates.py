"""Reading who can be drawn for a campaign, in chunks, with every exclusion counted by reason.

Targets are read with plain SQL in id-ordered chunks: a million ORM objects would not fit the
memory budget, and only the credit code and the stratum of each candidate are kept.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sqlite3
from bisect import bisect_left
from collections import Counter
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tortoise import connections

from domain.campaigns.spill import Spill
from domain.storage.plain_read import date_of
from domain.storage.wal_checkpoint import sqlite_file

CHUNK = 50_000
READERS = 2  # chunks read at once: the grouping runs in the database, on another core
# PostgreSQL's memory for grouping one chunk: its default (4MB) is just under what a chunk
# needs, and the grouping then sorts on disk.
GROUPING_MEMORY = "16MB"
HIGH_RISK_STRATUM = "high-risk"
# Tasks (not cancelled) a business may have in a campaign year before it is left out of the
# draw ("in principle at most twice a year"); key items and high-risk businesses are exempt.
YEARLY_CAP = 2


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
    # False when every item of the campaign is a key item (重点事项): those are not capped.
    yearly_cap: bool = True


@dataclass
class TargetCandidates:
    # stratum -> its candidates' credit codes, put aside on disk as they were read
    spill: Spill = field(default_factory=Spill)
    exclusions: Counter = field(default_factory=Counter)
    scanned: int = 0
    # The candidates counted by (categories as text, jurisdiction id, stratum), for the
    # staffing checks without a scan of their own.
    groups: list[tuple[str, int | None, str, int]] = field(default_factory=list)
    router: Router | None = None

    @property
    def eligible(self) -> dict[str, int]:
        """Stratum -> how many candidates it holds."""
        return {name: n for name, n in sorted(self.spill.counts.items()) if n}

    async def strata_of(self, codes: list[str]) -> dict[str, str]:
        """Which of `codes` are candidates, with their strata (asked of the database again,
        under the same rules: the read's own lists are on disk)."""
        return {} if self.router is None else await self.router.strata_of(codes)


def _loads(value):
    return json.loads(value) if isinstance(value, str) else value


def _placeholder(dialect: str, n: int) -> str:
    return f"${n}" if dialect == "postgres" else "?"


def stratum_of(region_code: str, risk_class: str, high_risk: bool) -> str:
    return HIGH_RISK_STRATUM if high_risk else f"{region_code}:{risk_class}"


STATUSES = ("operating", "closed", "deregistered")  # the key's status field; 3: any other
RISKS = "ABCD"  # the key's risk field is 1 + its index here (0: none of these)


def _key_sql(dialect: str, scope: Scope, capped_ids: list[int]) -> str:
    """One small integer per target holding what the rules read besides its categories, so
    that a million rows come back as a few groups and the rules run once per group.
    `capped_ids`: the targets at the yearly cap, of those this query reads."""
    position = "strpos" if dialect == "postgres" else "instr"
    status = " ".join(f"WHEN '{name}' THEN {n}" for n, name in enumerate(STATUSES))
    high = (
        "CASE WHEN bad_record OR serious_violation OR complaints >= "
        f"{int(scope.high_risk_complaints)} THEN 1 ELSE 0 END"
    )
    capped = (
        f"CASE WHEN id IN ({','.join(map(str, capped_ids))}) THEN 1 ELSE 0 END"
        if capped_ids
        else "0"
    )
    return (
        f"(((region_id * 8 + {position}('{RISKS}', risk_class)) * 4 "
        f"+ CASE status {status} ELSE 3 END) * 2 + {high}) * 2 + {capped}"
    )


def _decode(key: int) -> tuple[int, str, int, bool, bool]:
    """(region id, risk class, status field, high risk, capped) of a `_key_sql` key."""
    key, capped = divmod(key, 2)
    key, high = divmod(key, 2)
    key, status = divmod(key, 4)
    region, risk = divmod(key, 8)
    return region, RISKS[risk - 1] if risk else "", status, bool(high), bool(capped)


def _category_verdict(categories, scope: Scope) -> str | None:
    """Why a target of these categories (its JSON list, as stored) is out, if it is."""
    held = {c for c in _loads(categories) or () if isinstance(c, str)}
    if scope.category_filter and not held & scope.category_filter:
        return "filter_category"
    if not held & scope.categories:
        return "no_applicable_item"
    return None


VERDICTS = (None, "filter_category", "no_applicable_item")  # `_verdict_sql`'s numbers


def _text_array(values: frozenset[str]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))
    return f"ARRAY[{quoted}]::text[]"


def _verdict_sql(scope: Scope) -> str:
    """PostgreSQL: `_category_verdict` as an index into VERDICTS, computed by the database.
    Grouping by the jsonb list itself cost more than the rest of the read (hashing jsonb);
    `?|` matches the list's string elements, as `_category_verdict` does."""
    cases = []
    if scope.category_filter:
        cases.append(f"WHEN NOT categories ?| {_text_array(scope.category_filter)} THEN 1")
    cases.append(f"WHEN NOT categories ?| {_text_array(scope.categories)} THEN 2")
    return f"CASE {' '.join(cases)} ELSE 0 END"


async def _regions(region_paths: tuple[str, ...]) -> dict[int, str]:
    """Department id -> code, for every department in the regions' subtrees (a few hundred at
    most: read once, so the big scan needs no join)."""
    conn = connections.get("default")
    _, rows = await conn.execute_query('SELECT "id", "code", "path" FROM "department"')
    return {
        int(r[0]): str(r[1]) for r in rows if any(str(r[2]).startswith(p) for p in region_paths)
    }


def _side_uri(conn) -> str | None:
    """A read-only URI for another connection to the same SQLite file, if it is a file."""
    path = sqlite_file(conn)
    return None if path is None else Path(os.path.abspath(path)).as_uri() + "?mode=ro"


async def _read_all(conn, queries: list[str]) -> list[list]:
    """The rows of each query, in the queries' order (small results; `_each_result` hands big
    ones over as they come)."""
    found: list[list] = [[] for _ in queries]
    async with aclosing(_each_result(conn, queries)) as results:
        async for n, rows in results:
            found[n] = rows
    return found


async def _each_result(conn, queries: list[str]) -> AsyncGenerator[tuple[int, list], None]:
    """(Number, rows) of each query, in the order they come, READERS queries at a time: only the
    results not yet taken are held. PostgreSQL's connections come from a pool; an SQLite file
    (in WAL mode) is read by side connections, each in a thread of its own (sqlite3 lets go of
    the GIL while it works)."""
    uri = _side_uri(conn)
    readers: list = [None] * READERS
    if uri is not None:
        readers = [sqlite3.connect(uri, uri=True, check_same_thread=False) for _ in readers]

    async def run(reader, sql: str) -> list:
        if reader is not None:
            return await asyncio.to_thread(lambda: reader.execute(sql).fetchall())
        if conn.capabilities.dialect != "postgres":
            return (await conn.execute_query(sql))[1]
        async with conn.acquire_connection() as raw, raw.transaction():
            await raw.execute(f"SET LOCAL work_mem = '{GROUPING_MEMORY}'")
            return await raw.fetch(sql)

    todo = iter(enumerate(queries))
    pending: dict[asyncio.Future, tuple[int, object]] = {}

    def start(reader) -> None:
        n, sql = next(todo, (-1, None))
        if sql is not None:
            pending[asyncio.ensure_future(run(reader, sql))] = (n, reader)

    try:
        for reader in readers:
            start(reader)
        while pending:
            done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                n, reader = pending.pop(future)
                start(reader)
                yield n, future.result()
    finally:
        # Not cancelled: a thread cannot be stopped, and its connection is closed only after.
        await asyncio.gather(*pending, return_exceptions=True)
        for reader in readers:
            if reader is not None:
                reader.close()


@dataclass(frozen=True)
class Router:
    """Where a target goes, from the key and category verdict the database gave it: a stratum,
    or a reason it is out."""

    scope: Scope
    dialect: str
    regions: dict[int, str]  # department id -> code, in the campaign's regions
    capped_ids: list[int]  # targets at the yearly cap

    def place(self, key: int, verdict: str | None) -> tuple[str | None, str | None]:
        """(stratum, None) for a candidate, (None, reason) for a target left out."""
        region, risk, status, risky, capped = _decode(key)
        if status:
            return None, f"status_{STATUSES[status] if status < len(STATUSES) else 'other'}"
        if verdict:
            return None, verdict
        if self.scope.risk_filter and risk not in self.scope.risk_filter:
            return None, "filter_risk_class"
        if risky:  # high risk lifts the yearly cap
            return HIGH_RISK_STRATUM, None
        if capped:
            return None, "yearly_cap"
        return stratum_of(self.regions[region], risk, False), None

    def judged(self) -> str:
        """PostgreSQL judges the categories itself; SQLite groups by the stored JSON text
        (cheap there) and each distinct text is judged here once."""
        return "categories" if self.dialect != "postgres" else _verdict_sql(self.scope)

    def verdict(self, judgement) -> str | None:
        if isinstance(judgement, int):
            return VERDICTS[judgement]
        return _category_verdict(judgement, self.scope)

    async def strata_of(self, codes: list[str]) -> dict[str, str]:
        conn = connections.get("default")
        key = _key_sql(self.dialect, self.scope, self.capped_ids)
        found: dict[str, str] = {}
        for start in range(0, len(codes), LOOKUP):
            part = codes[start : start + LOOKUP]
            marks = ", ".join(_placeholder(self.dialect, n + 1) for n in range(len(part)))
            _, rows = await conn.execute_query(
                f"SELECT credit_code, {self.judged()}, {key} FROM target WHERE region_id IN "
                f"({', '.join(map(str, sorted(self.regions)))}) AND credit_code IN ({marks})",
                part,
            )
            for code, judgement, k in rows:
                stratum, _ = self.place(int(k), self.verdict(judgement))
                if stratum is not None:
                    found[str(code)] = stratum
        return found


LOOKUP = 500  # codes per lookup query: under every backend's parameter limit


async def _capped(conn, scope: Scope) -> list[int]:
    """Targets at the yearly cap, found once (not once per range, as a subquery would be)."""
    if not scope.yearly_cap:
        return []
    _, rows = await conn.execute_query(
        f"SELECT target_id FROM task WHERE year = {int(scope.year)} "
        f"AND state <> 'cancelled' GROUP BY target_id HAVING COUNT(*) >= {YEARLY_CAP}"
    )
    return sorted(int(r[0]) for r in rows)


async def read_targets(scope: Scope) -> TargetCandidates:
    """Every target of the scope's regions, each put in its stratum (on disk) or counted by
    why it is out. The caller closes `result.spill`."""
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    regions = await _regions(scope.region_paths)
    result = TargetCandidates()
    if not regions:
        return result
    _, bounds = await conn.execute_query('SELECT MIN("id"), MAX("id") FROM "target"')
    low, high = (int(v or 0) for v in bounds[0])
    # Department ids are integers: inlined, they never hit a parameter limit. The database
    # groups each range by key and category verdict (or list: a few distinct ones) and joins the
    # credit codes: a million rows come back as a few hundred strings.
    join = (
        "string_agg(credit_code, E'\\n')"
        if dialect == "postgres"
        else "group_concat(credit_code, char(10))"
    )
    # The categories as text, for the staffing check's groups (staffing.groups_of): SQLite's
    # verdict is that text already; PostgreSQL judges them itself, so they come beside it
    # rather than from a second scan of the table.
    categories = "CAST(categories AS TEXT)" if dialect == "postgres" else "NULL"
    capped_ids = await _capped(conn, scope)
    router = result.router = Router(scope, dialect, regions, capped_ids)
    in_regions = ", ".join(map(str, sorted(regions)))

    def chunk_sql(start: int) -> str:
        end = start + CHUNK
        in_range = capped_ids[bisect_left(capped_ids, start) : bisect_left(capped_ids, end)]
        key = _key_sql(dialect, scope, in_range)
        return (
            f"SELECT k, v, j, c, COUNT(*), {join} FROM (SELECT credit_code, {router.judged()} AS"
            f" v, {key} AS k, jurisdiction_id AS j, {categories} AS c FROM target WHERE region_id"
            f" IN ({in_regions}) AND id >= {start} AND id < {end}) keyed GROUP BY k, v, j, c"
        )

    verdicts: dict = {}
    places: dict[tuple[int, str | None], tuple[str | None, str | None]] = {}
    signatures: Counter = Counter()
    # Id ranges rather than the whole table at once: the database's memory stays flat, and
    # ranges are read in parallel; each range's codes go to disk before the next is taken.
    queries = [chunk_sql(s) for s in range(low, high + 1, CHUNK)]
    async with aclosing(_each_result(conn, queries)) as found:
        async for _, rows in found:
            for key, judgement, jurisdiction, listed, count, codes in rows:
                if judgement not in verdicts:
                    verdicts[judgement] = router.verdict(judgement)
                group = (int(key), verdicts[judgement])
                if group not in places:
                    places[group] = router.place(*group)
                stratum, reason = places[group]
                result.scanned += int(count)
                if stratum is None:
                    result.exclusions[reason] += int(count)
                    continue
                result.spill.add(stratum, codes, int(count))
                j = int(jurisdiction) if jurisdiction else None
                signatures[(judgement if listed is None else listed, j, stratum)] += int(count)
    result.groups = sorted(
        ((*g, n) for g, n in signatures.items()), key=lambda g: (g[0], g[1] or 0, g[2])
    )
    return result


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
            cert_valid_until=date_of(r["cert_valid_until"]),
            specialties=tuple(_loads(r["specialties"]) or ()),
            patch_code=r["patch"],
            is_expert=bool(r["is_expert"]),
            active=bool(r["active"]),
        )
        for r in rows
    ]


def ratio_for(stratum: str, ratios: dict[str, Decimal]) -> Decimal:
    if stratum == HIGH_RISK_STRATUM:
        return ratios["high"]
    return ratios[stratum.rsplit(":", 1)[1]]
