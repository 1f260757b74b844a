"""The public pages through a real aiohttp server: nothing sealed shows, results only after
publication, errors as problem details."""

from __future__ import annotations

import datetime as dt
import json

from domain.storage.models import Campaign, Draw, Penalty, Target, Task
from tests.kit.publication_cases import (
    ALWAYS_SECRET,
    CANDIDATE_CODE,
    NOTE_TEXT,
    OTHER_BUSINESS,
    OTHER_CODE,
    other_sealed_campaign,
    publish,
    sealed_case,
)

CODE = "2026-RF-01"
NOTICES = ("", "/task-notice", "/results")
SEALED_ONLY = ("/results", "/record", "/candidates", "/candidates/329901:B")


async def everything_public(client, code: str) -> str:
    """Every public answer about `code` (and the list), JSON and HTML, as one text."""
    texts = [await (await client.get("/public/campaigns")).text()]
    for suffix in NOTICES:
        for query in ("", "?format=html"):
            texts.append(
                await (await client.get(f"/public/campaigns/{code}{suffix}{query}")).text()
            )
    for suffix in SEALED_ONLY:
        texts.append(await (await client.get(f"/public/campaigns/{code}{suffix}")).text())
    return "\n".join(texts)


async def test_before_publication_nothing_sealed_shows(client):
    w = await sealed_case()
    await other_sealed_campaign(w)
    for code in (CODE, "2026-RF-02"):
        text = await everything_public(client, code)
        for secret in (*ALWAYS_SECRET, w.target.name, w.target.credit_code, OTHER_BUSINESS):
            assert secret not in text, secret
        assert OTHER_CODE not in text and CANDIDATE_CODE not in text
    # The plan and the task notice are public all the same.
    plan = await (await client.get(f"/public/campaigns/{CODE}")).json()
    assert plan["items"][0]["legal_basis"] == "《中华人民共和国人民防空法》第二十六条"
    assert {r["class"]: r["percent"] for r in plan["ratios"]}["D"] == "30"
    tasks = await (await client.get(f"/public/campaigns/{CODE}/task-notice")).json()
    assert tasks["tasks"] == {"count": 1, "first": "2026-RF-01-0001", "last": "2026-RF-01-0001"}
    assert tasks["drawn_on"] == "2026-10-30" and tasks["inspecting_bodies"] == ["示范市人防办"]


async def test_sealed_parts_answer_exactly_like_a_missing_campaign(client):
    await sealed_case()
    for suffix in ("/results", "/record", "/candidates"):
        sealed = await client.get(f"/public/campaigns/{CODE}{suffix}")
        missing = await client.get(f"/public/campaigns/NO-SUCH{suffix}")
        assert sealed.status == missing.status == 404
        assert sealed.content_type == "application/problem+json"
        assert await sealed.read() == await missing.read()
        body = await sealed.json()
        assert body["status"] == 404 and body["title"] == "未找到" and "尚未公开" in body["detail"]


async def test_results_after_publication(client):
    w = await sealed_case()
    await other_sealed_campaign(w)
    await Penalty.create(
        task=w.task, decision_no="未公开罚〔2026〕9号", decided_on=w.task.due_date, content="x"
    )
    await publish(w)
    await Penalty.filter(decision_no="未公开罚〔2026〕9号").update(published_at=None)
    response = await client.get(f"/public/campaigns/{CODE}/results")
    assert response.status == 200
    data = await response.json()
    assert data["published_on"] and data["counts"] == {"drawn": 1, "published": 1, "cancelled": 0}
    [row] = data["results"]
    assert row["business_name"] == w.target.name and row["credit_code"] == w.target.credit_code
    assert row["completed_on"] == "2026-11-20" and row["remarks"] == "已责令限期整改"
    assert row["items"] == ["人防工程平时使用情况检查"]
    assert row["results"] == [
        {"code": "A", "label": "发现问题待后续处理"},
        {"code": "C", "label": "公示信息隐瞒真实情况弄虚作假"},
    ]
    assert row["penalties"] == [
        {
            "decision_no": "示人防罚〔2026〕3号",
            "decided_on": "2026-12-01",
            "content": "罚款人民币五万元",
        }
    ]
    html = await (await client.get(f"/public/campaigns/{CODE}/results?format=html")).text()
    assert w.target.name in html and "公示信息隐瞒真实情况弄虚作假" in html
    text = await everything_public(client, CODE)
    for secret in (*ALWAYS_SECRET, OTHER_BUSINESS, OTHER_CODE, "未公开罚"):
        assert secret not in text, secret
    assert NOTE_TEXT not in json.dumps(data, ensure_ascii=False)


