"""A campaign corrected or deleted before its draw (planned, or its prepared draw abandoned):
checked as a new one is, all or nothing, each change in the audit log; refused once drawn."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.audit import log as audit
from domain.campaigns.plan import delete_campaign, edit_campaign, get_campaign
from domain.campaigns.prepare import abandon_draw, prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.errors import NotFound, UserError
from domain.storage.models import AuditEntry, Campaign, Draw, DrawCandidates
from tests.kit.draw_demo import CODE, DICE, actions, demo

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def entry(action: str) -> dict:
    found = await AuditEntry.filter(action=action).order_by("-seq").first()
    return {
        "before": audit.parsed(found.before),
        "after": audit.parsed(found.after),
        "data": audit.parsed(found.data),
    }


async def test_an_edit_before_prepare_is_saved_and_audited_before_and_after(db):
    actor = await demo()
    await edit_campaign(
        actor, CODE, {"name": "更正后的名称", "due_date": dt.date(2026, 12, 25), "team_size": 3}
    )
    campaign = await get_campaign(CODE)
    assert (campaign.name, campaign.due_date, campaign.team_size) == (
        "更正后的名称",
        dt.date(2026, 12, 25),
        3,
    )
    edited = await entry("campaign.edit")
    assert edited["before"] == {
        "name": "2026年第四季度人防双随机抽查",
        "due_date": "2026-12-18",
        "team_size": 2,
    }
    assert edited["after"] == {"name": "更正后的名称", "due_date": "2026-12-25", "team_size": 3}


async def test_a_bad_edit_names_every_problem_and_changes_nothing(db):
    actor = await demo()
    with pytest.raises(UserError) as refused:
        await edit_campaign(
            actor, CODE, {"items": ["NO-SUCH-ITEM"], "due_date": dt.date(2026, 1, 1)}
        )
    assert "NO-SUCH-ITEM" in str(refused.value) and "早于开始日期" in str(refused.value)
    assert "无法修改抽查计划" in str(refused.value)
    with pytest.raises(UserError, match="code"):
        await edit_campaign(actor, CODE, {"code": "OTHER"})
    campaign = await get_campaign(CODE)
    assert campaign.due_date == dt.date(2026, 12, 18) and "NO-SUCH-ITEM" not in campaign.item_codes
    assert await actions() == ["campaign.create"]


async def test_after_an_abandoned_draw_edit_then_delete_keep_the_attempt_in_the_log(db):
    actor = await demo()
    prepared = await prepare_draw(actor, CODE)
    with pytest.raises(UserError, match="abandon"):
        await edit_campaign(actor, CODE, {"name": "x"})
    with pytest.raises(UserError, match="abandon"):
        await delete_campaign(actor, CODE)
    await abandon_draw(actor, CODE, "比例有误")
    await edit_campaign(
        actor, CODE, {"ratios": {"A": "5", "B": "5", "C": "10", "D": "30", "high": "50"}}
    )
    assert (await get_campaign(CODE)).ratios["A"] == "5"
    await delete_campaign(actor, CODE)
    with pytest.raises(NotFound):
        await get_campaign(CODE)
    assert await Draw.all().count() == 0 and await DrawCandidates.all().count() == 0
    deleted = await entry("campaign.delete")
    assert deleted["before"]["code"] == CODE and deleted["before"]["ratios"]["A"] == "5"
    (attempt,) = deleted["data"]["abandoned_draws"]
    assert attempt["commitment"] == prepared.commitment and attempt["reason"] == "比例有误"
    assert await actions() == [
        "campaign.create",
        "draw.prepare",
        "draw.abandon",
        "campaign.edit",
        "campaign.delete",
    ]


async def test_refused_after_the_reveal_pointing_to_the_amendments(db):
    actor = await demo()
    await prepare_draw(actor, CODE)
    await reveal_draw(actor, CODE, dice=DICE)
    for attempt in (
        edit_campaign(actor, CODE, {"name": "x"}),
        delete_campaign(actor, CODE),
    ):
        with pytest.raises(UserError, match="amendments") as refused:
            await attempt
        assert "draw record" in str(refused.value)
    assert await Campaign.filter(code=CODE, name="x").count() == 0
    assert "campaign.edit" not in await actions()
