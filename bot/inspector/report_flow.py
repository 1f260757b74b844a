"""The guided report of /report as plain values: which question comes next, what an answer
means, and how the draft reads back. No Telegram here (bot/inspector/report.py asks the
questions); the rules of a valid report stay in domain.rules.report."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from domain.rules.report import (
    FOLLOW_UP_LABELS,
    INSPECTION_METHODS,
    REPORT_FIELDS,
    RESULT_CATEGORIES,
    FollowUpAction,
    category_errors,
    complete_fields,
    report_fields,
    validate_report,
)

CONFIRM = "confirm"
MOMENT_STEPS = frozenset({"started_at", "ended_at"})
DATE_STEPS = frozenset({"follow_up_closed_on", "correction_deadline"})
MULTI_STEPS: dict[str, tuple[str, ...]] = {
    "methods": INSPECTION_METHODS,
    "result_categories": tuple(RESULT_CATEGORIES),
}
SINGLE_STEPS: dict[str, tuple[str, ...]] = {
    "follow_up_action": tuple(a.value for a in FollowUpAction),
    "follow_up_state": ("open", "closed"),
}
STATE_LABELS = {"open": ("未办结", "open"), "closed": ("已办结", "closed")}
LIST_FIELDS = frozenset(MULTI_STEPS)
DATE_FIELDS = MOMENT_STEPS | DATE_STEPS


@dataclass
class Draft:
    """A report being answered, kept in the user's chat data between updates."""

    task_id: int
    number: str
    step: str
    fields: dict[str, Any] = field(default_factory=dict)
    existing: dict[str, Any] = field(default_factory=dict)  # the saved report, if any
    checkin_at: str | None = None
    items_text: str = ""


def steps_for(fields: Mapping[str, Any]) -> list[str]:
    """The questions for these answers, in order: the report's fields as the domain lists them
    (the follow-up's depend on its action and state), then the confirmation."""
    return [*report_fields(fields), CONFIRM]


def first_step() -> str:
    return steps_for({})[0]


def next_step(fields: Mapping[str, Any], answered: str) -> str:
    steps = steps_for(fields)
    return steps[steps.index(answered) + 1] if answered in steps else steps[0]


def initial_fields(existing: Mapping[str, Any]) -> dict[str, Any]:
    """Choices start from the saved report, so revising one is a matter of pressing Done."""
    return {k: list(existing[k]) for k in MULTI_STEPS if existing.get(k)}


def final_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Every report field: answers for the questions asked, empty values for the others
    (domain.rules.report.complete_fields)."""
    return complete_fields(fields)


# -- answers ------------------------------------------------------------------------------

_NOW_WORDS = {"现在", "now"}
_TODAY_WORDS = {"今天", "today"}
_NUMERIC = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?$")


def _normalise(text: str) -> str:
    s = text.strip().replace("：", ":").replace("/", "-").replace(".", "-")
    s = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?\s*", r"\1-\2-\3 ", s)
    s = re.sub(r"(\d{1,2})[时点](\d{1,2})分?", r"\1:\2", s)
    s = re.sub(r"(\d{1,2})[时点]$", r"\1:00", s.strip())
    return s.strip()


def parse_moment(
    text: str, now: dt.datetime, tz: ZoneInfo, *, date_only: bool = False
) -> str | None:
    """ISO text for '2026-11-10 09:30', '2026/11/10', '2026年11月10日 9点30', 'now', 'today';
    None when it is not a date. Times are read in the office's time zone."""
    word = text.strip().lower()
    local_now = now.astimezone(tz)
    if word in _TODAY_WORDS or (date_only and word in _NOW_WORDS):
        return local_now.date().isoformat()
    if word in _NOW_WORDS:
        return local_now.replace(second=0, microsecond=0).isoformat()
    match = _NUMERIC.match(_normalise(text))
    if match is None:
        return None
    year, month, day, hour, minute = match.groups()
    try:
        if hour is None or date_only:
            if hour is not None:
                return None  # a deadline is a day
            return dt.date(int(year), int(month), int(day)).isoformat()
        moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=tz)
    except ValueError:
        return None
    return moment.isoformat()


def answer_text(
    step: str, text: str, fields: Mapping[str, Any], now: dt.datetime, tz: ZoneInfo
) -> tuple[dict[str, Any], str | None]:
    """(new answers, None) or (answers unchanged, the key of what is wrong)."""
    if step in MOMENT_STEPS or step in DATE_STEPS:
        value = parse_moment(text, now, tz, date_only=step in DATE_STEPS)
        if value is None:
            return dict(fields), "report.bad_date" if step in DATE_STEPS else "report.bad_moment"
        return {**fields, step: value}, None
    if step in MULTI_STEPS or step in SINGLE_STEPS or step == CONFIRM:
        return dict(fields), "report.use_buttons"
    if not text.strip():
        return dict(fields), "report.empty"
    return {**fields, step: text.strip()}, None


def toggle(step: str, value: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    chosen = list(fields.get(step) or ())
    if value not in MULTI_STEPS[step]:
        return dict(fields)
    chosen = [c for c in chosen if c != value] if value in chosen else [*chosen, value]
    order = MULTI_STEPS[step]
    return {**fields, step: sorted(chosen, key=order.index)}


def choose(step: str, value: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    if value not in SINGLE_STEPS[step]:
        return dict(fields)
    return {**fields, step: value}


def multi_problems(step: str, fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What stops a multiple choice from being done, as (Chinese, English)."""
    chosen = list(fields.get(step) or ())
    if step == "result_categories":
        return category_errors(chosen)
    if not chosen:
        return [("至少选择一项", "choose at least one")]
    return []


def problems(fields: Mapping[str, Any], lang: str) -> list[str]:
    """The domain's verdict on the draft as it would be saved, in the reader's language."""
    out = []
    for error in validate_report(final_fields(fields)):
        if lang == "en":
            out.append(f"{error.label_en}: {error.message_en}")
        else:
            out.append(f"「{error.label_zh}」{error.message_zh}")
    return out


# -- reading back -------------------------------------------------------------------------


def field_label(name: str, lang: str) -> str:
    zh, en = REPORT_FIELDS[name]
    return en if lang == "en" else zh


def choice_label(step: str, value: str, lang: str) -> str:
    en = lang == "en"
    if step == "result_categories":
        return f"{value} {RESULT_CATEGORIES[value][1 if en else 0]}"
    if step == "follow_up_action":
        zh_label, en_label = FOLLOW_UP_LABELS[FollowUpAction(value)]
        return en_label if en else zh_label
    if step == "follow_up_state":
        return STATE_LABELS[value][1 if en else 0]
    return value


def show_value(name: str, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return ""
    if name in MULTI_STEPS:
        sep = ", " if lang == "en" else "、"
        return sep.join(choice_label(name, str(v), lang) for v in value)
    if name in SINGLE_STEPS:
        return choice_label(name, str(value), lang)
    if name in DATE_FIELDS and isinstance(value, str) and "T" in value:
        return value[:16].replace("T", " ")
    return str(value)


def summary(fields: Mapping[str, Any], lang: str, names: Sequence[str] | None = None) -> str:
    """The answers, one field a line, in form order."""
    lines = []
    sep = ": " if lang == "en" else "："
    for name in names or steps_for(fields):
        if name == CONFIRM:
            continue
        shown = show_value(name, fields.get(name), lang)
        if shown:
            lines.append(f"{field_label(name, lang)}{sep}{shown}")
    return "\n".join(lines)
