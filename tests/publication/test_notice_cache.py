"""The public task notice kept between requests: the same answer while nothing changed, and a
new one as soon as anything it shows changes, whichever process changed it."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from tortoise import connections

from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.publication import notice_cache, notices
from domain.storage.models import Campaign, Department, InspectionItem
from tests.kit.draw_demo import CODE, DICE, demo

pytestmark = pytest.mark.clock("2026-11-20 10:00")

BASE = f"/public/campaigns/{CODE}"


async def shown(client) -> dict:
    response = await client.get(BASE + "/task-notice")
    assert response.status == 200
    return await response.json()


async def test_the_kept_notice_follows_every_change(client):
    actor = await demo()
    assert (await client.get(BASE + "/task-notice")).status == 404  # nothing prepared: not kept
    await prepare_draw(actor, CODE)
    first = await shown(client)
    assert first["drawn"] is False and first["draw"]["status"] == "pending"
    assert await shown(client) == first == await notices.task_notice(CODE)

    await reveal_draw(actor, CODE, dice=DICE)
    revealed = await shown(client)
    assert revealed["drawn"] is True and revealed["tasks"]["count"] > 0
    assert revealed == await notices.task_notice(CODE)

    campaign = await Campaign.get(code=CODE)
    campaign.name = "改名后的抽查计划"
    await campaign.save()
    assert (await shown(client))["name"] == "改名后的抽查计划"

    item = await InspectionItem.get(code=campaign.item_codes[0])
    item.name = "改名后的事项"
    await item.save()
    assert (await shown(client))["items"][0]["name"] == "改名后的事项"

    region = await Department.get(code=campaign.region_codes[0])
    region.name = "改名后的区"
    await region.save()
    assert (await shown(client))["scope"]["regions"][0]["name"] == "改名后的区"
    assert await shown(client) == await notices.task_notice(CODE)


async def test_an_unchanged_notice_is_not_built_again_nor_changed_by_its_pages(client):
    actor = await demo()
    await prepare_draw(actor, CODE)
    await reveal_draw(actor, CODE, dice=DICE)
    kept = await notice_cache.task_notice(CODE)
    fresh = await notices.task_notice(CODE)
    for query in ("", "?format=html", "?format=json"):
        assert (await client.get(BASE + "/task-notice" + query)).status == 200
    assert await notice_cache.task_notice(CODE) is kept  # the same object: not built again
    assert kept == fresh  # and rendering it as JSON and as HTML changed nothing


async def test_the_answer_sent_follows_the_kept_notice_in_each_format(client):
    actor = await demo()
    await prepare_draw(actor, CODE)
    pages = {}
    for query in ("?format=json", "?format=html"):
        response = await client.get(BASE + "/task-notice" + query)
        body = await response.read()
        assert response.headers["ETag"] == f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        pages[query] = (response.headers["ETag"], body)
    assert pages["?format=json"][0] != pages["?format=html"][0]
    for query, (tag, _) in pages.items():
        kept = await client.get(BASE + "/task-notice" + query, headers={"If-None-Match": tag})
        assert kept.status == 304

    await reveal_draw(actor, CODE, dice=DICE)
    for query, (tag, body) in pages.items():
        response = await client.get(BASE + "/task-notice" + query, headers={"If-None-Match": tag})
        assert response.status == 200
        assert response.headers["ETag"] != tag and await response.read() != body
    assert (await shown(client)) == await notices.task_notice(CODE)


async def test_concurrent_requests_share_one_fingerprint_asked_after_they_came(db, monkeypatch):
    """A request arriving while a fingerprint query is on its way waits for the next one,
    which it shares with every other request that came meanwhile."""
    actor = await demo()
    await prepare_draw(actor, CODE)
    await notice_cache.task_notice(CODE)
    conn = connections.get("default")
    real, asked, answered, gate = conn.execute_query, [], asyncio.Event(), asyncio.Event()

    async def held_after_answering(sql, values=None):
        rows = await real(sql, values)
        if "campaign_changed" in sql:
            asked.append(sql)
            answered.set()
            await gate.wait()  # answered, not yet returned: on its way
        return rows

    monkeypatch.setattr(conn, "execute_query", held_after_answering)
    first = asyncio.ensure_future(notice_cache.task_notice(CODE))
    await answered.wait()
    campaign = await Campaign.get(code=CODE)
    campaign.name = "改名后的抽查计划"
    await campaign.save()
    later = [asyncio.ensure_future(notice_cache.task_notice(CODE)) for _ in range(10)]
    gate.set()
    shown = await asyncio.gather(first, *later)
    assert shown[0]["name"] != "改名后的抽查计划"  # asked before the change
    assert all(notice["name"] == "改名后的抽查计划" for notice in shown[1:])
    assert len(asked) == 2  # one query for the ten that came while the first was on its way
