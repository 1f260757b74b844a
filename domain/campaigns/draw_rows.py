"""Writing a revealed draw's rows: tasks, team members and their assignment notifications.

Plain INSERTs (COPY on PostgreSQL) on the reveal's transaction connection rather than ORM
objects: a draw of 30,000 targets writes ~150,000 rows, and building a model instance per row
cost more than the draw itself. The columns written are those the models require; the rest
take their NULL defaults. Values are what the ORM would store (enum values, JSON text, aware
datetimes, which tortoise's SQLite adapter and asyncpg both accept).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain.draw.teams import Member
from domain.messaging.kinds import ASSIGNMENT, assignment_key


async def insert(
    conn: BaseDBAsyncClient,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence],
    handed: asyncio.Event | None = None,
) -> None:
    """Rows from an iterable, streamed: never all of them in memory. `columns`: (name,
    PostgreSQL type) pairs. SQLite takes one executemany that pulls the rows as it goes, in the
    driver's thread (batches handed over from this thread one by one cost a third more: the
    hand-overs, and the two threads taking turns at the GIL). PostgreSQL takes COPY on the
    transaction's connection, several times quicker than INSERTs for tens of thousands of rows
    (values must then be of the columns' own types: JSON as text, times as aware datetimes).
    `handed` is set once this process has no more to do for the insert: on PostgreSQL when
    the last row is handed to the driver (the server then works on, checking foreign keys,
    for most of the time the insert takes, and the caller may compute meanwhile); on SQLite,
    which works in this process, when the insert is over. Set on failure too."""
    names = ", ".join(f'"{name}"' for name, _ in columns)
    rows = iter(rows)
    try:
        if conn.capabilities.dialect == "postgres":
            await _copy(conn, table, [name for name, _ in columns], rows, handed)
            return
        marks = ", ".join("?" for _ in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        # The driver's executemany takes any iterable; tortoise annotates a list.
        await conn.execute_many(sql, rows)  # type: ignore[arg-type]
    finally:
        if handed is not None:
            handed.set()


async def _copy(conn, table: str, names: list[str], rows: Iterator, handed) -> None:
    from asyncpg.exceptions import IntegrityConstraintViolationError

    def handing() -> Iterator[Sequence]:
        yield from rows
        if handed is not None:  # asyncpg sends the rest and ends the COPY before it waits
            handed.set()

    async with conn.acquire_connection() as raw:
        try:
            await raw.copy_records_to_table(table, records=handing(), columns=names)
        except IntegrityConstraintViolationError as exc:
            # What the ORM raises for the same violation, so callers catch one kind.
            raise IntegrityError(exc) from exc


def _sqlite_text(conn: BaseDBAsyncClient, value: dt.date) -> dt.date | str:
    """On SQLite, a date or time as the text tortoise's adapter would store, made once here
    rather than by an adapter call per row; PostgreSQL takes the value itself."""
    if conn.capabilities.dialect == "postgres":
        return value
    return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()


def task_number_width(tasks: int) -> int:
    """Digits of a campaign's task numbers: 4 (0001), more for a draw of 10,000 tasks or more,
    the same for all of its tasks, so that the numbers sort as text in drawing order (the notice
    names the first and the last; lists go by number)."""
    return max(4, len(str(tasks)))


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
    handed: asyncio.Event | None = None,
) -> dict[str, int]:
    """Tasks numbered in drawing order; returns each drawn credit code's task id."""
    year = campaign.start_date.year
    when, due = _sqlite_text(conn, now), _sqlite_text(conn, campaign.due_date)
    # Most targets share one list of items: its JSON text is made once per distinct list.
    items_json: dict[tuple[str, ...], str] = {}
    for items in items_of.values():
        if tuple(items) not in items_json:
            items_json[tuple(items)] = json.dumps(items, ensure_ascii=False)
    columns = [
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("number", "text"),
        ("stratum", "text"),
        ("ticket", "text"),
        ("item_codes", "jsonb"),
        ("state", "text"),
        ("due_date", "date"),
        ("year", "int4"),
        ("campaign_id", "int4"),
        ("draw_id", "int4"),
        ("target_id", "int4"),
    ]

    width = task_number_width(len(codes))

    def row(n: int, code: str) -> tuple:
        return (
            when,
            when,
            f"{campaign.code}-{n:0{width}d}",
            stratum_of[code],
            ticket_of[code][:100],
            items_json[tuple(items_of[code])],
            "drawn",
            due,
            year,
            campaign.id,
            draw_id,
            target_ids[code],
        )

    if conn.capabilities.dialect == "postgres":
        # Ids taken first, in drawing order (as the numbers), so that the rows can go in
        # target order: each foreign key check then finds its target at or after the last
        # one's page, where in drawing order every check would read a random page of a table
        # bigger than the server's cache.
        ids = await _next_ids(conn, "task", len(codes))
        task_ids = dict(zip(codes, ids, strict=True))
        in_target_order = sorted(range(len(codes)), key=lambda i: target_ids[codes[i]])
        rows = ((ids[i], *row(i + 1, codes[i])) for i in in_target_order)
        await insert(conn, "task", [("id", "int4"), *columns], rows, handed)
        return task_ids
    await insert(conn, "task", columns, (row(n, c) for n, c in enumerate(codes, 1)), handed)
    _, found = await conn.execute_query(
        'SELECT "id", "target_id" FROM "task" WHERE "campaign_id" = ?', [campaign.id]
    )
    code_of = {target_id: code for code, target_id in target_ids.items()}
    return {code_of[int(r[1])]: int(r[0]) for r in found if int(r[1]) in code_of}


RECORD_CHUNK = 1 << 20  # bytes of the record written at a time on SQLite


async def save_record(
    conn: BaseDBAsyncClient, draw_id: int, pieces: list[bytes | bytearray]
) -> None:
    """The draw's record, given as pieces of its UTF-8 (`record.seal_encoded`), each let go
    once written (`pieces` is emptied). Bound as one value, the record would be copied by the
    driver and again by the database, besides this process's own copy (95 MB more at 5 M
    targets). SQLite takes the pieces, through a temporary file, into a text of the record's
    size, in place; PostgreSQL takes them as rows of a temporary table and joins them."""
    pieces.reverse()  # taken from the end: each one freed as it goes
    if conn.capabilities.dialect == "postgres":
        await _record_by_rows(conn, draw_id, pieces)
        return
    async with conn.acquire_connection() as raw:
        # In the driver's thread, where its sqlite3 connection lives (aiosqlite runs each call
        # there; blob writes have no call of their own).
        await raw._execute(_write_blob, raw._conn, draw_id, pieces)


async def _record_by_rows(conn, draw_id: int, pieces: list[bytes | bytearray]) -> None:
    # Stored as given (EXTERNAL): compressing tens of MB of pieces only to join them took
    # most of the time.
    await conn.execute_script(
        'CREATE TEMPORARY TABLE "record_piece" ("n" int4, "piece" bytea) ON COMMIT DROP;'
        'ALTER TABLE "record_piece" ALTER "piece" SET STORAGE EXTERNAL'
    )
    await insert(
        conn,
        "record_piece",
        (("n", "int4"), ("piece", "bytea")),
        ((n, pieces.pop()) for n in range(len(pieces))),
    )
    await conn.execute_query(
        'UPDATE "draw" SET "record" = convert_from((SELECT string_agg("piece", \'\'::bytea '
        'ORDER BY "n") FROM "record_piece"), \'UTF8\') WHERE "id" = $1',
        [draw_id],
    )


def _write_blob(db, draw_id: int, pieces: list[bytes | bytearray]) -> None:
    # The pieces go to an unnamed temporary file first (owner-only, gone when closed), each let
    # go as it is written: SQLite then makes a text of the record's length (zero bytes, a copy
    # of that length for the statement's moment) while this process holds none of the record,
    # and the text is written over in place from the file.
    with tempfile.TemporaryFile() as spool:
        size = 0
        while pieces:
            size += spool.write(pieces.pop())
        db.execute(
            'UPDATE "draw" SET "record" = CAST(zeroblob(?) AS TEXT) WHERE "id" = ?',
            (size, draw_id),
        )
        spool.seek(0)
        with db.blobopen("draw", "record", draw_id) as blob:
            while chunk := spool.read(RECORD_CHUNK):
                blob.write(chunk)


async def _next_ids(conn, table: str, count: int) -> list[int]:
    """PostgreSQL: `count` new ids of `table`, ascending, taken from its sequence."""
    _, rows = await conn.execute_query(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)",
        [count],
    )
    return sorted(int(r[0]) for r in rows)


