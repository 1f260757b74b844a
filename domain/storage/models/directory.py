"""一单两库: the inspection list, the target directory, the inspector directory, conflicts."""

from __future__ import annotations

from tortoise import fields

from domain.rules.directory_terms import ItemKind, RiskClass, TargetStatus
from domain.storage.models.base import Model


class Timestamped(Model):
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class Department(Timestamped):
    """A level of the hierarchy (city → county → ...), also used as a region."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=100)
    parent: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None
    # "/<root code>/.../<own code>/": a subtree is a prefix match, for "a region includes its
    # sub-regions" without recursive queries.
    path = fields.CharField(max_length=400, db_index=True)

    class Meta:
        table = "department"


class InspectionItem(Timestamped):
    """抽查事项: one row of the inspection list."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    legal_basis = fields.TextField()
    body: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="items", on_delete=fields.RESTRICT
    )
    body_id: int
    content = fields.TextField()
    categories: fields.JSONField[list[str]] = fields.JSONField(default=list)
    kind = fields.CharEnumField(ItemKind, max_length=16, default=ItemKind.GENERAL)
    ratio_percent = fields.DecimalField(max_digits=6, decimal_places=2)
    frequency_per_year = fields.IntField(default=1)
    method = fields.TextField(default="")
    requirements = fields.TextField(default="")
    inspector_specialty = fields.CharField(max_length=100, default="")
    active = fields.BooleanField(default=True)

    class Meta:
        table = "inspection_item"


class Target(Timestamped):
    """抽查对象: a business that can be drawn."""

    id = fields.IntField(primary_key=True)
    credit_code = fields.CharField(max_length=18, unique=True)
    name = fields.CharField(max_length=200)
    categories: fields.JSONField[list[str]] = fields.JSONField(default=list)
    region: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="targets_in_region", on_delete=fields.RESTRICT
    )
    region_id: int
    address = fields.CharField(max_length=300, default="")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    status = fields.CharEnumField(TargetStatus, max_length=16, default=TargetStatus.OPERATING)
    jurisdiction: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department",
        related_name="targets_supervised",
        null=True,
        on_delete=fields.RESTRICT,
    )
    jurisdiction_id: int | None
    complaints = fields.IntField(default=0)
    abnormal_listed = fields.BooleanField(default=False)
    bad_record = fields.BooleanField(default=False)
    serious_violation = fields.BooleanField(default=False)
    risk_class = fields.CharEnumField(RiskClass, max_length=1, default=RiskClass.B)

    class Meta:
        table = "target"


class Inspector(Timestamped):
    """执法检查人员 (or, with `is_expert`, a 专家 who may join a team but is not an officer)."""

    id = fields.IntField(primary_key=True)
    cert_no = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="inspectors", on_delete=fields.RESTRICT
    )
    department_id: int
    cert_valid_until = fields.DateField()
    specialties: fields.JSONField[list[str]] = fields.JSONField(default=list)
    patch: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="patch_inspectors", null=True, on_delete=fields.RESTRICT
    )
    patch_id: int | None
    is_expert = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    telegram_user_id = fields.BigIntField(null=True, unique=True)

    class Meta:
        table = "inspector"


class Conflict(Timestamped):
    """A declared conflict of interest: this inspector never inspects this target (回避)."""

    id = fields.IntField(primary_key=True)
    inspector: fields.ForeignKeyRelation[Inspector] = fields.ForeignKeyField(
        "models.Inspector", related_name="conflicts", on_delete=fields.CASCADE
    )
    inspector_id: int
    target: fields.ForeignKeyRelation[Target] = fields.ForeignKeyField(
        "models.Target", related_name="conflicts", on_delete=fields.CASCADE
    )
    target_id: int
    reason = fields.TextField(default="")

    class Meta:
        table = "conflict"
        unique_together = (("inspector", "target"),)
        indexes = (("target_id",),)  # who declared a conflict with a target
