"""The business categories (对象类别) named by the regulation's preamble (docs/domain.md)."""

from __future__ import annotations

DESIGN = "人防工程设计"
SUPERVISION = "人防工程监理"
TESTING = "人防工程质量检测"
DRAWING_REVIEW = "人防工程施工图审查"
EQUIPMENT_MAKING = "人防防护设备生产"
EQUIPMENT_INSTALLING = "人防防护设备安装"
PEACETIME_USE = "人防工程平时使用"
ALARM = "人防通信警报设施安装使用"

CATEGORIES = (
    DESIGN,
    SUPERVISION,
    TESTING,
    DRAWING_REVIEW,
    EQUIPMENT_MAKING,
    EQUIPMENT_INSTALLING,
    PEACETIME_USE,
    ALARM,
)
