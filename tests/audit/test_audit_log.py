"""The audit log on a real database: appends, transactions, and tampering by raw SQL."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from dataclasses import replace

import asyncpg
import pytest
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from domain.audit import log as audit
from domain.audit.log import Problem
from domain.storage.models import AuditEntry, AuditHead, Department, TargetStatus
from tests.kit.databases import BACKEND

N = 20


async def fill(n: int = N) -> None:
    for i in range(1, n + 1):
        await audit.record(
            f"coordinator:{i % 3}",
            "task.accept",
            "task",
            i,
            before={"state": "notified"},
            after={"state": "accepted", "n": i},
            data={"note": "接受任务", "ratio": 0.1 * i},
        )


async def sql(db, statement: str) -> None:
    await db.db().execute_script(statement)


async def test_appends_verify_and_round_trip(db):
    await fill()
    result = await audit.verify_chain()
    assert result.ok, result.detail
    assert result.entries == N and await audit.current_head() == (N, result.head_hash)
    entries = await audit.list_entries()
    assert [e.seq for e in entries] == list(range(1, N + 1))
    assert all(e.at.tzinfo is not None for e in entries)
    assert audit.parsed(entries[2].after) == {"state": "accepted", "n": 3}
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


async def test_values_beyond_plain_json_are_stored_canonically(db):
    at = dt.datetime(2025, 10, 1, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    entry = await audit.record(
        "system",
        "target.update",
        "target",
        "91320102MA1XXXXX0X",
        before={"status": TargetStatus.OPERATING, "fine": decimal.Decimal("12.50")},
        after={"status": TargetStatus.CLOSED, "closed_on": dt.date(2025, 10, 1), "at": at},
    )
    assert entry.before == '{"fine":"12.50","status":"operating"}'
    assert entry.after == (
        '{"at":"2025-10-01T00:30:00.000000Z","closed_on":"2025-10-01","status":"closed"}'
    )
    assert (await audit.verify_chain()).ok
    with pytest.raises(TypeError, match="audit data cannot hold a set"):
        await audit.record("system", "x", "y", 1, data={"s": {1}})


async def test_an_entry_commits_and_rolls_back_with_the_change(db):
    async with in_transaction():
        await Department.create(code="3201", name="南京市", path="/3201/")
        await audit.record("coordinator:1", "department.create", "department", "3201")
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await Department.create(code="3202", name="无锡市", path="/3202/")
            await audit.record("coordinator:1", "department.create", "department", "3202")
            raise RuntimeError("the change fails after its audit entry")
    assert await Department.all().values_list("code", flat=True) == ["3201"]
    assert [e.object_id for e in await audit.list_entries()] == ["3201"]
    assert await audit.current_head() == (1, (await audit.list_entries())[0].hash)
    async with in_transaction() as conn:
        await audit.record("system", "ping", "system", 0, connection=conn)
    assert (await audit.verify_chain()).entries == 2


async def _refuse_entries_named(action: str) -> None:
    """A database that refuses to store one entry, after the head has been moved for it."""
    conn = AuditEntry._meta.db
    if BACKEND == "postgres":
        await conn.execute_script(
            "CREATE OR REPLACE FUNCTION refuse_entry() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN "
            "RAISE EXCEPTION 'refused'; END $$; CREATE TRIGGER refuse BEFORE INSERT ON "
            f"audit_entry FOR EACH ROW WHEN (NEW.action = '{action}') "
            "EXECUTE FUNCTION refuse_entry();"
        )
    else:
        await conn.execute_script(
            "CREATE TRIGGER refuse BEFORE INSERT ON audit_entry "
            f"WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'refused'); END;"
        )


async def test_an_append_failing_midway_goes_with_the_callers_transaction(db):
    await fill(3)
    head = await audit.current_head()
    await _refuse_entries_named("boom")
    with pytest.raises((IntegrityError, OperationalError, asyncpg.RaiseError)):
        async with in_transaction():
            await Department.create(code="3203", name="徐州市", path="/3203/")
            await audit.record("coordinator:1", "boom", "department", "3203")
    await AuditEntry._meta.db.execute_script(
        "DROP TRIGGER refuse" + (" ON audit_entry" if BACKEND == "postgres" else "")
    )
    assert await audit.current_head() == head  # the head moved for it, and moved back
    assert not await Department.filter(code="3203").exists()
    await audit.record("coordinator:1", "ping", "system", 0)
    assert (await audit.verify_chain()).ok


async def test_list_entries_of_one_object_and_the_last_few(db):
    await fill(10)
    await audit.record("public", "sealed.view", "campaign", 3)
    mine = await audit.list_entries("task", 4)
    assert [e.seq for e in mine] == [4]
    assert [e.seq for e in await audit.list_entries(limit=3)] == [9, 10, 11]
    assert [e.action for e in await audit.list_entries("campaign")] == ["sealed.view"]


@pytest.mark.parametrize(
    ("statement", "problem", "seq"),
    [
        ("UPDATE audit_entry SET actor = 'coordinator:99' WHERE seq = 7", Problem.EDITED, 7),
        ('UPDATE audit_entry SET after = \'{"state":"refused"}\' WHERE seq = 7', "edited", 7),
        ("UPDATE audit_entry SET object_id = '8' WHERE seq = 7", Problem.EDITED, 7),
        ("DELETE FROM audit_entry WHERE seq = 7", Problem.GAP, 7),
        # Reorder: swap seqs 7 and 8 (through -1: seq is unique).
        (
            "UPDATE audit_entry SET seq = -1 WHERE seq = 7; "
            "UPDATE audit_entry SET seq = 7 WHERE seq = 8; "
            "UPDATE audit_entry SET seq = 8 WHERE seq = -1;",
            Problem.LINK,
            7,
        ),
        ("DELETE FROM audit_entry WHERE seq > 15", Problem.TRUNCATED, 16),
        (f"DELETE FROM audit_entry WHERE seq = {N}", Problem.TRUNCATED, N),
        ("DELETE FROM audit_head", Problem.HEAD, N),
    ],
)
async def test_tampering_by_sql_is_named(db, statement, problem, seq):
    await fill()
    assert (await audit.verify_chain()).ok
    await sql(db, statement)
    result = await audit.verify_chain()
    assert (result.problem, result.broken_seq) == (problem, seq), result.detail
    assert f"BROKEN at entry {seq}" in result.describe()


async def forge(link: audit.Link) -> None:
    """Insert an entry straight into the table, with a hash that is right for its content."""
    fields = {k: v for k, v in link.__dict__.items() if k not in ("at", "hash")}
    at = dt.datetime.fromisoformat(link.at)
    await AuditEntry.create(**fields, at=at, hash=audit.link_hash(link))


async def test_a_forged_entry_in_the_middle_is_named(db):
    await fill()
    await sql(db, "UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= 7")
    await sql(db, "UPDATE audit_entry SET seq = seq - 999 WHERE seq >= 1000")
    six = audit.link_of(await AuditEntry.get(seq=6))
    await forge(replace(six, seq=7, action="draw.reveal", prev_hash=six.hash))
    result = await audit.verify_chain()
    assert (result.problem, result.broken_seq) == (Problem.LINK, 8), result.detail


async def test_a_forged_entry_appended_past_the_head_is_named(db):
    await fill()
    last = audit.link_of(await AuditEntry.get(seq=N))
    forged = replace(last, seq=N + 1, prev_hash=last.hash)
    await forge(forged)
    result = await audit.verify_chain()
    assert (result.problem, result.broken_seq) == (Problem.EXTENDED, N + 1), result.detail
    # Moving the head along too makes the forgery invisible: the documented limit, which a
    # published head answers.
    await AuditHead.filter(id=1).update(seq=N + 1, hash=audit.link_hash(forged))
    assert (await audit.verify_chain()).ok
