"""All tortoise models; `domain.db` registers this module, so every model is imported here."""

from domain.models.calendar import CalendarYear
from domain.models.directory import (
    Conflict,
    Department,
    InspectionItem,
    Inspector,
    ItemKind,
    RiskClass,
    Target,
    TargetStatus,
)

__all__ = [
    "CalendarYear",
    "Conflict",
    "Department",
    "InspectionItem",
    "Inspector",
    "ItemKind",
    "RiskClass",
    "Target",
    "TargetStatus",
]
