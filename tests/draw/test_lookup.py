"""The questions the adapters ask of campaigns and their draws, answered by the domain: who
runs which campaign, which draw a record or list comes from, what is left to publish."""

from __future__ import annotations

import datetime as dt

import pytest

from domain import clock
from domain.campaigns import lookup
from domain.campaigns.plan import get_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.errors import PermissionDenied, UserError
from domain.rules.access import Actor, Role
from domain.rules.lifecycle import TaskState
from domain.storage.models import CampaignStatus, Department, Penalty, Task, TeamMember
from domain.tasks import closing
from tests.kit.draw_demo import CODE, DICE, demo

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def outsider() -> Actor:
    district = await Department.get(code="419802")
    return Actor(Role.COORDINATOR, 99, "区协调员", department_path=district.path)


async def test_a_campaign_is_found_only_by_those_who_run_it(db):
    actor = await demo()
    campaign = await get_campaign(CODE)
    planned = [CampaignStatus.PLANNED]
    assert [c.code for c in await lookup.coordinated_campaigns(actor, planned, 5)] == [CODE]
    assert await lookup.coordinated_campaigns(actor, [CampaignStatus.DRAWN], 5) == []
    assert await lookup.coordinated_campaigns(await outsider(), planned, 5) == []
    assert (await lookup.coordinated_campaign(actor, campaign.id)).code == CODE
    # Someone else's campaign and a missing one are refused alike (as a permission).
    for who, campaign_id in ((await outsider(), campaign.id), (actor, campaign.id + 1000)):
        with pytest.raises(PermissionDenied):
            await lookup.coordinated_campaign(who, campaign_id)


async def test_the_draw_asked_for_and_what_it_made(db):
    actor = await demo()
    campaign = await get_campaign(CODE)
    assert await lookup.latest_draw(campaign) is None
    prepared = await prepare_draw(actor, CODE)
    assert (await lookup.latest_draw(campaign)).id == prepared.draw_id
    with pytest.raises(UserError, match="尚未揭示"):
        await lookup.revealed_draw(CODE)
    result = await reveal_draw(actor, CODE, dice=DICE)
    draw = await lookup.revealed_draw(CODE)
    assert draw.id == prepared.draw_id and draw.record_hash == result.record_hash
    assert result.members == await TeamMember.filter(task__draw_id=draw.id).count() > 0
    tasks = await Task.filter(campaign_id=campaign.id).order_by("id").values_list("id", flat=True)
    assert await lookup.campaign_task_ids(campaign) == list(tasks) != []


async def test_unpublished_penalties_are_counted_by_decision_day(db):
    actor = await demo()
    await prepare_draw(actor, CODE)
    await reveal_draw(actor, CODE, dice=DICE)
    campaign = await get_campaign(CODE)
    task_ids = await lookup.campaign_task_ids(campaign)
    day = dt.date(2026, 11, 27)
    await Task.filter(id__in=task_ids[:2]).update(state=TaskState.APPROVED)  # results approved
    await closing.record_penalty(actor, task_ids[0], "示人防罚〔2026〕3号", day, "罚款一万元")
    penalty = await closing.record_penalty(
        actor, task_ids[1], "示人防罚〔2026〕4号", day + dt.timedelta(days=1), "罚款五千元"
    )
    assert await lookup.unpublished_penalties(campaign) == 2
    assert await lookup.unpublished_penalties(campaign, day) == 1
    # Published (as publishing the campaign would): no longer counted.
    await Penalty.filter(id=penalty.id).update(published_at=clock.now())
    assert await lookup.unpublished_penalties(campaign) == 1
    assert await lookup.unpublished_penalties(campaign, day + dt.timedelta(days=1)) == 0
