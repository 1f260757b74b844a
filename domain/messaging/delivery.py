"""What a delivered outbox message changes, recorded in the transaction that marks it sent.

`outbox.mark_sent` applies the consequences of the message's kind (`CONSEQUENCES`) before it
commits, so a process that dies at any moment leaves either the row unsent (sent again after
recovery, consequences then) or the row sent with all of them: never the one without the other.

An assignment delivered to a current member of its team: the task leaves 'drawn' for
'notified' (the first one does; later ones change nothing), the member's notice is queued as a
message of its own (rendering the PDF must never hold an assignment back), and a newcomer's
arrival queues the other members a notice naming the team as it now is. Every notice has its
dedupe key, so applying the consequences twice adds nothing.

`repair` applies them to assignments marked sent without them (by a version that applied them
after the fact, outside the transaction); the sender runs it at every start.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable, Iterable

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.messaging import outbox
from domain.messaging.kinds import ASSIGNMENT, NOTICE, assignment_key, notice_key
from domain.rules.lifecycle import FINAL_STATES, TaskState
from domain.storage.models import (
    MemberStatus,
    OutboxMessage,
    OutboxStatus,
    RecipientKind,
    TeamMember,
)
from domain.tasks.team import mark_notified

log = logging.getLogger(__name__)

Consequence = Callable[[OutboxMessage, BaseDBAsyncClient], Awaitable[None]]


async def queue_notice(
    task_id: int, inspector_id: int, conn: BaseDBAsyncClient, *, newcomer: int | None = None
) -> OutboxMessage:
    """The task's notice for one member; `newcomer`: the one whose arrival changed the team."""
    payload = {"task_id": task_id, "team_changed": newcomer is not None}
    return await outbox.enqueue(
        RecipientKind.INSPECTOR,
        inspector_id,
        NOTICE,
        payload,
        dedupe_key=notice_key(task_id, inspector_id, newcomer),
        connection=conn,
    )


async def _current_members(task_id: int, conn: BaseDBAsyncClient) -> list[int]:
    return await (  # type: ignore[return-value]  # flat values_list: plain values
        TeamMember.filter(task_id=task_id)
        .exclude(status=MemberStatus.RECUSED)
        .using_db(conn)
        .order_by("id")
        .values_list("inspector_id", flat=True)
    )


async def assignment_delivered(message: OutboxMessage, conn: BaseDBAsyncClient) -> None:
    """Nothing for someone no longer on the team: they were sent nothing (the bot shows a
    task only to its current members)."""
    task_id, person = int(message.payload["task_id"]), message.recipient_id
    members = await _current_members(task_id, conn)
    if person not in members:
        return
    await queue_notice(task_id, person, conn)
    if message.payload.get("replacement"):
        for other in members:
            if other != person:
                await queue_notice(task_id, other, conn, newcomer=person)
    # Last: its audit entry holds the log's head until commit.
    await mark_notified(task_id, connection=conn)


CONSEQUENCES: dict[str, Consequence] = {ASSIGNMENT: assignment_delivered}


async def apply(message: OutboxMessage, conn: BaseDBAsyncClient) -> None:
    """The consequences of delivering `message`, inside the caller's transaction `conn`."""
    consequence = CONSEQUENCES.get(message.kind)
    if consequence is not None:
        await consequence(message, conn)


# -- repair --------------------------------------------------------------------------------

_CHUNK = 500  # keys per IN (...): far below SQLite's and asyncpg's parameter limits


def _chunks(keys: Iterable[str]) -> Iterable[list[str]]:
    it = iter(keys)
    while chunk := list(itertools.islice(it, _CHUNK)):
        yield chunk


async def _existing(keys: Iterable[str], **filters) -> list[OutboxMessage]:
    found: list[OutboxMessage] = []
    for chunk in _chunks(keys):
        found += await OutboxMessage.filter(dedupe_key__in=chunk, **filters)
    return found


async def _lacking(message: OutboxMessage, task_id: int, state: str, queued: set[str]) -> bool:
    person = message.recipient_id
    if state == TaskState.DRAWN or notice_key(task_id, person) not in queued:
        return True
    if not message.payload.get("replacement"):
        return False
    told: list[str] = await OutboxMessage.filter(  # type: ignore[assignment]
        kind=NOTICE, dedupe_key__startswith=f"{NOTICE}:{task_id}:"
    ).values_list("dedupe_key", flat=True)
    return not any(key.endswith(f":after:{person}") for key in told)


async def repair() -> int:
    """Apply the consequences of delivered assignments that lack them: the task still 'drawn',
    the member's notice never queued, or a newcomer's team never told. Current members of open
    tasks only (a finished task needs no notice). Each message in a transaction of its own, so
    one that fails (logged) keeps no other from being mended; safe to run any number of times.
    Returns how many were mended."""
    rows = await (
        TeamMember.exclude(status=MemberStatus.RECUSED)
        .exclude(task__state__in=[s.value for s in FINAL_STATES])
        .values_list("task_id", "inspector_id", "task__state")
    )
    members = {assignment_key(task, person): (task, state) for task, person, state in rows}
    sent = await _existing(members, kind=ASSIGNMENT, status=OutboxStatus.SENT)
    notices = {notice_key(members[m.dedupe_key][0], m.recipient_id) for m in sent}
    queued = {m.dedupe_key for m in await _existing(notices, kind=NOTICE)}
    repaired = 0
    for message in sorted(sent, key=lambda m: m.id):
        if not await _lacking(message, *members[message.dedupe_key], queued):
            continue
        try:
            async with OutboxMessage._meta.db._in_transaction() as conn:
                await apply(message, conn)
        except Exception:
            log.exception("delivery: could not mend message %s (kind %r)", message.id, message.kind)
        else:
            repaired += 1
    return repaired
