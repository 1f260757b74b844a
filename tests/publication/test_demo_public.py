"""The demo's published campaign, as the public sees it: every notice, the draw record that
anyone can recompute, the cancelled task with its reason, the penalty; the one in progress
still sealed."""

from __future__ import annotations

import hashlib
import json

from demo.story import CANCEL_REASON, IN_PROGRESS, PENALTY
from domain.audit.log import verify_chain
from domain.draw.verify import verify_record
from domain.storage.models import Evidence, Task
from tests.kit.demo_story import BASE, demo_played


async def test_one_campaign_published_and_verifiable_the_other_sealed(client, tmp_path):
    story = await demo_played(tmp_path)
    assert (await verify_chain()).ok
    assert story.photos == await Evidence.filter(kind="photo").count() > 0
    assert not await Evidence.filter(kind="photo", anomalies__not=[]).exists()
    notice = await (await client.get(BASE + "/task-notice")).json()
    record_text = await (await client.get(BASE + "/record")).text()
    record = json.loads(record_text)
    assert record["record_hash"] == notice["draw"]["record_hash"]
    assert record["entropy"].startswith("dice:")
    index = await (await client.get(BASE + "/candidates")).json()
    candidates = {}
    for stratum in index["strata"]:
        text = await (await client.get(f"{BASE}/candidates/{stratum['name']}")).text()
        assert hashlib.sha256(text.encode()).hexdigest() == stratum["digest"]
        candidates[stratum["name"]] = text.splitlines()
    verified = verify_record(record, candidates)
    assert verified.candidates_checked and verified.targets == notice["tasks"]["count"]

    results = await (await client.get(BASE + "/results")).json()
    assert results["status"] == "published"
    assert results["counts"] == {
        "drawn": notice["tasks"]["count"],
        "published": story.published_tasks,
        "cancelled": 1,
    }
    assert [c["reason"] for c in results["cancelled"]] == [CANCEL_REASON]
    penalties = [p for r in results["results"] for p in r["penalties"]]
    assert [p["decision_no"] for p in penalties] == [PENALTY[0]]
    html = await (await client.get(BASE + "/results?format=html")).text()
    for text in (CANCEL_REASON, PENALTY[0], results["cancelled"][0]["business_name"]):
        assert text in html
    assert "示范市人防办" in html.split("</h1>")[0]

    # The other campaign is under way: its task notice is public, what it drew is not.
    base = f"/public/campaigns/{IN_PROGRESS}"
    notice = await (await client.get(base + "/task-notice")).json()
    assert notice["status"] == "drawn" and notice["tasks"]["count"] > 0
    for suffix in ("/results", "/record", "/candidates"):
        assert (await client.get(base + suffix)).status == 404
    states = set(await Task.filter(campaign__code=IN_PROGRESS).values_list("state", flat=True))
    assert "report_submitted" in states and len(states) > 1
    sealed = await (await client.get(base + "/task-notice?format=html")).text()
    for task in await Task.filter(campaign__code=IN_PROGRESS).prefetch_related("target"):
        assert task.target.credit_code not in sealed
