"""Database configuration, start-up and migrations (tortoise-orm 1.x)."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

from domain.config import Settings

MODEL_MODULES = ["domain.storage.models"]
APP_LABEL = "models"


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
    if db_url.startswith("sqlite://") and ":memory:" not in db_url:
        from pathlib import Path

        Path(db_url[len("sqlite://") :].split("?")[0]).parent.mkdir(parents=True, exist_ok=True)


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
