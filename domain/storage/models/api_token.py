"""Bearer tokens for the field API: each acts as one person (an inspector or a coordinator)."""

from __future__ import annotations

from tortoise import fields

from domain.storage.models.base import Model
from domain.storage.models.enrollment import InviteRole


class ApiToken(Model):
    """A token acting as one person until revoked. The token itself is shown once, on issue."""

    id = fields.IntField(primary_key=True)
    # SHA-256 of the token: a copy of the database (a backup) does not let anyone call the API.
    token_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharEnumField(InviteRole, max_length=16)
    person_id = fields.IntField()
    label = fields.CharField(max_length=100, default="")
    created_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)
    revoked_by = fields.CharField(max_length=100, null=True)

    class Meta:
        table = "api_token"
        indexes = (("role", "person_id"),)
