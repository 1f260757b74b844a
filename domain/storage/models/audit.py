"""The audit log: hash-chained entries and the chain head (see `domain.audit.log` for the hash)."""

from __future__ import annotations

from tortoise import fields

from domain.storage.models.base import Model


class AuditEntry(Model):
    """One append-only entry. Never updated or deleted by the application.

    `before`, `after` and `data` hold canonical JSON *text*, not a JSON column: PostgreSQL's
    jsonb rewrites numbers and key order, and the hash must be recomputable from what is stored.
    """

    id = fields.IntField(primary_key=True)
    # Unique so that two appends racing past the head lock could never both land (no fork).
    seq = fields.BigIntField(unique=True)
    at = fields.DatetimeField()
    actor = fields.CharField(max_length=128)
    action = fields.CharField(max_length=64, db_index=True)
    object_kind = fields.CharField(max_length=32)
    object_id = fields.CharField(max_length=128)
    before = fields.TextField(null=True)
    after = fields.TextField(null=True)
    data = fields.TextField()
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_entry"
        indexes = (("object_kind", "object_id"),)


class AuditHead(Model):
    """The single row (id 1) naming the last entry: the lock appends queue on, and what lets
    `verify` see a truncated tail."""

    id = fields.IntField(primary_key=True, generated=False)
    seq = fields.BigIntField()
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_head"
