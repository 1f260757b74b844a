"""The answers to writes made with an idempotency key, so that a retried request gets the
first answer back and changes nothing."""

from __future__ import annotations

from tortoise import fields

from domain.storage.models.base import Model


class IdempotentRequest(Model):
    """One person's write under one key: what was asked (its fingerprint) and answered."""

    id = fields.IntField(primary_key=True)
    owner = fields.CharField(max_length=100)  # the actor's label: keys are per person
    key = fields.CharField(max_length=200)
    # SHA-256 of the request (method, path, body): the same key with another body is refused.
    fingerprint = fields.CharField(max_length=64)
    status = fields.IntField()
    body = fields.TextField()  # the JSON answer, as sent
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotent_request"
        unique_together = (("owner", "key"),)
