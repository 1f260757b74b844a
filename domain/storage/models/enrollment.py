"""Enrollment in the chat: one-time invites, per-account preferences, handled update ids."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from domain.storage.models.base import Model


class InviteRole(StrEnum):
    INSPECTOR = "inspector"  # person_id: Inspector.id
    COORDINATOR = "coordinator"  # person_id: Coordinator.id


class Invite(Model):
    """A single-use code binding a person to the Telegram account that redeems it."""

    id = fields.IntField(primary_key=True)
    # SHA-256 of the code: a copy of the database (a backup) does not let anyone enrol.
    code_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharEnumField(InviteRole, max_length=16)
    person_id = fields.IntField()
    created_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    used_by_telegram_id = fields.BigIntField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "invite"
        indexes = (("role", "person_id"),)


class TelegramAccount(Model):
    """What the bot keeps about a Telegram account, bound or not: the chosen language and
    whether the account blocked the bot (then nothing is sent until it writes again)."""

    id = fields.IntField(primary_key=True)
    telegram_user_id = fields.BigIntField(unique=True)
    language = fields.CharField(max_length=8, default="zh")
    blocked_at = fields.DatetimeField(null=True)
    # The inspector's current task (chosen with /tasks), kept here so a restart keeps it. Only a
    # choice: every use checks again that the task is open and the account's person on its team.
    current_task_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "telegram_account"


class ProcessedUpdate(Model):
    """A Telegram update already handled: a redelivered one is ignored."""

    id = fields.IntField(primary_key=True)
    update_id = fields.BigIntField(unique=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "processed_update"
