"""What the team rules need to know about the drawn targets, read at the reveal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tortoise import connections

from domain.campaigns.candidates import _loads, _read_all
from domain.draw.teams import Inspector, TargetFacts
from domain.storage.models import Inspector as InspectorModel
from domain.storage.models import MemberStatus

# Drawn codes (or ids) per SQLite query: statements far under its 1 MB limit (they are
# inlined), and several queries to read side by side. PostgreSQL takes them all in one query
# (scanning the table once, in parallel).
CHUNK = 5_000
# Inspector cert numbers per ORM query: under SQLite's historical 999 bound parameters.
CERT_CHUNK = 900


@dataclass(frozen=True, slots=True)
class DrawnTarget:
    id: int
    categories: frozenset[str]  # all of the target's, as stored
    jurisdiction_id: int | None


async def drawn_targets(codes: list[str]) -> dict[str, DrawnTarget]:
    """The targets of these credit codes (those still in the directory), by credit code."""
    conn = connections.get("default")
    select = 'SELECT "id", "credit_code", "categories", "jurisdiction_id" FROM "target" WHERE '
    if conn.capabilities.dialect == "postgres":
        # One array parameter: a literal list as long is slower to plan than to run.
        results = [
            (await conn.execute_query(select + '"credit_code" = ANY($1::text[])', [codes]))[1]
        ]
    else:
        results = await _read_all(conn, [select + _codes_in(c) for c in _chunks(codes, False)])
    # Tens of thousands of targets share a few category lists: decode each list once.
    categories_of: dict = {}
    found: dict[str, DrawnTarget] = {}
    for rows in results:
        for target_id, code, categories, jurisdiction in rows:
            key = categories if isinstance(categories, str) else repr(categories)
            if key not in categories_of:
                categories_of[key] = frozenset(
                    c for c in _loads(categories) or () if isinstance(c, str)
                )
            found[str(code)] = DrawnTarget(
                int(target_id), categories_of[key], int(jurisdiction) if jurisdiction else None
            )
    return found


async def target_facts(
    codes: list[str], scope_categories: frozenset[str], campaign_id: int
) -> tuple[dict[str, TargetFacts], dict[str, int]]:
    """Facts per credit code, and each target's database id."""
    targets = await drawn_targets(codes)
    facts = await facts_of(targets, scope_categories, campaign_id)
    return facts, {code: t.id for code, t in targets.items()}


async def facts_of(
    targets: dict[str, DrawnTarget], scope_categories: frozenset[str], campaign_id: int
) -> dict[str, TargetFacts]:
    """What the team rules need to know of `targets`. Plain SQL, its queries read side by side
    (`_read_all`): tens of thousands of drawn targets, and building ORM queries with long IN
    lists cost more than running them."""
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    _, departments = await conn.execute_query('SELECT "id", "code" FROM "department"')
    dept_code = {int(r[0]): str(r[1]) for r in departments}
    chunks = _chunks(sorted(t.id for t in targets.values()), postgres)
    conflicts: defaultdict[int, set[str]] = defaultdict(set)
    found = await _read_all(
        conn,
        [
            'SELECT c."target_id", i."cert_no" FROM "conflict" c '
            'JOIN "inspector" i ON i."id" = c."inspector_id" '
            f"WHERE {_ids_in('c.target_id', chunk, postgres)}"
            for chunk in chunks
        ],
    )
    for rows in found:
        for target_id, cert in rows:
            conflicts[int(target_id)].add(str(cert))
    previous = await _previous_teams(conn, chunks, campaign_id, postgres)
    # Most targets have equal sets (empty ones above all): one object per distinct set, not one
    # per target (a draw of 150,000 targets held 100 MB of copies).
    shared: dict[frozenset[str], frozenset[str]] = {}

    def one(values) -> frozenset[str]:
        found = frozenset(values)
        return shared.setdefault(found, found)

    facts: dict[str, TargetFacts] = {}
    for code, t in targets.items():
        facts[code] = TargetFacts(
            code,
            one(t.categories & scope_categories),
            dept_code.get(t.jurisdiction_id) if t.jurisdiction_id else None,
            one(conflicts.get(t.id, ())),
            one(previous.get(t.id, ())),
        )
    return facts


def _chunks(values: list, postgres: bool) -> list[list]:
    size = max(len(values), 1) if postgres else CHUNK
    return [values[start : start + size] for start in range(0, len(values), size)]


def _codes_in(codes: list[str]) -> str:
    """SQLite: "credit_code" is one of `codes` (inlined as string literals)."""
    return '"credit_code" IN (' + ", ".join("'" + c.replace("'", "''") + "'" for c in codes) + ")"


def _ids_in(column: str, ids, postgres: bool) -> str:
    """SQL: `column` is one of the database ids `ids` (integers: inlined, no parameters)."""
    listed = ",".join(str(int(i)) for i in ids)
    return f"{column} = ANY('{{{listed}}}'::int[])" if postgres else f"{column} IN ({listed})"


async def _previous_teams(
    conn, chunks: list[list[int]], campaign_id: int, postgres: bool
) -> dict[int, set[str]]:
    """The officers of each target's most recent earlier inspection (cancelled ones aside)."""
    latest: dict[int, int] = {}
    found = await _read_all(
        conn,
        [
            f'SELECT "target_id", "id" FROM "task" WHERE {_ids_in("target_id", chunk, postgres)} '
            f'AND "state" <> \'cancelled\' AND "campaign_id" <> {int(campaign_id)} ORDER BY "id"'
            for chunk in chunks
        ],
    )
    for rows in found:
        for target_id, task_id in rows:
            latest[int(target_id)] = int(task_id)
    if not latest:
        return {}
    task_to_target = {t: g for g, t in latest.items()}
    tasks = sorted(task_to_target)
    teams: defaultdict[int, set[str]] = defaultdict(set)
    found = await _read_all(
        conn,
        [
            'SELECT m."task_id", i."cert_no" FROM "team_member" m '
            'JOIN "inspector" i ON i."id" = m."inspector_id" '
            f"WHERE {_ids_in('m.task_id', chunk, postgres)} "
            f"AND m.\"status\" <> '{MemberStatus.RECUSED.value}'"
            for chunk in _chunks(tasks, postgres)
        ],
    )
    for rows in found:
        for task_id, cert in rows:
            teams[task_to_target[int(task_id)]].add(str(cert))
    return teams


def pool_from_snapshot(snapshot: list[dict]) -> list[Inspector]:
    import datetime as dt

    return [
        Inspector(
            cert_no=p["cert_no"],
            department_path=p["department_path"],
            cert_valid_until=dt.date.fromisoformat(p["cert_valid_until"]),
            specialties=frozenset(p["specialties"]),
            patch_code=p.get("patch_code"),
            is_expert=bool(p["is_expert"]),
            active=bool(p["active"]),
        )
        for p in snapshot
    ]


async def inspector_ids(cert_nos: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(cert_nos), CERT_CHUNK):
        chunk = cert_nos[start : start + CERT_CHUNK]
        for cert, id_ in await InspectorModel.filter(cert_no__in=chunk).values_list(
            "cert_no", "id"
        ):
            found[str(cert)] = int(id_)
    return found
