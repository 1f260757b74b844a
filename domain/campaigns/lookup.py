"""Questions the adapters ask about campaigns, their draws, tasks and penalties: which campaigns
a coordinator runs, the draw whose record or lists are asked for, what is still to publish."""

from __future__ import annotations

import datetime as dt

from domain.campaigns.plan import get_campaign
from domain.errors import PermissionDenied, UserError
from domain.rules.access import (
    Actor,
    NotYourCampaign,
    Role,
    coordinates,
    require_any_coordinator,
    require_coordinator,
)
from domain.storage.models import Campaign, CampaignStatus, Draw, DrawStatus, Penalty, Task


async def coordinated_campaigns(
    actor: Actor, statuses: list[CampaignStatus], limit: int
) -> list[Campaign]:
    """At most `limit` campaigns in these statuses that the actor runs (their department's and
    those below), newest first."""
    if not actor.department_path:
        return []
    rows = (
        await Campaign.filter(
            status__in=statuses, department__path__startswith=actor.department_path
        )
        .order_by("-id")
        .limit(limit)
        .prefetch_related("department")
    )
    return [c for c in rows if coordinates(actor, c.department.path)]


async def coordinated_campaign(actor: Actor, campaign_id: int) -> Campaign:
    """The campaign with this id if the actor runs it; a missing one is refused alike, so
    that an id tells nobody whether it exists."""
    campaign = await Campaign.get_or_none(id=campaign_id).prefetch_related("department")
    if campaign is None:
        raise PermissionDenied("no such campaign")
    require_coordinator(actor, campaign.department.path)
    return campaign


async def campaign_to_run(actor: Actor, code: str) -> Campaign:
    """The campaign with this code if the actor runs it. A non-coordinator is refused first
    (PermissionDenied, before anything is looked up); a coordinator of another department gets
    NotYourCampaign, the same refusal as for a code that does not exist."""
    require_any_coordinator(actor)
    campaign = await Campaign.get_or_none(code=code).prefetch_related("department")
    if campaign is None:
        raise NotYourCampaign()
    if actor.role != Role.SYSTEM and not coordinates(actor, campaign.department.path):
        raise NotYourCampaign()
    return campaign


async def campaigns_run_by(actor: Actor, limit: int, offset: int = 0) -> list[Campaign]:
    """The campaigns of the actor's department and those below, newest first, a page at a
    time."""
    require_any_coordinator(actor)
    query = Campaign.all().order_by("-id").prefetch_related("department")
    if actor.role != Role.SYSTEM:
        query = query.filter(department__path__startswith=actor.department_path)
    rows = await query.offset(offset).limit(limit)
    return [c for c in rows if actor.role == Role.SYSTEM or coordinates(actor, c.department.path)]


async def campaign_with_id(campaign_id: int) -> Campaign | None:
    """The campaign a stored reference (a reminder's subject) names, if it still exists."""
    return await Campaign.get_or_none(id=campaign_id)


async def all_campaigns() -> list[Campaign]:
    """Every campaign with its department, newest first."""
    return list(await Campaign.all().order_by("-id").prefetch_related("department"))


async def campaign_task_ids(campaign: Campaign) -> list[int]:
    """The campaign's tasks, in the order they were drawn."""
    ids = Task.filter(campaign_id=campaign.id).order_by("id").values_list("id", flat=True)
    return list(await ids)  # type: ignore[arg-type]  # flat values_list: plain values


async def unpublished_penalties(campaign: Campaign, decided_on: dt.date | None = None) -> int:
    """How many of the campaign's penalties (those decided on `decided_on`, if given) are not
    published yet."""
    pending = Penalty.filter(task__campaign_id=campaign.id, published_at=None)
    if decided_on is not None:
        pending = pending.filter(decided_on=decided_on)
    return await pending.count()


async def revealed_draw(campaign_code: str) -> Draw:
    """The campaign's revealed draw, with its record and its campaign (department loaded)."""
    campaign = await get_campaign(campaign_code)
    draw = await Draw.get_or_none(campaign_id=campaign.id, status=DrawStatus.REVEALED)
    if draw is None or not draw.record:
        raise UserError(f"抽查计划 {campaign_code} 尚未揭示抽取结果 (no revealed draw)")
    draw.campaign = campaign
    return draw


async def latest_draw(campaign: Campaign) -> Draw | None:
    """The campaign's draw that was prepared last and not abandoned (prepared or revealed)."""
    return (
        await Draw.filter(campaign_id=campaign.id)
        .exclude(status=DrawStatus.ABANDONED)
        .order_by("-id")
        .first()
    )
