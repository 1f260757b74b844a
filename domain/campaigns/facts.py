"""What the team rules need to know about the drawn targets, read at the reveal."""

from __future__ import annotations

import json
from collections import defaultdict

from domain.draw.teams import Inspector, TargetFacts
from domain.models import Conflict, Department, MemberStatus, Target, Task, TeamMember
from domain.models import Inspector as InspectorModel

CHUNK = 1000


def _loads(value):
    return json.loads(value) if isinstance(value, str) else value


async def target_facts(
    codes: list[str], scope_categories: frozenset[str], campaign_id: int
) -> tuple[dict[str, TargetFacts], dict[str, int]]:
    """Facts per credit code, and each target's database id."""
    dept_code = {int(i): str(c) for i, c in await Department.all().values_list("id", "code")}
    ids: dict[str, int] = {}
    facts: dict[str, TargetFacts] = {}
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        rows = await Target.filter(credit_code__in=chunk).values(
            "id", "credit_code", "categories", "jurisdiction_id"
        )
        by_id = {int(r["id"]): r for r in rows}
        conflicts: defaultdict[int, set[str]] = defaultdict(set)
        for target_id, cert in await Conflict.filter(target_id__in=list(by_id)).values_list(
            "target_id", "inspector__cert_no"
        ):
            conflicts[int(target_id)].add(str(cert))
        previous = await _previous_teams(list(by_id), campaign_id)
        for target_id, r in by_id.items():
            code = r["credit_code"]
            ids[code] = target_id
            facts[code] = TargetFacts(
                code,
                frozenset(_loads(r["categories"]) or ()) & scope_categories,
                dept_code.get(r["jurisdiction_id"]) if r["jurisdiction_id"] else None,
                frozenset(conflicts[target_id]),
                frozenset(previous.get(target_id, ())),
            )
    return facts, ids


async def _previous_teams(target_ids: list[int], campaign_id: int) -> dict[int, set[str]]:
    """The officers of each target's most recent earlier inspection (cancelled ones aside)."""
    latest: dict[int, int] = {}
    rows = (
        await Task.filter(target_id__in=target_ids)
        .exclude(state="cancelled")
        .exclude(campaign_id=campaign_id)
        .order_by("id")
        .values_list("target_id", "id")
    )
    for target_id, task_id in rows:
        latest[int(target_id)] = int(task_id)
    if not latest:
        return {}
    task_to_target = {t: g for g, t in latest.items()}
    teams: defaultdict[int, set[str]] = defaultdict(set)
    members = (
        await TeamMember.filter(task_id__in=list(task_to_target))
        .exclude(status=MemberStatus.RECUSED)
        .values_list("task_id", "inspector__cert_no")
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
