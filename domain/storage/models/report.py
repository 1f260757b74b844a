"""Reports (抽查报告), their signatures and review, follow-ups (后续处置) and penalties."""

from __future__ import annotations

from typing import Any

from tortoise import fields

from domain.storage.models.base import Model


class Report(Model):
    id = fields.IntField(primary_key=True)
    task: fields.OneToOneRelation = fields.OneToOneField(
        "models.Task", related_name="report", on_delete=fields.RESTRICT
    )
    task_id: int
    # The fields of domain.rules.report.Report.
    data: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    # Each edit makes a new revision; only signatures on the current revision count.
    revision = fields.IntField(default=1)
    drafted_by = fields.CharField(max_length=100, default="")
    updated_at = fields.DatetimeField(auto_now=True)
    submitted_at = fields.DatetimeField(null=True)
    review_comments = fields.TextField(default="")
    reviewed_by = fields.CharField(max_length=100, default="")
    reviewed_at = fields.DatetimeField(null=True)
    completed_on = fields.DateField(null=True)  # the inspection's completion date (public)
    remarks = fields.TextField(default="")  # published with the result

    class Meta:
        table = "report"


class ReportSignature(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="signatures", on_delete=fields.CASCADE
    )
    report_id: int
    member: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.TeamMember", related_name="signatures", on_delete=fields.RESTRICT
    )
    member_id: int
    revision = fields.IntField()
    signed_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "report_signature"
        unique_together = (("report", "member", "revision"),)


class FollowUp(Model):
    """An order to correct (责令整改) or another follow-up, closed by a re-check (复查)."""

    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Task", related_name="followups", on_delete=fields.RESTRICT
    )
    task_id: int
    action = fields.CharField(max_length=32)  # domain.rules.report.FollowUpAction
    what = fields.TextField(default="")
    deadline = fields.DateField(null=True)
    recipient = fields.CharField(max_length=200, default="")
    state = fields.CharField(max_length=16, default="open")
    created_at = fields.DatetimeField(auto_now_add=True)
    closed_on = fields.DateField(null=True)
    recheck_result = fields.TextField(default="")
    closed_by = fields.CharField(max_length=100, default="")

    class Meta:
        table = "followup"


class Penalty(Model):
    """Administrative penalty information, published within 7 working days of the decision."""

    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Task", related_name="penalties", on_delete=fields.RESTRICT
    )
    task_id: int
    decision_no = fields.CharField(max_length=100)
    decided_on = fields.DateField()
    content = fields.TextField()
    dishonest = fields.BooleanField(default=False)  # goes to the credit platform (失信)
    recorded_by = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "penalty"
