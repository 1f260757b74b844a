"""The README's campaign (two items of the city, every region) on the demo data: whatever the
dice, the reveal finds full teams, since the demo has enough officers for every target."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.campaigns.plan import create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.draw.verify import verify_record
from domain.storage.models import Department
from tests.kit.draw_demo import city_coordinator, demo, record_of, spec

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

ITEMS = ["RF-419800-001", "RF-419800-002"]
_codes = itertools.count(1)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(dice=st.lists(st.integers(1, 6), min_size=20, max_size=30))
async def test_the_readme_campaign_draws_full_teams_with_any_dice(db, dice):
    code = f"2026-RF-{next(_codes):02d}"
    if await Department.exists(code="419800"):
        actor = await city_coordinator()
        await create_campaign(
            actor, await spec(code, items=ITEMS, beyond_frequency="反复抽取同一示范数据")
        )
    else:
        actor = await demo(code=code, items=ITEMS)
    await prepare_draw(actor, code)
    result = await reveal_draw(actor, code, dice="".join(map(str, dice)))
    record = await record_of(code)
    assert result.tasks == len(record["teams"]) > 0
    assert result.fairness.json() == record["fairness"]
    assert 0 <= result.fairness.least <= result.fairness.most <= result.fairness.cap
    assert verify_record(record).teams == result.tasks
