"""What the team rules need to know about the drawn targets, read at the reveal."""

from __future__ import annotations

from collections import defaultdict

from tortoise import connections

from domain.campaigns.candidates import _loads
from domain.draw.teams import Inspector, TargetFacts
from domain.models import Inspector as InspectorModel
from domain.models import MemberStatus

# Under SQLite's historical limit of 999 bound parameters per statement.
CHUNK = 900


async def target_facts(
    codes: list[str], scope_categories: frozenset[str], campaign_id: int
) -> tuple[dict[str, TargetFacts], dict[str, int]]:
    """Facts per credit code, and each target's database id. Plain SQL in chunks: tens of
    thousands of drawn targets, and building ORM queries with long IN lists cost more than
    running them."""
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    _, departments = await conn.execute_query('SELECT "id", "code" FROM "department"')
    dept_code = {int(r[0]): str(r[1]) for r in departments}
    ids: dict[str, int] = {}
    facts: dict[str, TargetFacts] = {}
    # Tens of thousands of targets share a few category lists: decode each list once.
    categories_of: dict = {}
    # PostgreSQL takes all the codes as one array parameter: a round trip per query, not per
    # chunk (planning long IN lists cost it more than running them).
    size = max(len(codes), 1) if postgres else CHUNK
    for start in range(0, len(codes), size):
        chunk = codes[start : start + size]
        if postgres:
            where, params = '"credit_code" = ANY($1::text[])', [chunk]
        else:
            where, params = f'"credit_code" IN ({", ".join("?" * len(chunk))})', chunk
        _, rows = await conn.execute_query(
            'SELECT "id", "credit_code", "categories", "jurisdiction_id" FROM "target" '
            f"WHERE {where}",
            params,
        )
        by_id = {int(r[0]): r for r in rows}
        if not by_id:
            continue
        conflicts: defaultdict[int, set[str]] = defaultdict(set)
        _, found = await conn.execute_query(
            'SELECT c."target_id", i."cert_no" FROM "conflict" c '
            'JOIN "inspector" i ON i."id" = c."inspector_id" '
            f"WHERE {_ids_in('c.target_id', by_id, postgres)}"
        )
        for target_id, cert in found:
            conflicts[int(target_id)].add(str(cert))
        previous = await _previous_teams(conn, list(by_id), campaign_id, postgres)
        for target_id, (_, code, categories, jurisdiction) in by_id.items():
            ids[code] = target_id
            key = categories if isinstance(categories, str) else repr(categories)
            if key not in categories_of:
                categories_of[key] = frozenset(_loads(categories) or ()) & scope_categories
            facts[code] = TargetFacts(
                code,
                categories_of[key],
                dept_code.get(int(jurisdiction)) if jurisdiction else None,
                frozenset(conflicts[target_id]),
                frozenset(previous.get(target_id, ())),
            )
    return facts, ids


def _ids_in(column: str, ids, postgres: bool) -> str:
    """SQL: `column` is one of the database ids `ids` (integers: inlined, no parameters)."""
    listed = ",".join(str(int(i)) for i in ids)
    return f"{column} = ANY('{{{listed}}}'::int[])" if postgres else f"{column} IN ({listed})"


async def _previous_teams(
    conn, target_ids: list[int], campaign_id: int, postgres: bool
) -> dict[int, set[str]]:
    """The officers of each target's most recent earlier inspection (cancelled ones aside)."""
    latest: dict[int, int] = {}
    _, rows = await conn.execute_query(
        f'SELECT "target_id", "id" FROM "task" WHERE {_ids_in("target_id", target_ids, postgres)} '
        f'AND "state" <> \'cancelled\' AND "campaign_id" <> {int(campaign_id)} ORDER BY "id"'
    )
    for target_id, task_id in rows:
        latest[int(target_id)] = int(task_id)
    if not latest:
        return {}
    task_to_target = {t: g for g, t in latest.items()}
    teams: defaultdict[int, set[str]] = defaultdict(set)
    _, members = await conn.execute_query(
        'SELECT m."task_id", i."cert_no" FROM "team_member" m '
        'JOIN "inspector" i ON i."id" = m."inspector_id" '
        f"WHERE {_ids_in('m.task_id', task_to_target, postgres)} "
        f"AND m.\"status\" <> '{MemberStatus.RECUSED.value}'"
    )
    for task_id, cert in members:
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
    for start in range(0, len(cert_nos), CHUNK):
        chunk = cert_nos[start : start + CHUNK]
        for cert, id_ in await InspectorModel.filter(cert_no__in=chunk).values_list(
            "cert_no", "id"
        ):
            found[str(cert)] = int(id_)
    return found
