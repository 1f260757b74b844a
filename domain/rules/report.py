"""The inspection report (抽查报告) and its rules, as plain values: the single source of the
result categories, inspection methods and follow-up actions, and of the fields a report fills
(`report_fields`: which a follow-up action needs, in the order a form asks for them).

The report holds what 九(四) asks for (docs/domain.md): time and content, method and steps,
findings, evaluation of the business, handling opinion; plus the result entry of the provincial
platforms (核查方式, result categories, 后续处置 with its state). `validate_report` returns every
problem at once, each naming its field in Chinese and English, so a form can show them all
together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain import clock

# code -> (Chinese label as on the provincial platforms, English label). Order is display order.
RESULT_CATEGORIES: dict[str, tuple[str, str]] = {
    "1": ("未发现问题", "no problem found"),
    "A": ("发现问题待后续处理", "problem found, follow-up pending"),
    "E": ("发现问题经责令已改正", "problem found and corrected on order"),
    "F": ("未发现开展本次抽查涉及的经营活动", "no activity covered by this inspection found"),
    "B": ("未按规定公示应当公示的信息", "information that must be disclosed was not"),
    "C": ("公示信息隐瞒真实情况弄虚作假", "disclosed information concealed or falsified"),
    "6": ("通过登记的住所（经营场所）无法联系", "cannot be reached at the registered address"),
    "7": ("已关闭停业或正在组织清算", "closed, suspended or in liquidation"),
    "8": ("不配合检查情节严重", "seriously uncooperative with the inspection"),
    "9": ("注销", "deregistered"),
    "10": ("被吊销", "licence revoked"),
    "11": ("被撤销", "registration cancelled"),
    "12": ("迁出", "moved out of the jurisdiction"),
}
NO_PROBLEM = "1"
PROBLEM_PENDING = "A"
# The outcomes that mean the inspection could not take place; a task may close with these alone.
COULD_NOT_INSPECT_CATEGORIES = frozenset({"6", "7", "8", "9", "10", "11", "12"})

INSPECTION_METHODS: tuple[str, ...] = (
    "实地检查",
    "书面检查",
    "网络监测",
    "检验检测",
    "委托专业机构辅助",
    "其他",
)
OTHER_METHOD = "其他"
METHOD_LABELS_EN: dict[str, str] = {
    "实地检查": "on-site inspection",
    "书面检查": "review of documents",
    "网络监测": "online monitoring",
    "检验检测": "testing",
    "委托专业机构辅助": "assisted by a commissioned professional body",
    "其他": "other",
}


class FollowUpAction(StrEnum):
    NONE = "none"
    ORDER_CORRECTION = "order_correction"
    CASE_CLUE = "case_clue"
    COPIED = "copied"
    OTHER = "other"

    @property
    def label_zh(self) -> str:
        return FOLLOW_UP_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return FOLLOW_UP_LABELS[self][1]


FOLLOW_UP_LABELS: dict[FollowUpAction, tuple[str, str]] = {
    FollowUpAction.NONE: ("无需后续处置", "no follow-up needed"),
    FollowUpAction.ORDER_CORRECTION: ("责令整改", "ordered to correct"),
    FollowUpAction.CASE_CLUE: ("移交案件线索", "case clue transferred"),
    FollowUpAction.COPIED: ("抄告相关部门", "copied to another department"),
    FollowUpAction.OTHER: ("其他", "other"),
}


class FollowUpState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label_zh(self) -> str:
        return "未办结" if self is FollowUpState.OPEN else "已办结"


# field -> (Chinese name, English name), in form order.
REPORT_FIELDS: dict[str, tuple[str, str]] = {
    "started_at": ("抽查时间", "inspection time"),
    "ended_at": ("抽查结束时间", "inspection end time"),
    "content": ("抽查内容", "content inspected"),
    "methods": ("核查方式", "inspection methods"),
    "methods_other": ("其他核查方式说明", "other method, described"),
    "steps": ("方法步骤", "method and steps"),
    "findings": ("抽查情况", "findings"),
    "evaluation": ("对被抽查人的评价", "evaluation of the business"),
    "handling_opinion": ("处理意见建议", "handling opinion"),
    "result_categories": ("抽查结果", "result categories"),
    "follow_up_action": ("后续处置", "follow-up action"),
    "follow_up_state": ("处置状态", "follow-up state"),
    "follow_up_closed_on": ("办结日期", "follow-up closing date"),
    "follow_up_recipient": ("移交或抄告对象", "transferred or copied to"),
    "follow_up_note": ("处置说明", "follow-up description"),
    "correction_items": ("整改事项", "what must be corrected"),
    "correction_deadline": ("整改期限", "correction deadline"),
}
_TEXT_FIELDS = ("content", "steps", "findings", "evaluation", "handling_opinion")

# What each follow-up action needs besides its state, in the order a form asks for it; each is
# required. The single list: validate_report and the chat's questions both read it.
FOLLOW_UP_DETAILS: dict[FollowUpAction, tuple[str, ...]] = {
    FollowUpAction.NONE: (),
    FollowUpAction.ORDER_CORRECTION: ("correction_items", "correction_deadline"),
    FollowUpAction.CASE_CLUE: ("follow_up_recipient",),
    FollowUpAction.COPIED: ("follow_up_recipient",),
    FollowUpAction.OTHER: ("follow_up_note",),
}
_DATE_DETAILS = frozenset({"correction_deadline"})
# (Chinese, English) of a missing detail; {action} is the action's Chinese label.
_DETAIL_MISSING: dict[str, tuple[str, str]] = {
    "correction_items": ("{action}须写明整改事项", "say what must be corrected"),
    "correction_deadline": ("{action}须填写整改期限", "an order to correct needs a deadline"),
    "follow_up_recipient": ("{action}须写明对象（部门）", "name the department it went to"),
    "follow_up_note": ("选择「{action}」时须说明处置方式", "describe the follow-up"),
}


def follow_up_fields(action: str, state: str = "") -> tuple[str, ...]:
    """The fields after the action that a report with this follow-up action and state fills,
    in form order: something to follow up has a state and the action's details, a closed one
    its closing date; nothing to follow up (or no valid action yet) has none."""
    try:
        chosen = FollowUpAction(action)
    except ValueError:
        return ()
    if chosen is FollowUpAction.NONE:
        return ()
    closing = ("follow_up_closed_on",) if state == FollowUpState.CLOSED else ()
    return ("follow_up_state", *FOLLOW_UP_DETAILS[chosen], *closing)


def report_fields(answers: Mapping[str, Any]) -> list[str]:
    """The fields a report with these answers fills, in the order a form asks for them: the
    description of the method only with 'other' among the methods, the follow-up's fields as
    its action and state call for them."""
    fields = ["started_at", "ended_at", "content", "methods"]
    methods = answers.get("methods")
    # Answers not yet checked may hold anything: a wrong type is refused later, by name.
    if isinstance(methods, (list, tuple)) and OTHER_METHOD in methods:
        fields.append("methods_other")
    fields += ["steps", "findings", "evaluation", "handling_opinion"]
    fields += ["result_categories", "follow_up_action"]
    action, state = answers.get("follow_up_action") or "", answers.get("follow_up_state") or ""
    return fields + list(follow_up_fields(str(action), str(state)))


LIST_FIELDS = frozenset({"methods", "result_categories"})
DATE_FIELDS = frozenset({"started_at", "ended_at", "follow_up_closed_on", "correction_deadline"})


def complete_fields(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every report field, as a whole report replaces the saved one: the answers for the
    fields these answers call for (report_fields), empty values for the others, so an earlier
    revision's follow-up details do not survive a changed action."""
    asked = set(report_fields(answers))
    out: dict[str, Any] = {}
    for name in REPORT_FIELDS:
        if name in asked and name in answers:
            out[name] = answers[name]
        elif name in LIST_FIELDS:
            out[name] = []
        elif name in DATE_FIELDS:
            out[name] = None
        else:
            out[name] = ""
    return out


