"""A real draw on the demo data: sealed until published, then its record and candidate lists
are public and anyone can recompute the draw from them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from tortoise import timezone

from demo import build_demo, load_demo
from domain.campaigns.plan import CampaignSpec, create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.draw.verify import verify_record
from domain.rules.access import Actor, Role
from domain.storage.models import Campaign, Coordinator, Department, InspectionItem, Inspector, Task

CODE = "2026-RF-09"


async def draw_demo() -> list[Task]:
    await load_demo(build_demo())
    city = await Department.get(code="419800")
    person = await Coordinator.create(name="赵敏", department=city)
    actor = Actor(Role.COORDINATOR, person.id, person.name, department_path=city.path)
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    spec = CampaignSpec(
        code=CODE,
        name="2026年第四季度人防双随机抽查",
        department="419800",
        items=items,
        start_date=dt.date(2026, 11, 2),
        due_date=dt.date(2026, 12, 18),
    )
    await create_campaign(actor, spec)
    await prepare_draw(actor, CODE)
    await reveal_draw(actor, CODE, dice="31415926535897932384 62643")
    return list(await Task.all().order_by("number").prefetch_related("target"))


async def test_a_real_draw_is_sealed_then_verifiable(client):
    tasks = await draw_demo()
    base = f"/public/campaigns/{CODE}"
    notice = await (await client.get(base + "/task-notice")).json()
    assert notice["tasks"]["count"] == len(tasks) > 0
    sealed = "\n".join(
        [
            await (await client.get(base + suffix)).text()
            for suffix in ("", "?format=html", "/task-notice", "/task-notice?format=html")
        ]
    )
    for task in tasks:
        assert task.target.name not in sealed and task.target.credit_code not in sealed
    for person in await Inspector.all():
        assert person.name not in sealed and person.cert_no not in sealed
    for suffix in ("/record", "/candidates", "/results"):
        assert (await client.get(base + suffix)).status == 404

    await Task.all().update(state="published")
    await Campaign.filter(code=CODE).update(status="published", published_at=timezone.now())
    record_text = await (await client.get(base + "/record")).text()
    record = json.loads(record_text)
    assert record["record_hash"] == notice["draw"]["record_hash"]
    index = await (await client.get(base + "/candidates")).json()
    candidates = {}
    for stratum in index["strata"]:
        text = await (await client.get(f"{base}/candidates/{stratum['name']}")).text()
        # The file itself hashes to the digest published before the draw.
        assert hashlib.sha256(text.encode()).hexdigest() == stratum["digest"]
        candidates[stratum["name"]] = text.splitlines()
    verified = verify_record(record, candidates)
    assert verified.candidates_checked and verified.targets == len(tasks)
    results = await (await client.get(base + "/results")).json()
    assert {r["credit_code"] for r in results["results"]} == {t.target.credit_code for t in tasks}
