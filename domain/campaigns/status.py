"""What a coordinator needs at a glance: progress per state, what is overdue, what is odd, and
which deadlines run (in working days)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from domain import clock
from domain.calendar import deadlines
from domain.calendar.imported import load_calendar
from domain.calendar.workdays import Deadline
from domain.campaigns.plan import get_campaign
from domain.rules.access import Actor, require_coordinator
from domain.rules.lifecycle import TaskState
from domain.storage.models import Evidence, Penalty, Task


@dataclass
class CampaignStatusReport:
    code: str
    name: str
    status: str
    by_state: dict[str, int]
    overdue: list[str] = field(default_factory=list)  # task numbers
    anomalies: dict[str, int] = field(default_factory=dict)  # task number -> photos flagged
    due_date: dt.date | None = None
    workdays_left: int | None = None
    # Years counted Monday to Friday in workdays_left, for want of their calendar (暂定).
    workdays_left_assumed: frozenset[int] = frozenset()
    results_due: Deadline | None = None
    penalties_due: list[tuple[str, Deadline]] = field(default_factory=list)
    by_code: dict[str, int] = field(default_factory=dict)  # state code -> tasks


async def campaign_status(
    actor: Actor, code: str, today: dt.date | None = None
) -> CampaignStatusReport:
    campaign = await get_campaign(code)
    require_coordinator(actor, campaign.department.path)
    today = today or clock.today()
    calendar = await load_calendar()
    tasks = await Task.filter(campaign_id=campaign.id).order_by("id")
    by_state = Counter(TaskState(t.state).label_zh for t in tasks)
    report = CampaignStatusReport(
        campaign.code, campaign.name, campaign.status, dict(by_state), due_date=campaign.due_date
    )
    report.by_code = dict(Counter(TaskState(t.state).value for t in tasks))
    report.overdue = [
        t.number for t in tasks if t.state in deadlines.OPEN_TASK_STATES and t.due_date < today
    ]
    report.workdays_left, report.workdays_left_assumed = calendar.count_between(
        today, campaign.due_date
    )
    flagged = await Evidence.filter(task__campaign_id=campaign.id, kind="photo").values_list(
        "task__number", "anomalies"
    )
    counts: Counter = Counter(number for number, anomalies in flagged if anomalies)
    report.anomalies = dict(sorted(counts.items()))
    if campaign.completed_on:
        report.results_due = deadlines.results_deadline(calendar, campaign.completed_on)
    for penalty in await Penalty.filter(task__campaign_id=campaign.id, published_at=None):
        report.penalties_due.append(
            (penalty.decision_no, deadlines.penalty_deadline(calendar, penalty.decided_on))
        )
    return report


@dataclass(frozen=True)
class FlaggedPhoto:
    task_id: int
    task_number: str
    evidence_id: int
    anomalies: list
    received_at: dt.datetime | None


async def anomalous_photos(actor: Actor, code: str, limit: int = 500) -> list[FlaggedPhoto]:
    """The campaign's photos with anomalies (EXIF time or place off, edited, repeated), for
    one of its coordinators, in the order received."""
    campaign = await get_campaign(code)
    require_coordinator(actor, campaign.department.path)
    photos = (
        await Evidence.filter(task__campaign_id=campaign.id, kind="photo")
        .order_by("id")
        .values_list("task_id", "task__number", "id", "anomalies", "received_at")
    )
    flagged = [
        FlaggedPhoto(task_id, number, evidence_id, list(anomalies), received_at)
        for task_id, number, evidence_id, anomalies, received_at in photos
        if anomalies
    ]
    return flagged[:limit]
