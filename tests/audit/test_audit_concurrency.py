"""Concurrent appends never fork the chain: in one process and across connections."""

from __future__ import annotations

import asyncio

from tortoise.transactions import in_transaction

from domain.audit import log as audit
from domain.storage.models import AuditEntry, Department
from tests.kit.databases import opened


async def test_concurrent_records_in_one_process_make_one_chain(db):
    async def change(i: int) -> None:
        async with in_transaction():
            await Department.create(code=f"D{i}", name=f"部门{i}", path=f"/D{i}/")
            await audit.record(f"coordinator:{i}", "department.create", "department", f"D{i}")

    # Starting from an empty log: the first appends also race to create the head row.
    await asyncio.gather(*(change(i) for i in range(40)))
    await asyncio.gather(*(audit.record("system", "ping", "system", i) for i in range(40)))
    result = await audit.verify_chain()
    assert result.ok, result.detail
    assert result.entries == 80
    assert sorted(await AuditEntry.all().values_list("seq", flat=True)) == list(range(1, 81))
    assert len(set(await AuditEntry.all().values_list("prev_hash", flat=True))) == 80


async def test_concurrent_records_from_separate_connections_make_one_chain(shared_url):
    async def process(name: str, n: int) -> None:
        async with opened(shared_url):
            for i in range(n):
                await audit.record(f"worker:{name}", "ping", "system", i)

    await asyncio.gather(*(process(str(w), 15) for w in range(3)))
    async with opened(shared_url):
        result = await audit.verify_chain()
        actors = await AuditEntry.all().values_list("actor", flat=True)
    assert result.ok, result.detail
    assert result.entries == 45
    assert sorted(set(actors)) == ["worker:0", "worker:1", "worker:2"]


async def test_a_view_answered_in_a_group_commit_is_already_committed(shared_url):
    """Concurrent stand-alone appends share commits, yet each returns only once its own entry
    is visible to another connection, chained as if appended one by one."""
    # The inner context is the current one: appends go through it, reads through the other.
    async with opened(shared_url) as other, opened(shared_url):
        reader = other.connections.get("default")

        async def view(i: int) -> int:
            entry = await audit.record(f"inspector:{i}", "sealed.view", "task", i)
            _, rows = await reader.execute_query(
                "SELECT actor FROM audit_entry WHERE seq = " + str(int(entry.seq))
            )
            return len([r for r in rows if r["actor"] == f"inspector:{i}"])

        seen = await asyncio.gather(*(view(i) for i in range(60)))
    assert seen == [1] * 60
    async with opened(shared_url):
        result = await audit.verify_chain()
        ids = await AuditEntry.all().order_by("seq").values_list("object_id", flat=True)
    assert result.ok and result.entries == 60, result.detail
    assert sorted(ids, key=int) == [str(i) for i in range(60)]