async def test_a_cancelled_task_is_listed_apart_with_its_reason(client):
    w = await sealed_case()
    await publish(w)
    await Task.filter(id=w.task.id).update(state="cancelled", state_reason="对象已迁出本市")
    data = await (await client.get(f"/public/campaigns/{CODE}/results")).json()
    assert data["results"] == [] and data["counts"]["cancelled"] == 1
    assert data["cancelled"] == [
        {
            "task_number": w.task.number,
            "business_name": w.target.name,
            "credit_code": w.target.credit_code,
            "reason": "对象已迁出本市",
        }
    ]
    assert NOTE_TEXT not in json.dumps(data, ensure_ascii=False)


async def test_record_and_candidates_only_after_publication(client):
    w = await sealed_case()
    assert (await client.get(f"/public/campaigns/{CODE}/record")).status == 404
    await publish(w)
    response = await client.get(f"/public/campaigns/{CODE}/record")
    draw = await Draw.get(id=w.task.draw_id)
    assert response.status == 200 and response.content_type == "application/json"
    assert await response.text() == draw.record
    assert response.headers["ETag"] == f'"{draw.record_hash}"'
    index = await (await client.get(f"/public/campaigns/{CODE}/candidates")).json()
    assert index["strata"] == [{"name": "329901:B", "eligible": 2, "digest": "d" * 64}]
    listing = await client.get(f"/public/campaigns/{CODE}/candidates/329901:B")
    assert listing.content_type == "text/plain"
    assert await listing.text() == "".join(
        f"{c}\n" for c in sorted([w.target.credit_code, CANDIDATE_CODE])
    )
    unknown = await client.get(f"/public/campaigns/{CODE}/candidates/nowhere:Z")
    assert unknown.status == 404 and "nowhere:Z" in (await unknown.json())["detail"]


async def test_html_by_accept_header_and_escaped(client):
    w = await sealed_case()
    await Target.filter(id=w.target.id).update(name="<script>alert(1)</script>商场")
    await publish(w)
    response = await client.get(
        f"/public/campaigns/{CODE}/results", headers={"Accept": "text/html"}
    )
    assert response.content_type == "text/html"
    html = await response.text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;商场" in html
    # The page's one script is its own (the copy buttons), inline and fixed.
    assert html.count("<script>") == 1
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in html


async def test_list_and_plan_before_any_draw(client):
    w = await sealed_case()
    await Campaign.filter(id=w.campaign.id).update(status="planned")
    listing = await (await client.get("/public/campaigns")).json()
    assert listing["campaigns"][0] == {
        "code": CODE,
        "name": "2026年人防工程平时使用专项抽查",
        "department": {"code": "3299", "name": "示范市人防办"},
        "status": "planned",
        "status_label": "计划中",
        "period": {"start": "2026-11-02", "due": "2026-12-18"},
    }
    html = await (await client.get(f"/public/campaigns/{CODE}?format=html")).text()
    assert "抽查计划公告" in html and "第二十六条" in html and "不定向" in html
    # No draw ever prepared: no task notice, answered like a missing campaign.
    await Campaign.create(
        code="2026-RF-03",
        name="2026年尚未抽取的专项抽查",
        department=w.city,
        item_codes=["RF-07"],
        region_codes=[w.city.code],
        start_date=dt.date(2026, 11, 2),
        due_date=dt.date(2026, 12, 18),
        ratios={"B": "2"},
    )
    undrawn = await client.get("/public/campaigns/2026-RF-03/task-notice")
    missing = await client.get("/public/campaigns/NO-SUCH/task-notice")
    assert undrawn.status == missing.status == 404
    assert await undrawn.read() == await missing.read()


async def test_bad_format_is_a_problem(client):
    await sealed_case()
    response = await client.get(f"/public/campaigns/{CODE}?format=pdf")
    assert response.status == 400 and response.content_type == "application/problem+json"
    assert "format" in (await response.json())["detail"]
