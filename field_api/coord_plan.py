"""Reading a campaign plan from JSON: the members of CampaignSpec, each checked for its type
here (what is wrong is named in invalid_params); what the values mean is the domain's check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.campaigns.plan import parse_ratios
from domain.errors import UserError
from field_api.problems import BadRequest

TEXT = ("name", "beyond_frequency", "ratio_reason")
LISTS = ("items", "regions", "categories", "risk_classes")
DATES = ("start_date", "due_date")
NUMBERS = ("team_size", "experts_per_team")
FLAGS = ("avoid_own_jurisdiction", "avoid_previous_team")
EDITABLE = {*TEXT, *LISTS, *DATES, *NUMBERS, *FLAGS, "ratios"}
CREATABLE = EDITABLE | {"code", "department"}
REQUIRED = ("code", "name", "items", "start_date", "due_date")


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise BadRequest(name, f"{name} 应为文本 (text)")
    return value


def _codes(name: str, value: Any) -> list[str]:
    if isinstance(value, str):  # "a,b" as the CLI takes it
        value = [c for c in value.replace("，", ",").split(",")]
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise BadRequest(name, f"{name} 应为代码的列表 (a list of codes)")
    return [c.strip() for c in value if c.strip()]


def _date(name: str, value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_text(name, value))
    except ValueError:
        raise BadRequest(name, f"{name} 应为 YYYY-MM-DD 日期，收到 {value!r}") from None


def _number(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(name, f"{name} 应为整数 (an integer)")
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadRequest(name, f"{name} 应为 true 或 false (a boolean)")
    return value


def ratios_of(value: Any, base: dict[str, str] | None) -> dict[str, str]:
    """{"C": 20, "high": 60} or "C=20,high=60": keys not given keep `base` (the defaults when
    none)."""
    if isinstance(value, dict):
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in
                   value.values()):  # fmt: skip
            raise BadRequest("ratios", "ratios 的值应为百分数 (percentages)")
        value = ",".join(f"{k}={v}" for k, v in value.items())
    if not isinstance(value, str):
        raise BadRequest("ratios", 'ratios 应为对象，如 {"C": 10, "high": 50} (an object)')
    try:
        return parse_ratios(value, base)
    except UserError as exc:  # named as this member's
        raise BadRequest("ratios", str(exc)) from None


def plan_members(body: dict[str, Any], base_ratios: dict[str, str] | None) -> dict[str, Any]:
    """The given members as CampaignSpec values."""
    out: dict[str, Any] = {}
    for name, value in body.items():
        if value is None:
            continue
        if name in TEXT or name in ("code", "department"):
            out[name] = _text(name, value)
        elif name in LISTS:
            out[name] = _codes(name, value)
        elif name in DATES:
            out[name] = _date(name, value)
        elif name in NUMBERS:
            out[name] = _number(name, value)
        elif name in FLAGS:
            out[name] = _flag(name, value)
        elif name == "ratios":
            out[name] = ratios_of(value, base_ratios)
    return out


PLAN_PROPERTIES: dict[str, Any] = {
    "name": {"type": "string", "description": "计划名称"},
    "items": {"type": "array", "items": {"type": "string"}, "description": "item codes"},
    "start_date": {"type": "string", "format": "date"},
    "due_date": {"type": "string", "format": "date"},
    "regions": {"type": "array", "items": {"type": "string"},
                "description": "region codes in scope (default: the department)"},
    "categories": {"type": "array", "items": {"type": "string"}, "description": "定向"},
    "risk_classes": {"type": "array", "items": {"type": "string", "enum": ["A", "B", "C", "D"]}},
    "ratios": {"type": "object", "additionalProperties": {"type": ["number", "string"]},
               "description": "percent per class A-D and high; keys not given: defaults "
               "(create) or kept (edit); absent: the items' ratios"},
    "ratio_reason": {"type": "string"},
    "team_size": {"type": "integer", "minimum": 2},
    "experts_per_team": {"type": "integer", "minimum": 0},
    "avoid_own_jurisdiction": {"type": "boolean"},
    "avoid_previous_team": {"type": "boolean"},
    "beyond_frequency": {"type": "string"},
}  # fmt: skip
