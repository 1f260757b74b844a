"""The item list drives the draw: key items (重点事项) are not held to the yearly cap."""

from __future__ import annotations

import pytest

from demo.items import ITEMS
from domain.campaigns.prepare import prepare_draw
from domain.storage.models import Campaign, Department, Draw, ItemKind, Target, Task
from tests.kit.draw_demo import CITY, CODE, DUE, START, candidates_of, demo


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
