"""What a directory record can be, as stored: an item's kind, a target's status and risk class.

Kept apart from the models so that code which only reads or words these values (the import
format's labels, `shuangsuiji list`) does not load the ORM."""

from __future__ import annotations

from enum import StrEnum


class ItemKind(StrEnum):
    GENERAL = "general"  # 一般事项: drawn at the campaign's ratios
    KEY = "key"  # 重点事项: no ratio cap


class TargetStatus(StrEnum):
    OPERATING = "operating"
    CLOSED = "closed"
    DEREGISTERED = "deregistered"


class RiskClass(StrEnum):
    A = "A"  # 低风险
    B = "B"  # 一般风险
    C = "C"  # 较高风险
    D = "D"  # 高风险
