"""Outgoing notifications (the outbox) and stored reminders that turn into them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields

from domain.storage.models.base import Model


class RecipientKind(StrEnum):
    INSPECTOR = "inspector"  # recipient_id: Inspector.id
    COORDINATOR = "coordinator"  # recipient_id: the coordinator's id
    CHAT = "chat"  # recipient_id: a Telegram chat id
    # Reminders only, expanded when they fire (domain.calendar.deadlines): a task's current team, or
    # the coordinators of a campaign's department.
    TEAM = "team"  # recipient_id: Task.id
    DEPARTMENT = "department"  # recipient_id: Campaign.id


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for next_attempt_at
    SENDING = "sending"  # claimed by a worker (claim_token)
    SENT = "sent"
    FAILED = "failed"  # transient errors until max attempts: an operator may requeue it
    DEAD = "dead"  # can never be delivered (e.g. the user blocked the bot)


class ReminderStatus(StrEnum):
    PENDING = "pending"
    FIRED = "fired"
    CANCELLED = "cancelled"


class OutboxMessage(Model):
    id = fields.IntField(primary_key=True)
    recipient_kind = fields.CharEnumField(RecipientKind, max_length=16)
    recipient_id = fields.BigIntField()
    kind = fields.CharField(max_length=64)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    # Recording the same notification twice (a retried request, a re-run sweep) is a no-op.
    dedupe_key = fields.CharField(max_length=200, unique=True)
    status = fields.CharEnumField(OutboxStatus, max_length=8, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    # Set on claim; a worker's mark_* only applies while it still holds the claim, so a row
    # recovered from a slow worker and claimed again cannot be marked by the first one.
    claim_token = fields.CharField(max_length=36, null=True)
    claimed_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    sent_at = fields.DatetimeField(null=True)
    external_id = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "outbox_message"
        indexes = (("status", "next_attempt_at"),)


class Reminder(Model):
    id = fields.IntField(primary_key=True)
    subject_kind = fields.CharField(max_length=32)  # "task", "campaign", "followup" ...
    subject_id = fields.BigIntField()
    kind = fields.CharField(max_length=64)  # also the kind of the outbox message it becomes
    due_at = fields.DatetimeField()
    recipient_kind = fields.CharEnumField(RecipientKind, max_length=16)
    recipient_id = fields.BigIntField()
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    dedupe_key = fields.CharField(max_length=200, unique=True)
    status = fields.CharEnumField(ReminderStatus, max_length=10, default=ReminderStatus.PENDING)
    fired_at = fields.DatetimeField(null=True)
    outbox_message: fields.ForeignKeyNullableRelation[OutboxMessage] = fields.ForeignKeyField(
        "models.OutboxMessage", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    outbox_message_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reminder"
        indexes = (
            ("status", "due_at"),
            ("subject_kind", "subject_id"),
        )
