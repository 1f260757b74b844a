"""`shuangsuiji draw candidates`: owner-only files while the campaign is sealed, the usual mode
once it is published (the lists are then public)."""

from __future__ import annotations

import os
import stat

import pytest
from tortoise import timezone
from tortoise.context import TortoiseContext

from domain.storage.db import tortoise_config
from domain.storage.models import Campaign

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CODE = "2026-RF-01"


def modes(directory) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in directory.iterdir()}


async def test_lists_are_owner_only_until_publication(shuangsuiji, migrated_db_url, tmp_path):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    created = shuangsuiji(
        "campaign", "create", CODE, "第四季度人防双随机抽查", "--department", "419800",
        "--items", "RF-419800-001,RF-419800-007", "--start", "2026-11-02", "--due", "2026-12-18",
    )  # fmt: skip
    assert created.returncode == 0, created
    assert shuangsuiji("draw", "prepare", CODE).returncode == 0
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "pool.txt").write_text("an older copy, readable by all")
    (lists / "pool.txt").chmod(0o644)

    sealed = shuangsuiji("draw", "candidates", CODE, "lists")
    assert sealed.returncode == 0 and "保密" in sealed.stdout, sealed
    written = modes(lists)
    assert "pool.txt" in written and len(written) > 2
    assert set(written.values()) == {0o600}, written
    assert "an older copy" not in (lists / "pool.txt").read_text()

    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(migrated_db_url), _enable_global_fallback=True)
        await Campaign.filter(code=CODE).update(status="published", published_at=timezone.now())
    public = shuangsuiji("draw", "candidates", CODE, "lists")
    assert public.returncode == 0 and "保密" not in public.stdout, public
    umask = os.umask(0)
    os.umask(umask)
    assert set(modes(lists).values()) == {0o666 & ~umask}
    assert not [p for p in tmp_path.rglob("*.part")]
