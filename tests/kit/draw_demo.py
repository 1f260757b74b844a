"""The demo data set in the database, a city coordinator and a campaign over every item: what
the database-side draw tests start from."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from demo import build_demo, load_demo
from domain.campaigns.frozen import frozen_candidates, frozen_strata
from domain.campaigns.plan import DEFAULT_RATIOS, CampaignSpec, create_campaign
from domain.rules.access import Actor, Role
from domain.storage.models import (
    AuditEntry,
    Conflict,
    Coordinator,
    Department,
    Draw,
    InspectionItem,
    Inspector,
    Target,
)

CITY = "419800"
CODE = "2026-RF-DRAW"
DICE = "31415926535897932384 62643"
START, DUE = dt.date(2026, 11, 2), dt.date(2026, 12, 18)


async def city_coordinator() -> Actor:
    city = await Department.get(code=CITY)
    person = await Coordinator.create(name="赵敏", department=city)
    return Actor(Role.COORDINATOR, person.id, person.name, department_path=city.path)


async def spec(code: str = CODE, **changes) -> CampaignSpec:
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    base = CampaignSpec(
        code=code,
        name="2026年第四季度人防双随机抽查",
        department=CITY,
        items=items,
        start_date=START,
        due_date=DUE,
        ratios=dict(DEFAULT_RATIOS),
        ratio_reason="按河南 2021 年的比例",
    )
    return replace(base, **changes)


async def demo(**changes) -> Actor:
    """Demo data loaded, a city coordinator, and campaign CODE created (with `changes`)."""
    await load_demo(build_demo())
    actor = await city_coordinator()
    await create_campaign(actor, await spec(**changes))
    return actor


async def record_of(code: str = CODE) -> dict:
    draw = await Draw.get(campaign__code=code, status="revealed")
    return json.loads(draw.record)


async def candidates_of(code: str = CODE) -> dict[str, list[str]]:
    draw = await Draw.filter(campaign__code=code).order_by("-id").first()
    return frozen_strata(await frozen_candidates(draw.id))


async def actions(code: str = CODE) -> list[str]:
    rows = await AuditEntry.filter(object_kind="campaign", object_id=code).order_by("seq")
    return [r.action for r in rows]


BLOCKED = "after the prepare"


async def block_every_team(credit_codes: list[str] | None = None) -> None:
    """Every officer declares a conflict with these businesses (all when None) after the
    prepare: conflicts are read at the reveal, where no team can then form."""
    chosen = Target.all() if credit_codes is None else Target.filter(credit_code__in=credit_codes)
    targets, people = await chosen, await Inspector.filter(is_expert=False)
    declared = set(await Conflict.all().values_list("inspector_id", "target_id"))
    await Conflict.bulk_create(
        [
            Conflict(inspector=p, target=t, reason=BLOCKED)
            for p in people
            for t in targets
            if (p.id, t.id) not in declared
        ]
    )
