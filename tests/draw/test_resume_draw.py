"""A prepared draw resumed later (after a restart, in another conversation, from the CLI) is
shown to the witnesses exactly as when it was prepared: every published digest included."""

from __future__ import annotations

import pytest

from cli.draw_screen import prepared_screen
from domain.campaigns.facts import pool_from_snapshot
from domain.campaigns.frozen import frozen_candidates
from domain.campaigns.prepare import abandon_draw, prepare_draw, resume_draw
from domain.campaigns.reveal import reveal_draw
from domain.draw.record import snapshot_digest
from domain.errors import PermissionDenied
from domain.rules.access import Actor, Role
from domain.storage.models import Department, Draw
from tests.kit.draw_demo import CODE, DICE, demo

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

BEACON = {"source": "drand", "round": 4242424}


async def test_a_resumed_draw_is_the_prepared_draw(db):
    actor = await demo()
    assert await resume_draw(actor, CODE) is None
    fresh = await prepare_draw(actor, CODE, beacon=BEACON)
    resumed = await resume_draw(actor, CODE)
    assert resumed == fresh
    assert prepared_screen(resumed) == prepared_screen(fresh)
    # The attributes digest is the frozen pool's, not an empty default.
    draw = await Draw.get(id=fresh.draw_id)
    pool = pool_from_snapshot((await frozen_candidates(draw.id))["pool"])
    assert resumed.pool_snapshot_digest == snapshot_digest(pool) != ""
    assert resumed.exclusions and resumed.beacon == BEACON


async def test_only_an_open_draw_resumes_and_only_for_its_coordinators(db):
    actor = await demo()
    await prepare_draw(actor, CODE, practice=True)
    district = await Department.get(code="419802")
    outsider = Actor(Role.COORDINATOR, 99, "区协调员", department_path=district.path)
    with pytest.raises(PermissionDenied):
        await resume_draw(outsider, CODE)
    await abandon_draw(actor, CODE, "见证人未到齐")
    assert await resume_draw(actor, CODE) is None
    again = await prepare_draw(actor, CODE)
    assert await resume_draw(actor, CODE) == again
    await reveal_draw(actor, CODE, dice=DICE)
    assert await resume_draw(actor, CODE) is None
