"""The item list drives the draw: an item's 抽查频次 limits the campaigns using it each year,
and key items (重点事项) are not held to the yearly cap."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from demo.items import ITEMS
from domain.campaigns.plan import create_campaign, edit_campaign, get_campaign
from domain.campaigns.prepare import prepare_draw
from domain.errors import UserError
from domain.storage.models import Campaign, Department, Draw, ItemKind, Target, Task
from tests.kit.draw_demo import CITY, CODE, DUE, START, candidates_of, demo, spec

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def twice_inspected(categories: set[str]) -> Target:
    """A plain operating business of `categories` with two tasks this year already."""
    plain = await Target.filter(
        status="operating", complaints=0, bad_record=False, serious_violation=False
    ).order_by("id")
    target = next(t for t in plain if categories & set(t.categories))
    city = await Department.get(code=CITY)
    for n in (1, 2):
        campaign = await Campaign.create(
            code=f"2026-PRIOR-{n}",
            name="此前的抽查",
            department=city,
            start_date=START,
            due_date=DUE,
            status="drawn",
        )
        draw = await Draw.create(campaign=campaign, commitment="0" * 64, secret="s", prepared={})
        await Task.create(
            number=f"2026-PRIOR-{n}-1",
            campaign=campaign,
            draw=draw,
            target=target,
            stratum="x",
            ticket="0.5",
            state="drawn",
            due_date=DUE,
            year=START.year,
        )
    return target


@pytest.mark.parametrize("with_general", [False, True])
async def test_a_campaign_of_key_items_only_is_not_held_to_the_yearly_cap(db, with_general):
    key, general = next(
        (k, g)
        for k in ITEMS
        for g in ITEMS
        if k.kind == ItemKind.KEY and g.kind == ItemKind.GENERAL and k.categories == g.categories
    )
    codes = [key.code, general.code] if with_general else [key.code]
    actor = await demo(items=codes)
    target = await twice_inspected(set(key.categories))

    prepared = await prepare_draw(actor, CODE)
    everyone = {c for ids in (await candidates_of()).values() for c in ids}
    assert (target.credit_code in everyone) is not with_general
    assert prepared.exclusions.get("yearly_cap", 0) == (1 if with_general else 0)


async def test_an_item_is_used_at_most_its_frequency_per_year_unless_a_reason_is_given(db):
    once = next(i for i in ITEMS if i.frequency_per_year == 1)
    twice = next(i for i in ITEMS if i.frequency_per_year == 2)
    actor = await demo(items=[once.code, twice.code])

    second = await spec("2026-RF-02", items=[twice.code])
    await create_campaign(actor, second)  # twice a year: the second one is allowed
    with pytest.raises(UserError) as third:
        await create_campaign(actor, replace(second, code="2026-RF-03"))
    assert all(s in str(third.value) for s in (twice.code, "2026", CODE, "2026-RF-02"))
    with pytest.raises(UserError, match=once.code):
        await create_campaign(actor, await spec("2026-RF-04", items=[once.code]))
    assert not await Campaign.filter(code__in=["2026-RF-03", "2026-RF-04"]).exists()

    # Another year counts on its own; an edit moving into a full year is refused too.
    next_year = await spec(
        "2027-RF-01",
        items=[once.code],
        start_date=dt.date(2027, 3, 1),
        due_date=dt.date(2027, 4, 1),
    )
    await create_campaign(actor, next_year)
    with pytest.raises(UserError, match=once.code):
        await edit_campaign(actor, "2027-RF-01", {"start_date": START, "due_date": DUE})
    await edit_campaign(actor, "2027-RF-01", {"name": "次年抽查"})  # its own use is not counted

    reason = "群众投诉集中，专项整治"
    await create_campaign(actor, replace(second, code="2026-RF-03", beyond_frequency=reason))
    assert (await get_campaign("2026-RF-03")).frequency_reason == reason


async def test_without_ratios_a_campaign_draws_at_its_items_ratio_and_overriding_needs_a_reason(db):
    from domain.publication.notices import plan_notice

    ten = next(i for i in ITEMS if i.ratio_percent == 10)
    twenty = next(i for i in ITEMS if i.ratio_percent == 20)
    actor = await demo(items=[ten.code], ratios={}, ratio_reason="")
    campaign = await get_campaign(CODE)
    # The highest item ratio in every class, the riskier classes' higher defaults kept.
    assert campaign.ratios == {"A": "10", "B": "10", "C": "10", "D": "30", "high": "50"}
    prepared = await prepare_draw(actor, CODE)
    assert {s.ratio_percent for s in prepared.strata if s.name.endswith(":B")} == {"10"}

    both = await spec(
        "2026-RF-02",
        items=[ten.code, twenty.code],
        ratios={},
        ratio_reason="",
        beyond_frequency="第二轮",
    )
    assert (await create_campaign(actor, both)).ratios["B"] == "20"
    lower = replace(both, code="2026-RF-03", ratios={"B": "5"})
    with pytest.raises(UserError, match="--ratio-reason"):
        await create_campaign(actor, lower)
    assert not await Campaign.exists(code="2026-RF-03")
    await create_campaign(actor, replace(lower, ratio_reason="上级部署的比例"))
    notice = await plan_notice("2026-RF-03")
    assert notice["ratio_reason"] == "上级部署的比例"
    assert {r["class"]: r["percent"] for r in notice["ratios"]}["B"] == "5"

    # Ratios that followed the items follow a correction of them; overridden ones stay.
    await edit_campaign(actor, "2026-RF-02", {"items": [ten.code]})
    assert (await get_campaign("2026-RF-02")).ratios["B"] == "10"
    await edit_campaign(actor, "2026-RF-03", {"items": [ten.code]})
    assert (await get_campaign("2026-RF-03")).ratios["B"] == "5"
