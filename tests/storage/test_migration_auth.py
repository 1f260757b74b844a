"""Tokens issued before expiry and scope existed keep working as they did: until revoked,
with all their person's rights."""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.context import TortoiseContext

from domain.storage import db
from domain.storage.db import tortoise_config
from domain.storage.models import ApiToken, TokenScope


async def test_tokens_from_before_0008_are_full_and_do_not_expire(db_url):
    from tortoise.migrations.api.migrate import migrate as run_migrations

    config = tortoise_config(db_url)
    try:
        await run_migrations(
            config=config, app_labels=["models"], target="models.0007_campaign_item_reasons"
        )
        await Tortoise.get_connection("default").execute_query(
            "INSERT INTO api_token (id, token_hash, role, person_id, label, created_by, "
            "created_at) VALUES (1, 'h', 'coordinator', 1, '', 'system', "
            "'2026-11-02 00:00:00+00:00')"
        )
    finally:
        await Tortoise.close_connections()
    await db.migrate(db_url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        row = await ApiToken.get(id=1)
        assert row.scope == TokenScope.FULL and row.expires_at is None
