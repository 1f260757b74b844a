"""The migrations build the schema the models describe, on an empty database."""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from domain.campaigns.frozen import frozen_candidates, frozen_strata
from domain.storage import db
from domain.storage.db import tortoise_config
from domain.storage.models import Department, Target


async def test_migrations_apply_and_show_no_drift(db_url):
    url = db_url
    await db.migrate(url)
    await db.migrate(url)  # a second run finds nothing to do
    config = tortoise_config(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        city = await Department.create(code="3299", name="示范市", path="/3299/")
        assert await Department.filter(id=city.id).exists()
        assert await Target.all().count() == 0
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
        pending = [op for w in writers for op in w.operations]
        assert pending == [], f"models changed without a migration: {pending}"


async def test_draws_prepared_before_0005_keep_their_frozen_candidates(db_url):
    from tortoise.migrations.api.migrate import migrate as run_migrations

    config = tortoise_config(db_url)
    try:
        await run_migrations(config=config, app_labels=["models"], target="models.0004_bot_state")
        conn = Tortoise.get_connection("default")
        now = "2026-11-02 00:00:00+00:00"
        await conn.execute_query(
            "INSERT INTO department (id, code, name, path, created_at, updated_at) "
            f"VALUES (1, '3299', '示范市', '/3299/', '{now}', '{now}')"
        )
        await conn.execute_query(
            "INSERT INTO campaign (id, code, name, department_id, start_date, due_date, "
            "item_codes, region_codes, category_filter, risk_filter, ratios, team_size, "
            "experts_per_team, "
            "avoid_own_jurisdiction, avoid_previous_team, status, created_by, created_at, "
            f"updated_at) VALUES (1, 'C-1', '抽查', 1, '2026-11-02', '2026-12-18', '[]', '[]', "
            f"'[]', '[]', '{{}}', 2, 0, true, true, 'planned', '', '{now}', '{now}')"
        )
        frozen = '{"strata":{"3299:A":"91A\\n91B"},"pool":[]}'
        await conn.execute_query(
            "INSERT INTO draw (id, campaign_id, status, practice, commitment, secret, prepared, "
            f"candidates, prepared_by, created_at, updated_at) VALUES (1, 1, 'prepared', false, "
            f"'c', 's', '{{}}', '{frozen}', '', '{now}', '{now}')"
        )
    finally:
        await Tortoise.close_connections()
    await db.migrate(db_url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert await frozen_candidates(1) == {"strata": {"3299:A": "91A\n91B"}, "pool": []}
        assert frozen_strata(await frozen_candidates(1)) == {"3299:A": ["91A", "91B"]}
        conn = Tortoise.get_connection("default")
        if conn.capabilities.dialect == "postgres":
            _, rows = await conn.execute_query(
                "SELECT attrelid::regclass::text, attstorage::text FROM pg_attribute WHERE "
                "(attrelid, attname) IN (('draw'::regclass, 'record'), "
                "('draw_candidates'::regclass, 'candidates'))"
            )
            assert sorted(tuple(r) for r in rows) == [("draw", "e"), ("draw_candidates", "e")]