@dataclass
class Report:
    """A report as entered; every field may be missing until it is checked."""

    started_at: dt.datetime | dt.date | str | None = None
    ended_at: dt.datetime | dt.date | str | None = None
    content: str = ""
    methods: Sequence[str] = ()
    methods_other: str = ""
    steps: str = ""
    findings: str = ""
    evaluation: str = ""
    handling_opinion: str = ""
    result_categories: Sequence[str] = ()
    follow_up_action: str = ""
    follow_up_state: str = ""
    follow_up_closed_on: dt.date | str | None = None
    follow_up_recipient: str = ""
    follow_up_note: str = ""
    correction_items: str = ""
    correction_deadline: dt.date | str | None = None


@dataclass(frozen=True)
class FieldError:
    field: str
    message_zh: str
    message_en: str

    @property
    def label_zh(self) -> str:
        return REPORT_FIELDS[self.field][0]

    @property
    def label_en(self) -> str:
        return REPORT_FIELDS[self.field][1]

    @property
    def zh(self) -> str:
        return f"「{self.label_zh}」{self.message_zh}"

    def __str__(self) -> str:
        return (
            f"「{self.label_zh}」：{self.message_zh}"
            f" / {self.label_en} ({self.field}): {self.message_en}"
        )


def category_label(code: str) -> str:
    return f"{code} {RESULT_CATEGORIES[code][0]}"


