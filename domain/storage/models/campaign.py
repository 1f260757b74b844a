"""Campaigns (抽查计划), their draws (摇号), tasks (抽查任务) and teams (检查组)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields

from domain.rules.team_duties import MemberRole, MemberStatus
from domain.storage.models.base import Model
from domain.storage.models.directory import Timestamped


class CampaignStatus(StrEnum):
    PLANNED = "planned"  # the plan may be public; nothing drawn yet
    DRAWN = "drawn"  # tasks exist, sealed
    COMPLETED = "completed"  # every task finished; the 20-working-day clock runs
    PUBLISHED = "published"  # results, record and candidate lists are public


class DrawStatus(StrEnum):
    PREPARED = "prepared"  # candidates frozen, secret committed
    REVEALED = "revealed"  # entropy entered, draw run and saved
    ABANDONED = "abandoned"  # kept in the record so nobody can quietly re-roll


class Coordinator(Timestamped):
    """Staff of an organising department (抽查组织单位) who run campaigns."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    department: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Department", related_name="coordinators", on_delete=fields.RESTRICT
    )
    department_id: int
    telegram_user_id = fields.BigIntField(null=True, unique=True)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "coordinator"


class Campaign(Timestamped):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)  # 计划编号, public
    name = fields.CharField(max_length=200)
    department: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Department", related_name="campaigns", on_delete=fields.RESTRICT
    )
    department_id: int
    item_codes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    region_codes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # 定向 filters; empty lists mean 不定向 (the whole directory of the items).
    category_filter: fields.JSONField[list[str]] = fields.JSONField(default=list)
    risk_filter: fields.JSONField[list[str]] = fields.JSONField(default=list)
    start_date = fields.DateField()
    due_date = fields.DateField()
    # Percentages per credit-risk class A/B/C/D and for the high-risk stratum ("high").
    ratios: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    # Why the ratios differ from the items' (抽查比例), and why the campaign goes beyond an
    # item's yearly frequency (抽查频次); empty (or null: campaigns older than the columns)
    # when it does neither. Both are public.
    ratio_reason = fields.TextField(null=True, default="")
    frequency_reason = fields.TextField(null=True, default="")
    team_size = fields.IntField(default=2)
    experts_per_team = fields.IntField(default=0)
    avoid_own_jurisdiction = fields.BooleanField(default=True)
    avoid_previous_team = fields.BooleanField(default=True)
    status = fields.CharEnumField(CampaignStatus, max_length=16, default=CampaignStatus.PLANNED)
    completed_on = fields.DateField(null=True)
    published_at = fields.DatetimeField(null=True)
    created_by = fields.CharField(max_length=100, default="")

    class Meta:
        table = "campaign"


class Draw(Timestamped):
    id = fields.IntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="draws", on_delete=fields.RESTRICT
    )
    campaign_id: int
    status = fields.CharEnumField(DrawStatus, max_length=16, default=DrawStatus.PREPARED)
    practice = fields.BooleanField(default=False)
    commitment = fields.CharField(max_length=64)
    # Kept sealed until the reveal, then published inside the record.
    secret = fields.CharField(max_length=128)
    # E.g. {"source": "drand", "round": 123} fixed at prepare.
    beacon: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    # Frozen parameters, candidate digests, counts, exclusions.
    prepared: fields.JSONField[dict[str, Any]] = fields.JSONField()
    entropy = fields.TextField(null=True)
    seed = fields.CharField(max_length=64, null=True)
    record = fields.TextField(null=True)  # canonical JSON
    record_hash = fields.CharField(max_length=64, null=True)
    prepared_by = fields.CharField(max_length=100, default="")
    revealed_at = fields.DatetimeField(null=True)
    abandoned_reason = fields.TextField(null=True)

    class Meta:
        table = "draw"


class DrawCandidates(Model):
    """A prepared draw's frozen candidate ids per stratum and inspector pool. Up to a million
    ids: kept out of the draw's own row, which is saved again at the reveal (SQLite rewrites a
    whole row on any update)."""

    id = fields.IntField(primary_key=True)
    draw: fields.OneToOneRelation[Draw] = fields.OneToOneField(
        "models.Draw", related_name="frozen", on_delete=fields.CASCADE
    )
    draw_id: int
    # Text (`domain.campaigns.frozen.frozen_text`), not jsonb: PostgreSQL would parse tens
    # of MB on every prepare for nothing, as nothing queries inside it.
    candidates = fields.TextField()

    class Meta:
        table = "draw_candidates"


class DrawCandidateChunk(Model):
    """A piece of a prepared draw's frozen candidates: up to `domain.campaigns.frozen.CHUNK`
    ids of one stratum, sorted, one per line. A province's list (tens of millions of ids) is
    stored and read piece by piece, so that no step of a draw holds all of it at once."""

    id = fields.IntField(primary_key=True)
    draw: fields.ForeignKeyRelation[Draw] = fields.ForeignKeyField(
        "models.Draw", related_name="candidate_chunks", on_delete=fields.CASCADE
    )
    draw_id: int
    stratum = fields.CharField(max_length=100)
    seq = fields.IntField()  # order within the stratum
    ids = fields.TextField()

    class Meta:
        table = "draw_candidate_chunk"
        unique_together = (("draw", "stratum", "seq"),)


class Task(Timestamped):
    """One target and one team (进一次门，查多项事)."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=80, unique=True)  # 任务编号 / 文书编号 base
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="tasks", on_delete=fields.RESTRICT
    )
    campaign_id: int
    draw: fields.ForeignKeyRelation[Draw] = fields.ForeignKeyField(
        "models.Draw", related_name="tasks", on_delete=fields.RESTRICT
    )
    draw_id: int
    target: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Target", related_name="tasks", on_delete=fields.RESTRICT
    )
    target_id: int
    stratum = fields.CharField(max_length=120)
    ticket = fields.CharField(max_length=100)
    item_codes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    state = fields.CharField(max_length=32, default="drawn", db_index=True)
    due_date = fields.DateField()
    year = fields.IntField(db_index=True)  # calendar year counted by the yearly cap
    checkin_at = fields.DatetimeField(null=True)
    checkin_latitude = fields.FloatField(null=True)
    checkin_longitude = fields.FloatField(null=True)
    completed_on = fields.DateField(null=True)
    state_reason = fields.TextField(null=True)

    class Meta:
        table = "task"
        unique_together = (("campaign", "target"),)
        indexes = (
            ("target_id",),  # a target's earlier inspections (previous team, yearly cap)
            ("campaign_id", "number"),  # the public task notice's first and last numbers
        )


class TeamMember(Timestamped):
    id = fields.IntField(primary_key=True)
    task: fields.ForeignKeyRelation[Task] = fields.ForeignKeyField(
        "models.Task", related_name="members", on_delete=fields.CASCADE
    )
    task_id: int
    inspector: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Inspector", related_name="memberships", on_delete=fields.RESTRICT
    )
    inspector_id: int
    role = fields.CharEnumField(MemberRole, max_length=16)
    ticket = fields.CharField(max_length=100)
    status = fields.CharEnumField(MemberStatus, max_length=16, default=MemberStatus.ASSIGNED)
    accepted_at = fields.DatetimeField(null=True)
    recusal_reason = fields.TextField(null=True)
    replaced_by: fields.ForeignKeyNullableRelation[TeamMember] = fields.ForeignKeyField(
        "models.TeamMember", related_name="replaces", null=True, on_delete=fields.SET_NULL
    )
    replaced_by_id: int | None

    class Meta:
        table = "team_member"
        indexes = (("task_id",), ("inspector_id",))  # a task's team; an inspector's tasks
