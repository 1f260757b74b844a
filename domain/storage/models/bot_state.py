"""What a chat adapter must remember across restarts that is not domain data: where a user is
in a half-finished conversation and what they typed so far."""

from __future__ import annotations

from typing import Any

from tortoise import fields

from domain.storage.models.base import Model


class BotState(Model):
    """One remembered value of a chat adapter: a conversation's state or a user's draft data."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=32)  # "user", or "conv:" and a conversation's name
    key = fields.CharField(max_length=200)
    value: fields.JSONField[Any] = fields.JSONField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "bot_state"
        unique_together = (("kind", "key"),)