def category_errors(
    codes: Sequence[str], *, allowed: frozenset[str] | None = None
) -> list[tuple[str, str]]:
    """Problems with a set of result categories as (Chinese, English); empty when acceptable."""
    if not codes:
        return [("至少选择一项抽查结果", "choose at least one result category")]
    problems: list[tuple[str, str]] = []
    unknown = [c for c in codes if c not in RESULT_CATEGORIES]
    if unknown:
        problems.append(
            (
                f"未知的结果代码 {'、'.join(unknown)}（可选：{'、'.join(RESULT_CATEGORIES)}）",
                f"unknown codes {', '.join(unknown)}",
            )
        )
    if len(set(codes)) != len(codes):
        problems.append(("结果代码重复", "a code is listed twice"))
    if NO_PROBLEM in codes and len(set(codes)) > 1:
        problems.append(
            (
                f"「{category_label(NO_PROBLEM)}」不能与其他结果同时选择",
                "'1 no problem found' excludes every other category",
            )
        )
    outside = [c for c in codes if c in RESULT_CATEGORIES and allowed and c not in allowed]
    if outside and allowed:
        choices = "、".join(category_label(c) for c in RESULT_CATEGORIES if c in allowed)
        problems.append(
            (
                f"此处只能选择：{choices}，不能选择 {'、'.join(outside)}",
                f"only {', '.join(c for c in RESULT_CATEGORIES if c in allowed)} here,"
                f" not {', '.join(outside)}",
            )
        )
    return problems


def validate_report(report: Report | Mapping[str, Any]) -> list[FieldError]:
    """Every problem of a report, in form order; an empty list means it may be submitted."""
    data = dataclasses.asdict(report) if dataclasses.is_dataclass(report) else dict(report)
    errors: list[FieldError] = []

    def err(name: str, zh: str, en: str) -> None:
        errors.append(FieldError(name, zh, en))

    started = _moment(data.get("started_at"), "started_at", err, required=True)
    ended = _moment(data.get("ended_at"), "ended_at", err, required=False)
    if started and ended and _as_date(ended) < _as_date(started):
        err("ended_at", "结束时间早于开始时间", "ends before it starts")
    for name in _TEXT_FIELDS:
        if not _text(data.get(name)):
            err(name, "必须填写", "required")

    methods = list(data.get("methods") or ())
    if not methods:
        err("methods", "至少选择一种核查方式", "choose at least one method")
    for m in methods:
        if m not in INSPECTION_METHODS:
            err(
                "methods",
                f"「{m}」不是可选的核查方式（可选：{'、'.join(INSPECTION_METHODS)}）",
                f"{m!r} is not one of the methods",
            )
    if len(set(methods)) != len(methods):
        err("methods", "核查方式重复", "a method is listed twice")
    if OTHER_METHOD in methods and not _text(data.get("methods_other")):
        err("methods_other", "选择「其他」时须说明核查方式", "describe the 'other' method")

    codes = [str(c) for c in (data.get("result_categories") or ())]
    for zh, en in category_errors(codes):
        err("result_categories", zh, en)

    _check_follow_up(data, codes, started, err)
    return errors


