"""Writing a revealed draw's rows: tasks, team members and their assignment notifications.

Plain multi-row INSERTs on the reveal's transaction connection rather than ORM objects: a draw
of 30,000 targets writes ~150,000 rows, and building a model instance per row cost more than
the draw itself. The columns written are those the models require; the rest take their NULL
defaults. Values are what the ORM would store (enum values, JSON text, aware datetimes, which
tortoise's SQLite adapter and asyncpg both accept).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.draw.teams import Member

BATCH = 2000


async def insert(
    conn: BaseDBAsyncClient, table: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """Rows from an iterable, written BATCH at a time: never all of them in memory."""
    postgres = conn.capabilities.dialect == "postgres"
    marks = ", ".join(f"${n}" if postgres else "?" for n in range(1, len(columns) + 1))
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        await conn.execute_many(sql, batch)


async def save_tasks(
    conn: BaseDBAsyncClient,
    campaign,
    draw_id: int,
    codes: Sequence[str],
    target_ids: Mapping[str, int],
    stratum_of: Mapping[str, str],
    ticket_of: Mapping[str, str],
    items_of: Mapping[str, list[str]],
    now: dt.datetime,
) -> dict[str, int]:
    """Tasks numbered in drawing order; returns each drawn credit code's task id."""
    year = campaign.start_date.year
    # Most targets share one list of items: its JSON text is made once per distinct list.
    items_json: dict[tuple[str, ...], str] = {}
    for items in items_of.values():
        if tuple(items) not in items_json:
            items_json[tuple(items)] = json.dumps(items, ensure_ascii=False)
    rows = (
        (
            now,
            now,
            f"{campaign.code}-{n:04d}",
            stratum_of[code],
            ticket_of[code][:100],
            items_json[tuple(items_of[code])],
            "drawn",
            campaign.due_date,
            year,
            campaign.id,
            draw_id,
            target_ids[code],
        )
        for n, code in enumerate(codes, start=1)
    )
    await insert(
        conn,
        "task",
        (
            "created_at",
            "updated_at",
            "number",
            "stratum",
            "ticket",
            "item_codes",
            "state",
            "due_date",
            "year",
            "campaign_id",
            "draw_id",
            "target_id",
        ),
        rows,
    )
    mark = "$1" if conn.capabilities.dialect == "postgres" else "?"
    _, found = await conn.execute_query(
        f'SELECT "id", "target_id" FROM "task" WHERE "campaign_id" = {mark}', [campaign.id]
    )
    code_of = {target_id: code for code, target_id in target_ids.items()}
    return {code_of[int(r[1])]: int(r[0]) for r in found if int(r[1]) in code_of}


async def save_members(
    conn: BaseDBAsyncClient,
    teams: Mapping[str, list[Member]],
    task_ids: Mapping[str, int],
    people: Mapping[str, int],
    now: dt.datetime,
) -> None:
    rows = (
        (now, now, m.role, m.ticket[:100], "assigned", people[m.cert_no], task_ids[code])
        for code, members in teams.items()
        for m in members
    )
    await insert(
        conn,
        "team_member",
        ("created_at", "updated_at", "role", "ticket", "status", "inspector_id", "task_id"),
        rows,
    )


async def notify_members(
    conn: BaseDBAsyncClient,
    teams: Mapping[str, list[Member]],
    task_ids: Mapping[str, int],
    people: Mapping[str, int],
    campaign_code: str,
    now: dt.datetime,
) -> None:
    """One private assignment message per team member (the bot renders and sends it)."""
    # The payload {"task_id", "campaign", "role"} as json.dumps writes it, without a call per
    # row (roles are plain ASCII words; the campaign code is encoded once).
    campaign_json = json.dumps(campaign_code, ensure_ascii=False)

    def rows() -> Iterator[tuple]:
        for code, members in teams.items():
            task_id = task_ids[code]
            for m in members:
                person = people[m.cert_no]
                yield (
                    "inspector",
                    person,
                    "assignment",
                    f'{{"task_id": {task_id}, "campaign": {campaign_json}, "role": "{m.role}"}}',
                    f"assignment:{task_id}:{person}",
                    "pending",
                    0,
                    now,
                    now,
                )

    await insert(
        conn,
        "outbox_message",
        (
            "recipient_kind",
            "recipient_id",
            "kind",
            "payload",
            "dedupe_key",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
        ),
        rows(),
    )
