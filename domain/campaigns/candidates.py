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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tortoise import connections

from domain.draw.compute import line_ids, sorted_lines
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
    # stratum -> its credit codes one per line, sorted (as frozen: no Python string per id)
    strata: dict[str, str] = field(default_factory=dict)
    exclusions: Counter = field(default_factory=Counter)
    scanned: int = 0
    # SQLite: the candidates counted by (categories as stored, jurisdiction id, stratum), for
    # the staffing checks without a scan of their own; None where the database judged the
    # categories (PostgreSQL), which keeps no category list per group.
    groups: list[tuple[str, int | None, str, int]] | None = None


# The stored form: a one-line JSON header, then the strata's texts back to back, unescaped, so
# that a big pool's line ends are not escaped at prepare and unescaped at every reveal. Rows
# in the older format are one JSON document and are still read.
FROZEN_FORMAT = "ssj-frozen/2"
_FROZEN_START = '{"format":"' + FROZEN_FORMAT + '"'


def frozen_text(candidates: dict) -> str:
    """`candidates` ({"strata": {name: ids one per line}, "pool": [...]}) as stored."""
    strata = frozen_lines(candidates)
    header = {
        "format": FROZEN_FORMAT,
        "pool": candidates.get("pool", []),
        "strata": [[name, len(text)] for name, text in strata.items()],
    }
    # json.dumps escapes line ends inside strings: the header is one line.
    return (
        json.dumps(header, ensure_ascii=False, separators=(",", ":"))
        + "\n"
        + "".join(strata.values())
    )


def parse_frozen(text: str) -> dict:
    """The inverse of `frozen_text` (and the JSON documents stored before it)."""
    if not text.startswith(_FROZEN_START):
        return json.loads(text)
    end = text.index("\n")
    header = json.loads(text[:end])
    strata, at = {}, end + 1
    for name, length in header["strata"]:
        strata[name] = text[at : at + length]
        at += length
    return {"strata": strata, "pool": header["pool"]}


async def frozen_candidates(draw_id: int) -> dict:
    """What `prepare` froze for the draw: {"strata": ..., "pool": ...} ({} if nothing)."""
    from domain.storage.models import DrawCandidates

    row = await DrawCandidates.get_or_none(draw_id=draw_id)
    return parse_frozen(row.candidates) if row else {}


async def save_frozen(draw, candidates: dict) -> None:
    """Store `candidates` ({"strata": {name: ids one per line}, "pool": [...]}) for `draw`."""
    from domain.storage.models import DrawCandidates

    await DrawCandidates.create(draw=draw, candidates=frozen_text(candidates))


def frozen_lines(candidates: dict | None) -> dict[str, str]:
    """The stored candidate lists, each as its ids one per line (drafts stored before the
    lists were frozen as text hold JSON lists)."""
    strata = (candidates or {}).get("strata", {})
    return {name: "\n".join(ids) if isinstance(ids, list) else ids for name, ids in strata.items()}


def frozen_strata(candidates: dict | None) -> dict[str, list[str]]:
    """The stored candidate lists, as lists of ids."""
    return {name: line_ids(text) for name, text in frozen_lines(candidates).items()}


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
    """The rows of each query, READERS queries at a time. PostgreSQL's connections come from a
    pool; an SQLite file (in WAL mode) is read by side connections, each running its share of
    the queries in a thread of its own (sqlite3 lets go of the GIL while it works)."""
    uri = _side_uri(conn)
    if uri is None:
        at_once = asyncio.Semaphore(READERS)

        async def shared(sql: str) -> list:
            async with at_once:
                if conn.capabilities.dialect != "postgres":
                    return (await conn.execute_query(sql))[1]
                async with conn.acquire_connection() as raw, raw.transaction():
                    await raw.execute(f"SET LOCAL work_mem = '{GROUPING_MEMORY}'")
                    return await raw.fetch(sql)

        return list(await asyncio.gather(*(shared(q) for q in queries)))

    def side(share: list[str]) -> list[list]:
        reader = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            return [reader.execute(sql).fetchall() for sql in share]
        finally:
            reader.close()

    shares = await asyncio.gather(
        *(asyncio.to_thread(side, queries[n::READERS]) for n in range(READERS))
    )
    return [rows for share in shares for rows in share]


