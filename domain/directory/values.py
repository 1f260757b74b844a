"""Cell parsers: each returns the value or raises ValueError with a reason fit for the user."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from domain.rules import credit_code
from domain.rules.directory_terms import ItemKind, RiskClass, TargetStatus

_TRUE = {"是", "y", "yes", "true", "1", "有", "t", "√"}
_FALSE = {"否", "n", "no", "false", "0", "无", "f", "×", ""}
LIST_SEPARATORS = re.compile(r"[;；|\n]")


def text(raw: str) -> str:
    return raw.strip()


def boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError("应为 是/否 (expected yes/no)")


def str_list(raw: str) -> list[str]:
    seen: list[str] = []
    for part in LIST_SEPARATORS.split(raw):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


def join_list(values: list[str]) -> str:
    return ";".join(values)


def integer(raw: str) -> int:
    value = raw.strip()
    match = re.fullmatch(r"(?:每年)?\s*(\d+)\s*(?:次(?:/年)?)?", value)
    if not match:
        raise ValueError("应为整数 (expected a whole number)")
    return int(match.group(1))


def percent(raw: str) -> Decimal:
    value = raw.strip().rstrip("%％").strip()
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError("应为百分比数字，如 5 或 5% (expected a percentage)") from None
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueError("比例应在 0 到 100 之间 (must be 0–100)")
    return number.quantize(Decimal("0.01"))


def decimal_degrees(low: float, high: float):
    def parse(raw: str) -> float | None:
        if not raw.strip():
            return None
        try:
            number = float(raw)
        except ValueError:
            raise ValueError("应为十进制度数 (expected decimal degrees)") from None
        if not low <= number <= high:
            raise ValueError(f"应在 {low} 到 {high} 之间 (out of range)")
        return number

    return parse


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def date(raw: str) -> dt.date:
    value = raw.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError("日期格式应为 YYYY-MM-DD (expected a date like 2026-12-31)")


def code18(raw: str) -> str:
    code = credit_code.normalize(raw)
    problem = credit_code.credit_code_error(code)
    if problem:
        raise ValueError(problem)
    return code


_STATUS = {
    "operating": TargetStatus.OPERATING,
    "在营": TargetStatus.OPERATING,
    "存续": TargetStatus.OPERATING,
    "开业": TargetStatus.OPERATING,
    "正常": TargetStatus.OPERATING,
    "closed": TargetStatus.CLOSED,
    "停业": TargetStatus.CLOSED,
    "关闭": TargetStatus.CLOSED,
    "歇业": TargetStatus.CLOSED,
    "deregistered": TargetStatus.DEREGISTERED,
    "注销": TargetStatus.DEREGISTERED,
}
STATUS_LABEL = {
    TargetStatus.OPERATING: "在营",
    TargetStatus.CLOSED: "停业",
    TargetStatus.DEREGISTERED: "注销",
}


def status(raw: str) -> TargetStatus:
    value = raw.strip().lower() or "operating"
    if value in _STATUS:
        return _STATUS[value]
    raise ValueError("状态应为 在营/停业/注销 (operating/closed/deregistered)")


_KIND = {"一般": ItemKind.GENERAL, "general": ItemKind.GENERAL, "": ItemKind.GENERAL}
_KIND |= {"重点": ItemKind.KEY, "key": ItemKind.KEY}
KIND_LABEL = {ItemKind.GENERAL: "一般", ItemKind.KEY: "重点"}


def kind(raw: str) -> ItemKind:
    value = raw.strip().lower().removesuffix("事项")
    if value in _KIND:
        return _KIND[value]
    raise ValueError("事项类别应为 一般/重点 (general/key)")


_RISK = {c.value: c for c in RiskClass} | {
    "低": RiskClass.A,
    "一般": RiskClass.B,
    "较高": RiskClass.C,
    "高": RiskClass.D,
}


def risk(raw: str) -> RiskClass:
    value = raw.strip().upper().removesuffix("级").removesuffix("类").removesuffix("风险") or "B"
    if value in _RISK:
        return _RISK[value]
    raise ValueError("信用风险分类应为 A/B/C/D (或 低/一般/较高/高)")
