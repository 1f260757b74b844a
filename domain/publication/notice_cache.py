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
"""

from __future__ import annotations

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


async def _fingerprint(code: str) -> tuple[Any, ...] | None:
    conn = connections.get("default")
    mark = "$1" if conn.capabilities.dialect == "postgres" else "?"
    _, rows = await conn.execute_query(_SQL.format(mark=mark), [code])
    return tuple(str(rows[0][name]) for name in COLUMNS) if rows else None


async def task_notice(code: str) -> Mapping[str, Any]:
    """`notices.task_notice(code)`, from memory while its data has not changed (shared: do not
    change it)."""
    fingerprint = await _fingerprint(code)
    kept = _kept.get(code)
    if fingerprint is not None and kept is not None and kept[0] == fingerprint:
        return kept[1]
    data = await notices.task_notice(code)  # raises NotPublic: nothing to keep
    if fingerprint is not None:
        _kept[code] = (fingerprint, data)
    return data
