"""Each view of sealed data is one audit entry, whoever may see it and however it is fetched;
a refused look is none. And what a caller may not see is missing from their lists too."""

from __future__ import annotations

import pytest

from domain.config import Settings
from domain.storage.models import AuditEntry
from tests.kit.access_world import CODE, AccessWorld, access_world
from tests.kit.field_api import Field, serving
from tests.kit.fonts import shared_cjk_test_font

# Reads that show the drawn, unpublished list, and who may make them.
SEALED_READS = {
    "/tasks/{task}": ("inspector", "coordinator", "parent"),
    "/tasks/{task}/notice.pdf": ("inspector", "coordinator", "parent"),
    "/tasks/{task}/report": ("inspector", "coordinator", "parent"),
    "/tasks/{task}/bundle.zip": ("inspector", "coordinator", "parent"),  # report, notice, log
    "/tasks": ("inspector",),  # a page of one's tasks
    "/campaigns/{code}/tasks": ("coordinator", "parent"),
    "/campaigns/{code}/draw/record": ("coordinator", "parent"),
}
REFUSED = ("other_inspector", "sibling")


@pytest.fixture
async def world(db, office_clock) -> AccessWorld:
    return await access_world(office_clock)


@pytest.fixture
async def apps(world, tmp_path) -> dict[str, Field]:
    settings = Settings(data_dir=tmp_path, font_path=shared_cjk_test_font())
    async with serving(settings) as client:
        yield {caller: Field(client, token) for caller, token in world.tokens.items() if token}


async def views(world: AccessWorld, caller: str) -> int:
    label = world.actors[caller].label
    return await AuditEntry.filter(action="sealed.view", actor=label).count()


async def test_one_view_one_entry(world, apps):
    for path, callers in SEALED_READS.items():
        url = path.format(**world.values())
        for caller in callers:
            before = await views(world, caller)
            response = await apps[caller].get(url)
            assert response.status == 200, (url, caller, await response.text())
            assert await views(world, caller) == before + 1, (url, caller)
        for caller in REFUSED:
            if "{" in path:
                assert (await apps[caller].get(url)).status in (403, 404), (url, caller)
    for caller in REFUSED:
        assert await views(world, caller) == 0, caller


async def test_what_is_not_yours_is_not_in_your_lists(world, apps):
    """The lists answer 200 to everyone allowed to ask: the rows must still be filtered."""
    tasks = await (await apps["other_inspector"].get("/tasks")).json()
    assert world.task.id not in [t["id"] for t in tasks["tasks"]]
    mine = await (await apps["inspector"].get("/tasks")).json()
    assert world.task.id in [t["id"] for t in mine["tasks"]]
    for caller, sees in (("coordinator", True), ("parent", True), ("sibling", False)):
        campaigns = await (await apps[caller].get("/campaigns")).json()
        assert (CODE in [c["code"] for c in campaigns["campaigns"]]) is sees, caller
        invites = await (await apps[caller].get("/invites")).json()
        assert (world.invite in [i["invite_id"] for i in invites["invites"]]) is sees, caller
        tokens = await (await apps[caller].get("/auth/tokens")).json()
        assert (world.spare_token in [t["token_id"] for t in tokens["tokens"]]) is sees, caller
    theirs = await (await apps["other_inspector"].get("/auth/tokens")).json()
    assert world.spare_token not in [t["token_id"] for t in theirs["tokens"]]