def _check_follow_up(data: dict[str, Any], codes: list[str], started: Any, err: Any) -> None:
    raw_action = data.get("follow_up_action") or ""
    try:
        action = FollowUpAction(raw_action)
    except ValueError:
        choices = "、".join(a.label_zh for a in FollowUpAction)
        err("follow_up_action", f"必须选择一项（{choices}）", "choose a follow-up action")
        return
    raw_state = data.get("follow_up_state") or ""
    if action is FollowUpAction.NONE and not raw_state:
        state = FollowUpState.CLOSED  # nothing to follow up is closed by definition
    else:
        try:
            state = FollowUpState(raw_state)
        except ValueError:
            err("follow_up_state", "必须选择未办结或已办结", "choose open or closed")
            state = None

    if action is FollowUpAction.NONE:
        if state is FollowUpState.OPEN:
            err(
                "follow_up_state",
                "无需后续处置时不能是未办结",
                "nothing to follow up cannot be open",
            )
        if PROBLEM_PENDING in codes:
            err(
                "follow_up_action",
                f"结果为「{category_label(PROBLEM_PENDING)}」时须选择后续处置",
                "a problem awaiting follow-up needs a follow-up action",
            )
    elif NO_PROBLEM in codes:
        err(
            "follow_up_action",
            f"结果为「{category_label(NO_PROBLEM)}」时应为无需后续处置",
            "no problem found needs no follow-up",
        )

    needed = follow_up_fields(action, state or "")
    closed_on = _moment(data.get("follow_up_closed_on"), "follow_up_closed_on", err, required=False)
    if "follow_up_closed_on" in needed and not closed_on:
        err("follow_up_closed_on", "已办结时须填写办结日期", "a closed follow-up needs its date")
    if state is FollowUpState.OPEN and closed_on:
        err(
            "follow_up_closed_on",
            "未办结时不应填写办结日期",
            "an open follow-up has no closing date",
        )
    if closed_on and started and _as_date(closed_on) < _as_date(started):
        err("follow_up_closed_on", "办结日期早于抽查时间", "closed before the inspection")

    for name in FOLLOW_UP_DETAILS[action]:
        value = data.get(name)
        # A date given wrongly is named by its own check below, not as missing.
        if not value if name in _DATE_DETAILS else not _text(value):
            zh, en = _DETAIL_MISSING[name]
            err(name, zh.format(action=action.label_zh), en)
    if action is FollowUpAction.ORDER_CORRECTION:
        deadline = _moment(
            data.get("correction_deadline"), "correction_deadline", err, required=False
        )
        if deadline and started and _as_date(deadline) < _as_date(started):
            err("correction_deadline", "整改期限早于抽查时间", "deadline before the inspection")


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _moment(value: Any, name: str, err: Any, *, required: bool) -> dt.date | None:
    """A date or datetime from an object or ISO text; records an error for a bad one."""
    if value is None or value == "":
        if required:
            err(name, "必须填写", "required")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for parse in (dt.datetime.fromisoformat, dt.date.fromisoformat):
            try:
                return parse(value.strip())
            except ValueError:
                continue
    err(name, f"「{value}」不是有效的日期（例：2025-06-30）", "not a valid date (e.g. 2025-06-30)")
    return None


def _as_date(value: dt.date) -> dt.date:
    """The office's date of a moment: 20:00Z is already the next day in Beijing."""
    if isinstance(value, dt.datetime):
        return value.date() if value.tzinfo is None else clock.local_date(value)
    return value