async def read_targets(scope: Scope) -> TargetCandidates:
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
    # Targets at the yearly cap, found once (not once per range, as a subquery would be).
    capped_ids: list[int] = []
    if scope.yearly_cap:
        _, rows = await conn.execute_query(
            f"SELECT target_id FROM task WHERE year = {int(scope.year)} "
            f"AND state <> 'cancelled' GROUP BY target_id HAVING COUNT(*) >= {YEARLY_CAP}"
        )
        capped_ids = sorted(int(r[0]) for r in rows)
    in_regions = ", ".join(map(str, sorted(regions)))

    # PostgreSQL judges the categories itself; SQLite groups by the stored JSON text (cheap
    # there) and each distinct text is judged here once.
    judged = "categories" if dialect != "postgres" else _verdict_sql(scope)

    def chunk_sql(start: int) -> str:
        end = start + CHUNK
        in_range = capped_ids[bisect_left(capped_ids, start) : bisect_left(capped_ids, end)]
        key = _key_sql(dialect, scope, in_range)
        return (
            f"SELECT k, v, j, COUNT(*), {join} FROM (SELECT credit_code, {judged} AS v, "
            f"{key} AS k, jurisdiction_id AS j FROM target WHERE region_id IN ({in_regions}) "
            f"AND id >= {start} AND id < {end}) keyed GROUP BY k, v, j"
        )

    counts: Counter = Counter()
    texts: defaultdict[tuple[int, str | None], list[str]] = defaultdict(list)
    verdicts: dict = {}
    # Id ranges rather than the whole table at once: the database's memory stays flat, and
    # ranges are read in parallel.
    found = await _read_all(conn, [chunk_sql(s) for s in range(low, high + 1, CHUNK)])
    signatures: Counter = Counter()
    for rows in found:
        for key, judgement, jurisdiction, count, codes in rows:
            if judgement not in verdicts:
                verdicts[judgement] = (
                    VERDICTS[judgement]
                    if isinstance(judgement, int)
                    else _category_verdict(judgement, scope)
                )
            group = (int(key), verdicts[judgement])
            counts[group] += int(count)
            texts[group].append(codes)
            if dialect != "postgres":
                signatures[(int(key), judgement, jurisdiction)] += int(count)
    result.scanned = sum(counts.values())
    strata: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
    high_risk: list[str] = []
    exclusions = result.exclusions
    stratum: dict[int, str] = {}  # key -> the stratum of its candidates
    for (key, verdict), count in counts.items():
        region, risk, status, risky, capped = _decode(key)
        if status:
            name = STATUSES[status] if status < len(STATUSES) else "other"
            exclusions[f"status_{name}"] += count
        elif verdict:
            exclusions[verdict] += count
        elif scope.risk_filter and risk not in scope.risk_filter:
            exclusions["filter_risk_class"] += count
        elif risky:  # high risk lifts the yearly cap
            high_risk += texts[key, verdict]
            stratum[key] = HIGH_RISK_STRATUM
        elif capped:
            exclusions["yearly_cap"] += count
        else:
            strata[(region, risk)] += texts[key, verdict]
            stratum[key] = stratum_of(regions[region], risk, False)
    if dialect != "postgres":
        counted: Counter = Counter()
        for (key, judgement, j), count in signatures.items():
            if key in stratum and verdicts[judgement] is None:
                counted[(judgement, int(j) if j else None, stratum[key])] += count
        result.groups = sorted(
            ((*g, n) for g, n in counted.items()), key=lambda g: (g[0], g[1] or 0, g[2])
        )
    named = {stratum_of(regions[r], risk, False): texts for (r, risk), texts in strata.items()}
    if high_risk:
        named[HIGH_RISK_STRATUM] = high_risk
    result.strata = {name: sorted_lines("\n".join(named[name])) for name in sorted(named)}
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
