"""The public task notice (抽查任务公告), kept between requests while nothing it shows changed.

The notice changes only when its campaign, one of its draws, the inspection items or the
departments change (its tasks are written by a reveal, which changes its draw; an amendment
changes the draw too), and any process may change them (the CLI reveals a draw while the server
runs): so each request asks the database, in one query of counts and latest changes, for a
fingerprint of all of them, and builds the notice again only when that differs from the one it
was built under. The latest commitment is part of the fingerprint so that two databases with
the same campaign code and timestamps (a restored copy, the test suite) never share a notice.
The tasks are not counted: at a city's scale that alone costs more than the rest of a request.

The notice given is the kept one itself, shared by every request: read it, never change it.

Under load many requests ask at once, and the fingerprint is asked once for all of those that
arrived before the query was sent (`_asked`): a request never gets an answer older than its
own arrival, and the database answers one query per turn instead of one per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from tortoise import connections

from domain.publication import notices

_SQL = """
SELECT c.updated_at AS campaign_changed, c.status AS status,
  (SELECT COUNT(*) FROM draw d WHERE d.campaign_id = c.id) AS draws,
  (SELECT MAX(d.updated_at) FROM draw d WHERE d.campaign_id = c.id) AS draw_changed,
  (SELECT MAX(d.commitment) FROM draw d WHERE d.campaign_id = c.id) AS commitment,
  (SELECT COUNT(*) FROM inspection_item) AS items,
  (SELECT MAX(i.updated_at) FROM inspection_item i) AS item_changed,
  (SELECT COUNT(*) FROM department) AS departments,
  (SELECT MAX(p.updated_at) FROM department p) AS department_changed
FROM campaign c WHERE c.code = {mark}
"""
COLUMNS = (
    "campaign_changed", "status", "draws", "draw_changed", "commitment", "items", "item_changed",
    "departments", "department_changed",
)  # fmt: skip
# campaign code -> (fingerprint, notice); one entry per campaign, and campaigns are few.
_kept: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}


async def _fingerprint(conn: Any, code: str) -> tuple[Any, ...] | None:
    mark = "$1" if conn.capabilities.dialect == "postgres" else "?"
    _, rows = await conn.execute_query(_SQL.format(mark=mark), [code])
    return tuple(str(rows[0][name]) for name in COLUMNS) if rows else None


Fingerprint = tuple[Any, ...] | None
# Per event loop, database client and code: the query not sent yet, which a request arriving
# now may share, and the one on its way, which it may not (it was sent before the request came).
_next: dict[tuple[int, int, str], asyncio.Future[Fingerprint]] = {}
_sent: dict[tuple[int, int, str], asyncio.Future[Fingerprint]] = {}


async def _asked(code: str) -> Fingerprint:
    """The fingerprint as of a moment after this call began, shared with concurrent callers."""
    conn = connections.get("default")
    key = (id(asyncio.get_running_loop()), id(conn), code)
    waiting = _next.get(key)
    if waiting is not None:
        try:
            return await asyncio.shield(waiting)
        except asyncio.CancelledError:
            if not waiting.cancelled():
                raise  # this request itself was cancelled
            return await _fingerprint(conn, code)  # the one who was to ask went away
    mine: asyncio.Future[Fingerprint] = asyncio.get_running_loop().create_future()
    _next[key] = mine
    try:
        before = _sent.get(key)
        if before is not None:  # one query per turn: wait for the one on its way
            await asyncio.wait([before])
        del _next[key]  # from now on, arrivals wait for the next turn
        _sent[key] = mine
        result = await _fingerprint(conn, code)
        mine.set_result(result)
        return result
    except BaseException as exc:
        if isinstance(exc, asyncio.CancelledError):
            mine.cancel()
        else:
            mine.set_exception(exc)
            mine.exception()  # seen: a waiting caller may be gone
        raise
    finally:
        for turns in (_next, _sent):
            if turns.get(key) is mine:
                del turns[key]


async def task_notice(code: str) -> Mapping[str, Any]:
    """`notices.task_notice(code)`, from memory while its data has not changed (shared: do not
    change it)."""
    fingerprint = await _asked(code)
    kept = _kept.get(code)
    if fingerprint is not None and kept is not None and kept[0] == fingerprint:
        return kept[1]
    data = await notices.task_notice(code)  # raises NotPublic: nothing to keep
    if fingerprint is not None:
        _kept[code] = (fingerprint, data)
    return data
