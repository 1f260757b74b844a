"""Cases for the publication tests: a task with everything sealed about it, and publishing it by
setting the states directly (the lead's services do it for real)."""

from __future__ import annotations

import datetime as dt
import hashlib

from tortoise import timezone

from domain.campaigns.frozen import save_frozen
from domain.draw.record import canonical
from domain.evidence.service import add_note
from domain.rules.credit_code import complete
from domain.storage.models import (
    Campaign,
    Conflict,
    Draw,
    DrawStatus,
    InspectionItem,
    Penalty,
    Report,
    Target,
    Task,
)
from tests.kit.factories import CATEGORY, World, world

CHECKIN = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
NOTE_TEXT = "地下二层消防通道被货物堵塞约十米"
CONFLICT_REASON = "检查人员的配偶在该公司任职"
OTHER_BUSINESS = "秘密防护设备制造有限公司"
OTHER_CODE = complete("91329901MA0000002")
CANDIDATE_CODE = complete("91329901MA0000003")  # eligible in the published campaign, not drawn
# What must never appear in a public notice.
ALWAYS_SECRET = ("张伟", "李娜", "王强", "ZF001", "ZF002", "ZF003", NOTE_TEXT, CONFLICT_REASON)
RECORD = {"format": "shuangsuiji-draw-record", "version": 1, "secret": "ab" * 32}


async def sealed_case() -> World:
    """A drawn task on site, with a note, a conflict, a report and a penalty, all sealed."""
    w = await world("on_site", CHECKIN)
    await InspectionItem.create(
        code="RF-07",
        name="人防工程平时使用情况检查",
        legal_basis="《中华人民共和国人民防空法》第二十六条",
        body=w.city,
        content="平时使用是否影响防护功能",
        categories=[CATEGORY],
        ratio_percent=5,
        method="实地检查",
        requirements="提供平时使用备案材料",
    )
    await add_note(w.actor(w.leader), w.task.id, "problem", NOTE_TEXT, idempotency_key="n1")
    await Conflict.create(inspector=w.outsider, target=w.target, reason=CONFLICT_REASON)
    await Report.create(
        task=w.task,
        data={"result_categories": ["A", "C"], "findings": NOTE_TEXT},
        completed_on=dt.date(2026, 11, 20),
        remarks="已责令限期整改",
    )
    await Penalty.create(
        task=w.task,
        decision_no="示人防罚〔2026〕3号",
        decided_on=dt.date(2026, 12, 1),
        content="罚款人民币五万元",
        dishonest=True,
    )
    draw = await Draw.get(campaign_id=w.campaign.id)
    draw.status = DrawStatus.REVEALED
    draw.revealed_at = dt.datetime(2026, 10, 30, 1, 0, tzinfo=dt.UTC)
    draw.record = canonical(RECORD)
    draw.record_hash = hashlib.sha256(draw.record.encode()).hexdigest()
    draw.prepared = {
        "strata": [{"name": "329901:B", "digest": "d" * 64}],
        "pool": {"size": 3, "digest": "e" * 64},
    }
    await draw.save()
    await save_frozen(draw, {"strata": {"329901:B": [w.target.credit_code, CANDIDATE_CODE]}})
    return w


async def other_sealed_campaign(w: World) -> Task:
    """A second campaign, drawn and never published, with a business of its own."""
    target = await Target.create(
        credit_code=OTHER_CODE,
        name=OTHER_BUSINESS,
        categories=[CATEGORY],
        region=w.county,
    )
    campaign = await Campaign.create(
        code="2026-RF-02",
        name="2026年防护设备专项抽查",
        department=w.city,
        item_codes=["RF-07"],
        region_codes=[w.city.code],
        start_date=dt.date(2026, 11, 2),
        due_date=dt.date(2026, 12, 18),
        ratios={"A": "1", "B": "2", "C": "10", "D": "30", "high": "50"},
        status="completed",
    )
    draw = await Draw.create(
        campaign=campaign,
        status=DrawStatus.REVEALED,
        commitment="1" * 64,
        secret="s2",
        prepared={},
        record=canonical({**RECORD, "drawn": [OTHER_CODE]}),
        record_hash="2" * 64,
    )
    await save_frozen(draw, {"strata": {"329901:B": [OTHER_CODE]}})
    return await Task.create(
        number="2026-RF-02-0001",
        campaign=campaign,
        draw=draw,
        target=target,
        stratum="329901:B",
        ticket="0.5",
        item_codes=["RF-07"],
        state="approved",
        due_date=campaign.due_date,
        year=2026,
    )


async def publish(w: World, *, penalty_published: bool = True) -> None:
    now = timezone.now()
    await Task.filter(id=w.task.id).update(state="published", completed_on=dt.date(2026, 11, 20))
    await Campaign.filter(id=w.campaign.id).update(
        status="published", completed_on=dt.date(2026, 12, 20), published_at=now
    )
    if penalty_published:
        await Penalty.filter(task_id=w.task.id).update(published_at=now)
