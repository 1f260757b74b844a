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
