"""A real draw on the demo data: sealed until published, then its record and candidate lists
are public and anyone can recompute the draw from them."""

from __future__ import annotations

import hashlib
import json

import pytest
from tortoise import timezone

from domain.draw.verify import verify_record
from domain.storage.models import Campaign, Inspector, Task
from tests.kit.drawn import CODE, draw_on_demo

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


async def draw_demo() -> list[Task]:
    await draw_on_demo()
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
