"""Database configuration, start-up and migrations (tortoise-orm 1.x)."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise, connections

from domain.config import Settings
from domain.storage.plain_read import APP_LABEL, APPLIED_MIGRATIONS, disk_migrations, sqlite_path

MODEL_MODULES = ["domain.storage.models"]


def tortoise_config(db_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": db_url},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "domain.storage.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_dir(db_url: str) -> None:
    path = sqlite_path(db_url)
    if path is not None:
        from pathlib import Path

        Path(path).parent.mkdir(parents=True, exist_ok=True)


async def migrate(db_url: str) -> None:
    """Bring the schema up to date; safe to call on every start."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    _ensure_sqlite_dir(db_url)
    try:
        await run_migrations(config=tortoise_config(db_url))
    finally:
        await Tortoise.close_connections()


async def connect(db_url: str) -> None:
    _ensure_sqlite_dir(db_url)
    await Tortoise.init(config=tortoise_config(db_url))


async def connect_migrated(db_url: str) -> None:
    """Connect, first bringing the schema up to date if a migration is pending. Checked by
    name, which is all tortoise checks too: a database that is up to date (every start but the
    first after an upgrade) skips the migration machinery, which imports every migration and
    builds their graph."""
    await connect(db_url)
    if await _applied_migrations() != disk_migrations():
        await Tortoise.close_connections()
        await migrate(db_url)
        await connect(db_url)


async def _applied_migrations() -> set[str]:
    try:
        _, rows = await connections.get("default").execute_query(APPLIED_MIGRATIONS)
    except Exception:  # no such table yet: nothing applied (as tortoise's recorder reads it)
        return set()
    return {row["name"] for row in rows}


async def disconnect() -> None:
    from domain.storage.wal_checkpoint import checkpoints_done

    await checkpoints_done()
    await Tortoise.close_connections()


def __getattr__(name: str) -> Any:
    """`TORTOISE_ORM`, for `python -m tortoise makemigrations|migrate` ([tool.tortoise] in
    pyproject.toml): read from the environment when asked for, not whenever this module is
    imported, so importing the domain never depends on the settings."""
    if name == "TORTOISE_ORM":
        return tortoise_config(Settings.from_env().database_url)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
