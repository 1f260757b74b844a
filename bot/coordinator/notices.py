"""Reminders to coordinators, stored by the domain (domain/calendar/deadlines.py) and fired by the
sweeper: publication deadlines for results (20 working days) and penalties (7), 5 and 1
working days before and on the day; and overdue tasks, every working day.

Each renderer looks again when the reminder is sent: a deadline met meanwhile, or overdue tasks
finished meanwhile, send nothing.

"task.overdue" also reaches the team's inspectors: `overdue_for_coordinator` is the
coordinators' part of it, composed with the inspectors' in bot/renderers.py.
"""

from __future__ import annotations

import datetime as dt

from bot.coordinator.formatting import MAX_LISTED
from bot.delivery.render import Outgoing, Rendered, Renderer
from bot.i18n import due_text, provisional_note, t
from domain.calendar import provisional
from domain.calendar.deadlines import CALENDAR_MISSING, PENALTY_KINDS, RESULTS_KINDS
from domain.campaigns.lookup import campaign_with_id, unpublished_penalties
from domain.campaigns.status import campaign_status
from domain.people.persons import coordinator_actor
from domain.storage.models import Campaign, CampaignStatus


async def _campaign(out: Outgoing) -> Campaign | None:
    subject = out.payload.get("reminder") or {}
    if subject.get("subject_kind") != "campaign":
        return None
    return await campaign_with_id(subject.get("subject_id"))


def _when(lang: str, kind: str) -> str:
    return t(lang, f"coord.remind.{kind.rsplit('.', 1)[1]}")


def _assumed(out: Outgoing) -> list[int]:
    """The years a reminder's deadline was counted over without a calendar
    (domain.calendar.deadlines)."""
    return (out.payload.get("provisional") or {}).get("years") or []


def _due(out: Outgoing) -> str:
    return due_text(out.lang, out.payload.get("due_date", ""), _assumed(out))


def _note(out: Outgoing) -> str:
    years = _assumed(out)
    return "\n" + provisional_note(out.lang, years) if years else ""


async def results_due(out: Outgoing) -> Rendered | None:
    campaign = await _campaign(out)
    if campaign is None or campaign.status == CampaignStatus.PUBLISHED:
        return None
    text = t(
        out.lang,
        "coord.remind.results",
        code=campaign.code,
        name=campaign.name,
        due=_due(out),
        when=_when(out.lang, out.kind),
    )
    return Rendered(text + _note(out), protect_content=False)  # a public plan's deadline


async def calendar_missing(out: Outgoing) -> Rendered | None:
    """A deadline counted over a year with no calendar: which year, and how to add it. Nothing
    once the year has been imported (the import cancels these) or the deadline is met."""
    campaign = await _campaign(out)
    if campaign is None:
        return None
    what, start = str(out.payload.get("what", "")), str(out.payload.get("start", ""))
    if what == provisional.RESULTS and campaign.status == CampaignStatus.PUBLISHED:
        return None
    if what == provisional.PENALTY and start:
        if not await unpublished_penalties(campaign, dt.date.fromisoformat(start)):
            return None
    text = t(
        out.lang,
        "coord.remind.calendar",
        code=campaign.code,
        what=t(out.lang, f"coord.remind.calendar.{what}"),
        due=out.payload.get("due_date", ""),
        year=out.payload.get("year", ""),
    )
    return Rendered(text, protect_content=False)  # a public plan's deadline


async def penalty_due(out: Outgoing) -> Rendered | None:
    campaign = await _campaign(out)
    if campaign is None:
        return None
    decided = out.payload.get("start", "")
    count = await unpublished_penalties(
        campaign, dt.date.fromisoformat(decided) if decided else None
    )
    if not count:
        return None
    text = t(
        out.lang,
        "coord.remind.penalty",
        code=campaign.code,
        count=count,
        decided=decided,
        due=_due(out),
        when=_when(out.lang, out.kind),
    )
    return Rendered(text + _note(out))


async def overdue_for_coordinator(out: Outgoing) -> Rendered | None:
    campaign = await _campaign(out)
    actor = await coordinator_actor(out.recipient_id)
    if campaign is None or actor is None:
        return None
    report = await campaign_status(actor, campaign.code)
    if not report.overdue:
        return None
    shown = report.overdue[:MAX_LISTED]
    more = len(report.overdue) - len(shown)
    text = t(
        out.lang,
        "coord.remind.overdue",
        code=campaign.code,
        count=len(report.overdue),
        due=out.payload.get("due_date", ""),
        tasks="、".join(shown) + (t(out.lang, "coord.remind.more", count=more) if more > 0 else ""),
    )
    return Rendered(text)  # task numbers: protected


RENDERERS: dict[str, Renderer] = {
    **dict.fromkeys(RESULTS_KINDS, results_due),
    **dict.fromkeys(PENALTY_KINDS, penalty_due),
    CALENDAR_MISSING: calendar_missing,
}
