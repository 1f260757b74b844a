"""What the coordinator routes share: the campaign a path names (refused as missing when it is
another department's), paging parameters, and how a campaign reads as JSON.

The writes go through inspector_io's `handled`, `json_body` and `idempotent`, as the inspector's
do: one way to refuse, one way to replay a retried write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from domain.campaigns.lookup import campaign_to_run
from domain.campaigns.plan import spec_summary
from domain.storage.models import Campaign
from field_api.inspector_io import actor_of
from field_api.problems import BadRequest


async def campaign_of(request: web.Request) -> Campaign:
    """The path's campaign, if the caller runs it (the domain's rule)."""
    return await campaign_to_run(actor_of(request), request.match_info["code"])


def page_of(request: web.Request, default: int = 100, most: int = 500) -> tuple[int, int]:
    """(offset, limit) from the query, each checked."""
    values = []
    for name, fallback, low, high in (
        ("offset", 0, 0, 10**9),
        ("limit", default, 1, most),
    ):
        raw = request.query.get(name)
        if raw is None:
            values.append(fallback)
            continue
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise BadRequest(name, f"{name} 应为 {low} 到 {high} 的整数 (an integer)")
        values.append(int(raw))
    return values[0], values[1]


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    """The plan as its audit entries record it, with its department and where it stands."""
    return {
        **spec_summary(campaign),
        "department": {"code": campaign.department.code, "name": campaign.department.name},
        "status": campaign.status.value,
        "completed_on": iso(campaign.completed_on),
        "created_by": campaign.created_by,
    }


def deadline_json(deadline) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "start": deadline.start.isoformat(),
        "workdays": deadline.workdays,
        "due": deadline.due.isoformat(),
        "provisional": deadline.provisional,
    }
