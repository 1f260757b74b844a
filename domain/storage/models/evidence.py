"""Evidence gathered on site: notes (现场检查笔录, 询问笔录, documents) and photos."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields

from domain.storage.models.base import Model


class EvidenceKind(StrEnum):
    CONDITION = "condition"  # 现场情况
    PROBLEM = "problem"  # 发现的问题
    INTERVIEW = "interview"  # 询问笔录
    DOCUMENT = "document"  # 书证/物证, with its source
    PHOTO = "photo"
    NOTE = "note"  # anything else written on site


class Evidence(Model):
    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Task", related_name="evidence", on_delete=fields.RESTRICT
    )
    task_id: int
    author: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Inspector", related_name="evidence", on_delete=fields.RESTRICT
    )
    author_id: int
    kind = fields.CharEnumField(EvidenceKind, max_length=16)
    text = fields.TextField(default="")
    source = fields.TextField(default="")  # where a document or object came from
    received_at = fields.DatetimeField(auto_now_add=True)
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    # Photos: the SHA-256 of the original bytes names it in the content-addressed store.
    photo_sha256 = fields.CharField(max_length=64, null=True, db_index=True)
    # Format, size, capture time and place, camera.
    photo: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    anomalies: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    file_name = fields.CharField(max_length=255, default="")
    channel = fields.CharField(max_length=16, default="")  # telegram, api, cli
    # Client-generated: a retried upload lands once.
    idempotency_key = fields.CharField(max_length=100, unique=True)
    followup_id = fields.IntField(null=True)  # evidence of a re-check (复查)

    class Meta:
        table = "evidence"