async def save_members(
    conn: BaseDBAsyncClient,
    teams: Mapping[str, list[Member]],
    task_ids: Mapping[str, int],
    people: Mapping[str, int],
    now: dt.datetime,
    handed: asyncio.Event | None = None,
) -> None:
    when = _sqlite_text(conn, now)
    rows = (
        (when, when, m.role, m.ticket[:100], "assigned", people[m.cert_no], task_ids[code])
        for code, members in teams.items()
        for m in members
    )
    await insert(
        conn,
        "team_member",
        (
            ("created_at", "timestamptz"),
            ("updated_at", "timestamptz"),
            ("role", "text"),
            ("ticket", "text"),
            ("status", "text"),
            ("inspector_id", "int4"),
            ("task_id", "int4"),
        ),
        rows,
        handed,
    )


OUTBOX_COLUMNS = (
    ("recipient_kind", "text"),
    ("recipient_id", "int8"),
    ("kind", "text"),
    ("payload", "jsonb"),
    ("dedupe_key", "text"),
    ("status", "text"),
    ("attempts", "int4"),
    ("next_attempt_at", "timestamptz"),
    ("created_at", "timestamptz"),
)


async def notify_members(
    conn: BaseDBAsyncClient,
    teams: Mapping[str, list[Member]],
    task_ids: Mapping[str, int],
    people: Mapping[str, int],
    campaign,
    draw_id: int,
    now: dt.datetime,
) -> None:
    """One private assignment message per team member (the bot renders and sends it): payload
    {"task_id", "campaign", "role"} as json.dumps writes it, dedupe key `assignment_key`."""
    campaign_json = json.dumps(campaign.code, ensure_ascii=False)
    if conn.capabilities.dialect == "sqlite":
        await _notify_by_sqlite(conn, campaign.id, draw_id, campaign_json, now)
        return
    # Without a json.dumps call per row: roles are plain ASCII words, the code encoded once.

    def rows() -> Iterator[tuple]:
        for code, members in teams.items():
            task_id = task_ids[code]
            for m in members:
                person = people[m.cert_no]
                yield (
                    "inspector",
                    person,
                    ASSIGNMENT,
                    f'{{"task_id": {task_id}, "campaign": {campaign_json}, "role": "{m.role}"}}',
                    assignment_key(task_id, person),
                    "pending",
                    0,
                    now,
                    now,
                )

    await insert(conn, "outbox_message", OUTBOX_COLUMNS, rows())


async def _notify_by_sqlite(conn, campaign_id: int, draw_id: int, campaign_json: str, now):
    """`notify_members` from the members just written, by SQLite's own loop, which is cheaper
    than a Python row per member. PostgreSQL, whose server is the busy side there, is better
    off with rows made here and streamed (COPY)."""
    names = ", ".join(f'"{name}"' for name, _ in OUTBOX_COLUMNS)
    when = _sqlite_text(conn, now)
    await conn.execute_query(
        f'INSERT INTO "outbox_message" ({names}) '
        "SELECT 'inspector', m.inspector_id, ?, "
        """'{"task_id": ' || m.task_id || ', "campaign": ' || ? || ', "role": "' || m.role """
        """|| '"}', ? || m.task_id || ':' || m.inspector_id, 'pending', 0, ?, ? """
        'FROM "team_member" m WHERE m.task_id IN '
        '(SELECT "id" FROM "task" WHERE "campaign_id" = ? AND "draw_id" = ?) ORDER BY m.id',
        # The key as assignment_key(task, inspector) writes it; test_delivery checks they agree.
        [ASSIGNMENT, campaign_json, f"{ASSIGNMENT}:", when, when, campaign_id, draw_id],
    )
