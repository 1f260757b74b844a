"""Real draws on the demo data through the public pages: the commitment and the candidate digests
are public as soon as a draw is prepared, an abandoned draw's secret once a later draw is
revealed, and nothing sealed shows on the way."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from tortoise import timezone

from domain.campaigns.frozen import frozen_candidates, frozen_strata
from domain.campaigns.prepare import abandon_draw, prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.errors import UserError
from domain.storage.models import Campaign, Conflict, Draw, Inspector, Task
from tests.kit.draw_demo import BLOCKED, CODE, DICE, block_every_team, demo

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

BASE = f"/public/campaigns/{CODE}"
REASON = "投影仪故障，见证人未能看到承诺值"


async def notice(client) -> dict:
    response = await client.get(BASE + "/task-notice")
    assert response.status == 200
    return await response.json()


async def page(client) -> str:
    response = await client.get(BASE + "/task-notice?format=html")
    assert response.status == 200 and response.content_type == "text/html"
    return await response.text()


async def everything_public(client) -> str:
    texts = [await (await client.get("/public/campaigns")).text()]
    for suffix in ("", "/task-notice", "/results", "/record", "/candidates"):
        for query in ("", "?format=html"):
            texts.append(await (await client.get(BASE + suffix + query)).text())
    return "\n".join(texts)


async def sealed_ids(draw_id: int) -> set[str]:
    """Every candidate id and inspector certificate frozen by a draw: never public before
    publication."""
    frozen = await frozen_candidates(draw_id)
    ids = {i for ids in frozen_strata(frozen).values() for i in ids}
    return ids | {p["cert_no"] for p in frozen["pool"]}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def test_commitment_and_digests_are_public_once_prepared(client):
    actor = await demo()
    assert (await client.get(BASE + "/task-notice")).status == 404  # nothing prepared yet
    prepared = await prepare_draw(actor, CODE)
    draw = await Draw.get(id=prepared.draw_id)
    data = await notice(client)
    assert data["drawn"] is False and data["tasks"] is None and data["drawn_on"] is None
    current = data["draw"]
    assert current["status"] == "pending" and current["record_hash"] is None
    assert current["commitment"] == prepared.commitment == sha256(draw.secret)
    assert current["strata"] == [
        {"name": s.name, "eligible": s.eligible, "digest": s.digest} for s in prepared.strata
    ]
    assert current["pool"] == {
        "size": prepared.pool_size,
        "digest": prepared.pool_digest,
        "snapshot_digest": prepared.pool_snapshot_digest,
    }
    # The page gives the office's time; the same instant as the one stored.
    shown = dt.datetime.fromisoformat(current["prepared_at"])
    assert shown == dt.datetime.fromisoformat(draw.prepared["prepared_at"])
    [row] = data["draws"]
    assert row["fate"] == "pending" and row["secret"] is None and row["entropy"] is None
    html = await page(client)
    for digest in (prepared.commitment, prepared.pool_digest, *(s.digest for s in prepared.strata)):
        assert digest in html
    assert "揭示前保密" in html
    text = await everything_public(client)
    for sealed in (draw.secret, *await sealed_ids(draw.id)):
        assert sealed not in text, sealed
    for suffix in ("/record", "/candidates", "/results"):
        assert (await client.get(BASE + suffix)).status == 404


async def test_an_abandoned_secret_is_public_after_the_next_reveal(client):
    actor = await demo()
    first = await prepare_draw(actor, CODE)
    await abandon_draw(actor, CODE, REASON)
    abandoned = await Draw.get(id=first.draw_id)
    data = await notice(client)
    assert data["draw"] is None
    [row] = data["draws"]
    assert row["fate"] == "abandoned" and row["reason"] == REASON and row["abandoned_at"]
    assert row["commitment"] == first.commitment and row["secret"] is None

    second = await prepare_draw(actor, CODE)
    data = await notice(client)
    assert [d["fate"] for d in data["draws"]] == ["abandoned", "pending"]
    assert data["draw"]["commitment"] == second.commitment
    assert data["draw"]["abandoned_commitments"] == [first.commitment]
    # Not before the reveal: an early secret would let the coordinator's abandon be weighed
    # against nothing, and the first commitment stays binding until then.
    assert abandoned.secret not in await everything_public(client)

    await reveal_draw(actor, CODE, dice=DICE)
    revealed = await Draw.get(id=second.draw_id)
    data = await notice(client)
    old, new = data["draws"]
    assert old["secret"] == abandoned.secret and sha256(old["secret"]) == old["commitment"]
    assert old["entropy"] is None  # abandoned before any reveal was attempted
    assert new["fate"] == "revealed" and new["record_hash"] == revealed.record_hash
    assert new["secret"] is None and data["draw"]["record_hash"] == revealed.record_hash
    assert data["tasks"]["count"] == await Task.all().count() > 0
    html = await page(client)
    assert abandoned.secret in html and REASON in html and revealed.record_hash in html
    text = await everything_public(client)
    tasks = await Task.all().prefetch_related("target")
    for sealed in (revealed.secret, *(t.target.credit_code for t in tasks)):
        assert sealed not in text, sealed
    for person in await Inspector.all():
        assert person.name not in text and person.cert_no not in text

    # Published: the revealed draw's secret too, as in its record.
    await Task.all().update(state="published")
    await Campaign.filter(code=CODE).update(status="published", published_at=timezone.now())
    data = await notice(client)
    assert data["draws"][1]["secret"] == revealed.secret
    assert sha256(revealed.secret) == second.commitment


async def test_a_failed_draw_shows_its_fate_never_the_targets_it_named(client):
    actor = await demo()
    first = await prepare_draw(actor, CODE)
    await block_every_team()
    with pytest.raises(UserError) as info:
        await reveal_draw(actor, CODE, dice=DICE)
    message = str(info.value)
    failed = await Draw.get(id=first.draw_id)
    assert failed.status == "abandoned" and failed.entropy
    named = {code for code in await sealed_ids(failed.id) if code in message}
    assert named  # the coordinator was told which businesses had no team; the public is not
    [row] = (await notice(client))["draws"]
    assert row["fate"] == "failed" and row["reason"] is None and row["secret"] is None
    text = await everything_public(client)
    assert failed.secret not in text and not any(code in text for code in named)

    await Conflict.filter(reason=BLOCKED).delete()
    await prepare_draw(actor, CODE)
    await reveal_draw(actor, CODE, dice=DICE)
    old, new = (await notice(client))["draws"]
    assert (old["secret"], old["entropy"]) == (failed.secret, failed.entropy)
    assert sha256(old["secret"]) == first.commitment and new["fate"] == "revealed"
    html = await page(client)
    assert failed.secret in html and "无法组成检查组" in html
    assert not any(code in html for code in named)
