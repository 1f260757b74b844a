"""The audit log: append-only and hash-chained, so that any edit, deletion or reordering shows.

Hash definition (what an auditor recomputes from the `audit_entry` table, no code needed)
----------------------------------------------------------------------------------------
For each entry, build this JSON object from its columns::

    {"action": action, "actor": actor, "after": after, "at": at, "before": before,
     "data": data, "object_id": object_id, "object_kind": object_kind,
     "prev_hash": prev_hash, "seq": seq}

- `seq` is a JSON integer; every other member is a JSON string, except `before` and `after`,
  which are `null` when the column is NULL.
- `before`, `after` and `data` are the columns' text *as stored* (each itself a JSON document),
  embedded as strings — never re-parsed, so nothing depends on how a database keeps JSON.
- `at` is the entry time in UTC as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fraction digits).
- Serialise with keys sorted, no whitespace (`,` and `:` separators), non-ASCII characters as
  themselves, and only `"`, `\\` and control characters below U+0020 escaped (`\\b \\t \\n \\f
  \\r`, others `\\u00xx`). For an object of strings, one integer and nulls this is exactly RFC 8785
  (JCS) and Python's `json.dumps(obj, sort_keys=True, separators=(",", ":"),
  ensure_ascii=False)`.
- `hash` = lowercase hex SHA-256 of that text encoded as UTF-8.
- `prev_hash` is the previous entry's `hash`; the first entry (seq 1) has 64 zeros.
  `seq` runs 1, 2, 3 ... without gaps.

The single `audit_head` row (id 1) holds the last seq and hash. Appends queue on it (a row lock
on PostgreSQL, the write lock on SQLite), so two appends never take the same place; `seq` is
also unique, so a fork cannot be stored even by a writer that skipped the lock.

Limits: this shows tampering, it does not prevent it. Someone who can write to the database can
rewrite an entry, recompute every later hash and update the head, and the chain verifies again.
Against that, publish the head (`shuangsuiji audit head`) regularly somewhere the database's
administrators cannot change (a notice, a newspaper, another office's log): a later chain whose
entry at that seq has a different hash proves a rewrite.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
from dataclasses import asdict, replace
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.expressions import F

from domain import clock
from domain.audit import group_commit
from domain.audit.chain import (
    GENESIS_HASH,
    ChainChecker,
    Link,
    Problem,
    VerifyResult,
    link_hash,
)
from domain.rules.access import Actor, require_any_coordinator
from domain.storage.models import AuditEntry, AuditHead

__all__ = [
    "GENESIS_HASH",
    "ChainChecker",
    "Link",
    "Problem",
    "VerifyResult",
    "canonical_json",
    "current_head",
    "format_at",
    "link_hash",
    "link_of",
    "list_entries",
    "parsed",
    "record",
    "verify_chain",
]

HEAD_ID = 1
_VERIFY_BATCH = 1000


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return format_at(value) if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"audit data cannot hold a {type(value).__name__}: {value!r}")


def canonical_json(value: Any) -> str:
    """The stored text of `before`, `after` and `data`: sorted keys, compact, UTF-8."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def format_at(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def link_of(entry: AuditEntry) -> Link:
    return Link(
        seq=entry.seq,
        at=format_at(entry.at),
        actor=entry.actor,
        action=entry.action,
        object_kind=entry.object_kind,
        object_id=entry.object_id,
        before=entry.before,
        after=entry.after,
        data=entry.data,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


async def _take_head(conn: BaseDBAsyncClient, count: int = 1) -> tuple[int, str]:
    """Lock the head row and reserve the next `count` seqs; returns (first new seq, previous
    hash)."""
    # Writing first is what takes the lock: a concurrent append blocks here until this
    # transaction ends, then sees the seq and hash it left.
    heads = AuditHead.filter(id=HEAD_ID).using_db(conn)
    if not await heads.update(seq=F("seq") + count):
        # First entry ever; two first appends may race, so insert-or-ignore, then lock.
        await AuditHead.bulk_create(
            [AuditHead(id=HEAD_ID, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True, using_db=conn
        )
        await heads.update(seq=F("seq") + count)
    head = await AuditHead.get(id=HEAD_ID, using_db=conn)
    return head.seq - count + 1, head.hash


async def _append(conn: BaseDBAsyncClient, drafts: list[Link]) -> list[AuditEntry]:
    """Chain `drafts` (links whose seq, time and hashes are not yet set) in order after the
    head, in `conn`'s transaction."""
    seq, prev_hash = await _take_head(conn, len(drafts))
    entries = []
    for offset, draft in enumerate(drafts):
        at = clock.now()
        link = replace(draft, seq=seq + offset, at=format_at(at), prev_hash=prev_hash)
        digest = link_hash(link)
        entries.append(AuditEntry(**asdict(link) | {"at": at, "hash": digest}))
        prev_hash = digest
    if len(entries) == 1:
        await entries[0].save(using_db=conn)
    else:
        await AuditEntry.bulk_create(entries, using_db=conn)
    await AuditHead.filter(id=HEAD_ID).using_db(conn).update(hash=prev_hash)
    return entries


async def _append_batch(client: BaseDBAsyncClient, drafts: list[Link]) -> list[AuditEntry]:
    async with client._in_transaction() as conn:
        return await _append(conn, drafts)


async def record(
    actor: str,
    action: str,
    obj_kind: str,
    obj_id: str | int,
    before: Any = None,
    after: Any = None,
    data: Any = None,
    *,
    connection: BaseDBAsyncClient | None = None,
) -> AuditEntry:
    """Append one entry. Inside the caller's `in_transaction()` (or with its `connection`) the
    entry commits or rolls back with the change it describes: call it last in the transaction,
    since from here until commit other appends wait. Outside any transaction (a view of sealed
    data, say) it is committed with the other appends waiting then (group_commit); either way
    it is durable when this returns.
    """
    draft = Link(
        seq=0,
        at="",
        actor=str(actor),
        action=action,
        object_kind=obj_kind,
        object_id=str(obj_id),
        before=None if before is None else canonical_json(before),
        after=None if after is None else canonical_json(after),
        data=canonical_json({} if data is None else data),
        prev_hash="",
        hash="",
    )
    current = connection or AuditEntry._meta.db
    if connection is None and not isinstance(current, TransactionalDBClient):
        return await group_commit.submit(current, draft, _append_batch)
    async with current._in_transaction() as conn:
        (entry,) = await _append(conn, [draft])
    return entry


async def current_head() -> tuple[int, str]:
    """(seq, hash) of the last entry, as recorded by the head row; (0, zeros) when empty."""
    head = await AuditHead.get_or_none(id=HEAD_ID)
    return (head.seq, head.hash) if head else (0, GENESIS_HASH)


async def verify_chain() -> VerifyResult:
    """Walk the whole chain in seq order; stops at the first broken entry."""
    current = AuditEntry._meta.db
    top_level = not isinstance(current, TransactionalDBClient)
    async with current._in_transaction() as conn:
        if top_level and conn.capabilities.dialect == "postgres":
            # One snapshot for the walk and the head, so that appends made meanwhile do not
            # look like a tail that outgrew its head. (SQLite transactions are snapshots.)
            await conn.execute_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        checker = ChainChecker()
        after_seq: int | None = None
        while True:
            query = AuditEntry.all().using_db(conn)
            if after_seq is not None:
                query = query.filter(seq__gt=after_seq)
            batch = await query.order_by("seq").limit(_VERIFY_BATCH)
            for entry in batch:
                if not checker.feed(link_of(entry)):
                    return checker.result(None)
            if len(batch) < _VERIFY_BATCH:
                break
            after_seq = batch[-1].seq
        head = await AuditHead.get_or_none(id=HEAD_ID, using_db=conn)
    return checker.result((head.seq, head.hash) if head else None)


async def list_entries(
    object_kind: str | None = None, object_id: str | int | None = None, limit: int | None = None
) -> list[AuditEntry]:
    """Entries in seq order, optionally of one object; with `limit`, the last `limit` ones."""
    query = AuditEntry.all()
    if object_kind is not None:
        query = query.filter(object_kind=object_kind)
    if object_id is not None:
        query = query.filter(object_id=str(object_id))
    if limit:
        newest = await query.order_by("-seq").limit(limit)
        return newest[::-1]
    return await query.order_by("seq")


def parsed(text: str | None) -> Any:
    """The value of a stored `before`/`after`/`data` column."""
    return None if text is None else json.loads(text)


async def verify_chain_for(actor: Actor) -> VerifyResult:
    """`verify_chain` for a coordinator's program: the answer holds counts and hashes, no
    entry's content, so any coordinator may ask."""
    require_any_coordinator(actor)
    return await verify_chain()
