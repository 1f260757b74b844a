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
from domain.publication.notices import CODE_MAX
from domain.storage.models import Campaign
from field_api import validate
from field_api.inspector_io import actor_of


async def campaign_of(request: web.Request) -> Campaign:
    """The path's campaign, if the caller runs it (the domain's rule)."""
    code = validate.path_text(request, "code", CODE_MAX)  # no longer than any code: 404
    return await campaign_to_run(actor_of(request), code)


def page_of(request: web.Request, default: int = 100, most: int = 500) -> tuple[int, int]:
    """(offset, limit) from the query, each checked."""
    # ASCII digits only: isdigit() accepts "²", on which int() then fails.
    offset = validate.query_int(request, "offset", 0, 10**9, 0)
    return offset, validate.query_int(request, "limit", 1, most, default)


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
