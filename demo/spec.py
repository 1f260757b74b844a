"""The demo data set as plain values, so it can be built and compared without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from domain.storage.models import ItemKind, RiskClass, TargetStatus


@dataclass(frozen=True)
class DeptSpec:
    code: str
    name: str
    parent_code: str | None
    path: str


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    legal_basis: str
    body_code: str
    content: str
    categories: tuple[str, ...]
    kind: ItemKind
    ratio_percent: Decimal
    frequency_per_year: int
    method: str
    requirements: str
    inspector_specialty: str


@dataclass(frozen=True)
class TargetSpec:
    credit_code: str
    name: str
    categories: tuple[str, ...]
    region_code: str
    address: str
    latitude: float
    longitude: float
    status: TargetStatus
    jurisdiction_code: str
    complaints: int
    abnormal_listed: bool
    bad_record: bool
    serious_violation: bool
    risk_class: RiskClass


@dataclass(frozen=True)
class InspectorSpec:
    cert_no: str
    name: str
    department_code: str
    cert_valid_until: dt.date
    specialties: tuple[str, ...]
    patch_code: str | None
    is_expert: bool
    active: bool


@dataclass(frozen=True)
class ConflictSpec:
    cert_no: str
    credit_code: str
    reason: str


@dataclass(frozen=True)
class DemoData:
    seed: int
    departments: tuple[DeptSpec, ...]
    items: tuple[ItemSpec, ...]
    targets: tuple[TargetSpec, ...]
    inspectors: tuple[InspectorSpec, ...]
    conflicts: tuple[ConflictSpec, ...]
