"""Candidates read from an SQLite file by side connections, several chunks at once, equal those
read through the one shared connection (tests otherwise run on in-memory databases, which only
the shared connection can see)."""

from __future__ import annotations

import pytest
from tortoise import connections
from tortoise.context import TortoiseContext

from domain.campaigns import candidates
from domain.campaigns.plan import get_campaign
from domain.campaigns.prepare import _scope
from domain.draw.compute import line_ids
from domain.storage.db import tortoise_config
from tests.kit.databases import BACKEND
from tests.kit.draw_demo import CODE, demo

pytestmark = [
    pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite files only"),
    pytest.mark.clock("2026-11-20 10:00"),
]  # a clock inside the period of the campaigns drawn here


async def test_side_connections_read_the_same_candidates_as_the_shared_one(tmp_path, monkeypatch):
    async with TortoiseContext() as ctx:
        url = f"sqlite://{tmp_path / 'ssj.sqlite3'}"
        await ctx.init(config=tortoise_config(url), _create_db=True, _enable_global_fallback=True)
        await ctx.generate_schemas(safe=False)
        await demo()
        scope = await _scope(await get_campaign(CODE), 3)
        monkeypatch.setattr(candidates, "CHUNK", 7)  # many ranges, read two at a time
        assert candidates._side_uri(connections.get("default")) is not None
        side = await candidates.read_targets(scope)
        monkeypatch.setattr(candidates, "_side_uri", lambda conn: None)
        shared = await candidates.read_targets(scope)
    assert (side.scanned, side.exclusions, side.groups, side.eligible) == (
        shared.scanned, shared.exclusions, shared.groups, shared.eligible
    )  # fmt: skip
    lists = frozen(side)
    assert lists == frozen(shared)
    assert side.scanned > 20 and sum(len(line_ids(t)) for t in lists.values()) > 10


def frozen(targets: candidates.TargetCandidates) -> dict[str, str]:
    try:
        return {n: targets.spill.sort(n).path.read_text()[:-1] for n in targets.eligible}
    finally:
        targets.spill.close()


async def test_side_connections_read_the_same_facts_as_the_shared_one(tmp_path, monkeypatch):
    from demo.categories import CATEGORIES
    from domain.campaigns import facts
    from domain.campaigns.prepare import prepare_draw
    from domain.campaigns.reveal import reveal_draw
    from domain.storage.models import Conflict, Task
    from tests.kit.draw_demo import DICE

    async with TortoiseContext() as ctx:
        url = f"sqlite://{tmp_path / 'ssj.sqlite3'}"
        await ctx.init(config=tortoise_config(url), _create_db=True, _enable_global_fallback=True)
        await ctx.generate_schemas(safe=False)
        actor = await demo()
        await prepare_draw(actor, CODE)
        await reveal_draw(actor, CODE, dice=DICE)
        drawn = set(await Task.all().values_list("target__credit_code", flat=True))
        conflicted = set(await Conflict.all().values_list("target__credit_code", flat=True))
        codes = sorted(drawn | conflicted)
        categories = frozenset(CATEGORIES)
        # Campaign 0: the draw just made counts as every target's previous inspection.
        monkeypatch.setattr(facts, "CHUNK", 2)  # many queries, read two at a time
        side = await facts.target_facts(codes, categories, 0)
        monkeypatch.setattr(candidates, "_side_uri", lambda conn: None)
        monkeypatch.setattr(facts, "CHUNK", 5_000)
        shared = await facts.target_facts(codes, categories, 0)
    assert side == shared
    assert set(side[0]) == set(codes) and len(drawn) > 4 and conflicted
    assert all(bool(f.previous_team) == (code in drawn) for code, f in side[0].items())
    assert all(bool(f.conflicts) == (code in conflicted) for code, f in side[0].items())
