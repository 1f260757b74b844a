"""Bearer tokens for the field API: each acts as one person (an inspector or a coordinator)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from domain.storage.models.base import Model
from domain.storage.models.enrollment import InviteRole


class TokenScope(StrEnum):
    FULL = "full"
    READ = "read"  # refused on every request that changes something


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
    # NULL: until revoked (integrations); a signed-in person's token always expires.
    expires_at = fields.DatetimeField(null=True)
    scope = fields.CharEnumField(TokenScope, max_length=8, default=TokenScope.FULL)

    class Meta:
        table = "api_token"
        indexes = (("role", "person_id"),)


class LoginCode(Model):
    """A six-digit, single-use code a person exchanges for a token: sent to their bound chat,
    or handed over by a coordinator."""

    id = fields.IntField(primary_key=True)
    role = fields.CharEnumField(InviteRole, max_length=16)
    person_id = fields.IntField()
    # Six digits are a million values: a plain hash would be reversed at once, a salted one at
    # least costs a million hashes per row; the code dies within minutes anyway.
    salt = fields.CharField(max_length=32)
    code_hash = fields.CharField(max_length=64)
    created_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    # A newer code for the same person retires this one.
    retired_at = fields.DatetimeField(null=True)

    class Meta:
        table = "login_code"
        indexes = (("role", "person_id"), ("expires_at",))


class LoginThrottle(Model):
    """Wrong codes counted per person and per client address, and until when each is held."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=120, unique=True)  # "inspector:3", "address:10.0.0.7"
    failures = fields.IntField(default=0)
    last_failure_at = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "login_throttle"
