"""The outbox: idempotent recording, exclusive claims, retries with backoff, stale recovery."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tortoise import timezone
from tortoise.transactions import in_transaction

from domain.messaging import outbox
from domain.messaging.outbox import RetryPolicy, backoff_delay
from domain.storage.models import Department, OutboxMessage, OutboxStatus, RecipientKind
from tests.kit.databases import opened

T0 = dt.datetime(2025, 10, 9, 1, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)


async def put(n: int, at: dt.datetime = T0) -> list[OutboxMessage]:
    return [
        await outbox.enqueue(
            RecipientKind.INSPECTOR, i, "test.note", {"task": i}, f"note:{i}", not_before=at
        )
        for i in range(n)
    ]


async def test_enqueue_is_idempotent_and_never_aborts_the_transaction(db):
    async with in_transaction():
        first = await outbox.enqueue("chat", 10**12, "assignment", {"v": 1}, "k1")
        again = await outbox.enqueue("chat", 10**12, "assignment", {"v": 2}, "k1")
        await Department.create(code="3201", name="南京市", path="/3201/")
    assert again.id == first.id and again.payload == {"v": 1}
    assert await OutboxMessage.all().count() == 1 and await Department.all().count() == 1
    assert first.recipient_id == 10**12 and first.status is OutboxStatus.PENDING
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await outbox.enqueue("chat", 1, "assignment", {}, "k2")
            raise RuntimeError("the change fails")
    assert await OutboxMessage.filter(dedupe_key="k2").count() == 0


async def test_claim_takes_due_rows_once_and_counts_the_attempt(db):
    await put(3)
    await outbox.enqueue("inspector", 9, "reminder.due3", {}, "later", not_before=T0 + 60 * S)
    assert await outbox.claim_due(10, T0 - S) == []
    claimed = await outbox.claim_due(2, T0)
    assert [m.dedupe_key for m in claimed] == ["note:0", "note:1"]
    assert all(m.status is OutboxStatus.SENDING and m.attempts == 1 for m in claimed)
    assert [m.dedupe_key for m in await outbox.claim_due(10, T0)] == ["note:2"]
    assert await outbox.claim_due(10, T0) == []
    assert [m.dedupe_key for m in await outbox.claim_due(10, T0 + 60 * S)] == ["later"]


async def drain(batch_size: int) -> list[int]:
    got: list[int] = []
    while batch := await outbox.claim_due(batch_size, T0):
        got += [m.id for m in batch]
    return got


async def test_concurrent_claimers_in_one_process_never_share_a_row(db):
    await put(60)
    results = await asyncio.gather(*(drain(7) for _ in range(6)))
    ids = [i for r in results for i in r]
    assert len(ids) == len(set(ids)) == 60


async def test_claimers_on_separate_connections_never_share_a_row(shared_url):
    async with opened(shared_url):
        await put(90)

    async def worker() -> list[int]:
        async with opened(shared_url):
            return await drain(4)

    results = await asyncio.gather(worker(), worker(), worker())
    ids = [i for r in results for i in r]
    assert len(ids) == len(set(ids)) == 90


async def test_sent_and_dead(db):
    await put(2)
    a, b = await outbox.claim_due(10, T0)
    assert await outbox.mark_sent(a, external_id=4711, now=T0 + S)
    assert await outbox.mark_dead(b, "Forbidden: bot was blocked by the user")
    a, b = await OutboxMessage.get(id=a.id), await OutboxMessage.get(id=b.id)
    assert (a.status, a.external_id, a.sent_at) == (OutboxStatus.SENT, "4711", T0 + S)
    assert (b.status, b.last_error) == (OutboxStatus.DEAD, "Forbidden: bot was blocked by the user")
    assert await outbox.claim_due(10, T0 + 3600 * S) == []
    assert not await outbox.mark_sent(a)  # no longer held


async def test_retries_back_off_exponentially_until_failed(db):
    policy = RetryPolicy(base=5 * S, cap=15 * S, max_attempts=4)
    await put(1)
    now, waits = T0, []
    while claimed := await outbox.claim_due(1, now):
        status = await outbox.mark_retry(claimed[0], "HTTP 502", now=now, policy=policy)
        row = await OutboxMessage.get(id=claimed[0].id)
        waits.append((status, row.next_attempt_at - now))
        now = row.next_attempt_at
    assert waits == [
        (OutboxStatus.PENDING, 5 * S),
        (OutboxStatus.PENDING, 10 * S),
        (OutboxStatus.PENDING, 15 * S),
        (OutboxStatus.FAILED, 0 * S),
    ]
    row = await OutboxMessage.get()
    assert row.attempts == 4 and row.last_error == "HTTP 502"


async def test_rate_limit_answer_is_honoured_and_uses_no_attempt(db):
    await put(1)
    policy = RetryPolicy(max_attempts=1)
    for _ in range(3):
        (msg,) = await outbox.claim_due(1, T0 + 7200 * S)
        retry_after = 7200 * S  # above the cap: the server's word wins
        assert await outbox.mark_retry(msg, "429", retry_after, T0, policy) is OutboxStatus.PENDING
    row = await OutboxMessage.get()
    assert row.attempts == 0 and row.next_attempt_at == T0 + 7200 * S


async def test_stale_claims_are_recovered_and_the_old_claim_is_void(db):
    await put(1)
    (stale,) = await outbox.claim_due(1, T0)
    assert await outbox.recover_stale(5 * 60 * S, now=T0 + 60 * S) == 0
    assert await outbox.recover_stale(5 * 60 * S, now=T0 + 6 * 60 * S) == 1
    (fresh,) = await outbox.claim_due(1, T0 + 6 * 60 * S)
    assert fresh.id == stale.id and fresh.attempts == 2
    assert not await outbox.mark_sent(stale)  # the dead process's claim no longer holds
    assert await outbox.mark_retry(stale, "late") is None
    assert await outbox.mark_sent(fresh, 1)
    assert (await OutboxMessage.get()).status is OutboxStatus.SENT


async def test_claiming_defaults_to_the_current_time(db):
    await outbox.enqueue("coordinator", 1, "publication.due", {}, "now")
    claimed = await outbox.claim_due()
    assert len(claimed) == 1 and claimed[0].claimed_at <= timezone.now()


@given(st.integers(1, 10_000), st.integers(1, 600), st.integers(1, 86_400))
def test_backoff_grows_from_base_and_stays_under_the_cap(attempts, base, cap):
    policy = RetryPolicy(base=base * S, cap=cap * S)
    delay = backoff_delay(attempts, policy)
    assert delay == min(base * 2 ** min(attempts - 1, 40), cap) * S
    assert delay <= backoff_delay(attempts + 1, policy) <= cap * S
    assert backoff_delay(attempts, policy, retry_after=3 * S) == 3 * S
