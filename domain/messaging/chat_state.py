"""Storing a chat adapter's remembered values (domain/storage/models/bot_state.py). Values are JSON:
the adapter converts its own objects; nothing is pickled."""

from __future__ import annotations

from typing import Any

from domain.storage.models import BotState


async def load(kind: str) -> dict[str, Any]:
    return {row.key: row.value["v"] for row in await BotState.filter(kind=kind)}


async def save(kind: str, key: str, value: Any) -> None:
    # Wrapped: tortoise takes a bare str given to a JSONField for JSON text already encoded.
    value = {"v": value}
    updated = await BotState.filter(kind=kind, key=key).update(value=value)
    if not updated:
        await BotState.create(kind=kind, key=key, value=value)


async def drop(kind: str, key: str) -> None:
    await BotState.filter(kind=kind, key=key).delete()
