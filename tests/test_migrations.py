"""The migrations build the schema the models describe, on an empty database."""

from __future__ import annotations

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from domain import db
from domain.db import tortoise_config
from domain.models import Department, Target


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
