"""The same photo sent to a task again: recognised by its SHA-256, recorded once.

A phone resends, a teammate forwards what was already sent, an album repeats a picture: the
task keeps one record of those bytes, and the sender hears where it already is. The same bytes
on another task are a different matter (an anomaly for the approver, see anomalies.py).
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from domain import clock
from domain.evidence.receipt import FirstCopy
from domain.storage.models import Evidence, EvidenceKind, Task


async def first_copy(
    task_id: int, sha256: str, sender_id: int, conn: BaseDBAsyncClient | None = None
) -> tuple[Evidence, FirstCopy] | None:
    """The task's photo with these bytes, if it has one, and who sent it when."""
    query = Evidence.filter(task_id=task_id, kind=EvidenceKind.PHOTO, photo_sha256=sha256)
    if conn is not None:
        query = query.using_db(conn)
    found = await query.order_by("id").prefetch_related("author").first()
    if found is None:
        return None
    return found, FirstCopy(
        evidence_id=found.id,
        received_at=clock.local(found.received_at),
        by_id=found.author_id,
        by_name=found.author.name,
        by_sender=found.author_id == sender_id,
    )


async def hold_task(task_id: int, conn: BaseDBAsyncClient) -> str:
    """Lock the task's row until the caller's transaction ends, and return its state as of
    now: two uploads of one photo to a task are then recorded one after the other, the second
    seeing the first (PostgreSQL makes the second UPDATE wait; SQLite runs one writing
    transaction at a time), and a photo is not recorded on a task closed meanwhile."""
    # A no-op write, not SELECT ... FOR UPDATE (which SQLite lacks); it leaves updated_at,
    # which orders an inspector's tasks, alone.
    await Task.filter(id=task_id).using_db(conn).update(state=F("state"))
    state = await Task.filter(id=task_id).using_db(conn).first().values_list("state", flat=True)
    return str(state)
