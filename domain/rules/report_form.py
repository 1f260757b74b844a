"""The report form as data, for a program that draws it (the field app): every field in the
order the form asks for it, with its names and kind, when it is asked and whether it must be
filled, and the choices with their labels. Read from the rules in domain/rules/report.py, never
restated: what is required is what `validate_report` refuses when a field is left empty. The
checks that span fields (no follow-up when nothing was found, say) stay with `validate_report`,
whose problems a saved draft lists."""

from __future__ import annotations

from functools import cache
from typing import Any

from domain.rules.report import (
    COULD_NOT_INSPECT_CATEGORIES,
    DATE_FIELDS,
    FOLLOW_UP_DETAILS,
    INSPECTION_METHODS,
    LIST_FIELDS,
    METHOD_LABELS_EN,
    OTHER_METHOD,
    REPORT_FIELDS,
    RESULT_CATEGORIES,
    FollowUpAction,
    FollowUpState,
    report_fields,
    validate_report,
)

# Moments (a time of day matters) against dates; both ISO 8601.
_MOMENTS = frozenset({"started_at", "ended_at"})
_CHOICES = {
    "methods": "methods",
    "result_categories": "result_categories",
    "follow_up_action": "follow_up_actions",
    "follow_up_state": "follow_up_states",
}


def _kind(name: str) -> str:
    if name in LIST_FIELDS:
        return "choices"
    if name in _CHOICES:
        return "choice"
    if name in DATE_FIELDS:
        return "datetime" if name in _MOMENTS else "date"
    return "text"


def _branches() -> list[dict[str, Any]]:
    """Answers that between them make the form ask for every field."""
    branches: list[dict[str, Any]] = [{}, {"methods": [OTHER_METHOD]}]
    for action in FollowUpAction:
        for state in FollowUpState:
            branches.append({"follow_up_action": action.value, "follow_up_state": state.value})
    return branches


def _answers_asking(name: str) -> list[dict[str, Any]]:
    """Answers (to the fields before it) under which the form asks for `name`; [{}]: always."""
    if name in report_fields({}):
        return [{}]
    return [answers for answers in _branches() if name in report_fields(answers)]


def _form_order() -> list[str]:
    """Every field, ordered so that the ones asked under any answers come in the order the
    form asks them (`report_fields`): a closing date after the action's details, say."""
    order: list[str] = []
    for answers in _branches():
        previous = -1
        for name in report_fields(answers):
            if name not in order:
                order.insert(previous + 1, name)
            previous = order.index(name)
    return order + [name for name in REPORT_FIELDS if name not in order]


def _condition(name: str, asking: list[dict[str, Any]]) -> dict[str, Any] | None:
    if asking == [{}]:
        return None
    if asking and "methods" in asking[0]:
        return {"field": "methods", "includes": OTHER_METHOD}
    actions = sorted({a["follow_up_action"] for a in asking}, key=list(FollowUpAction).index)
    states = sorted({a["follow_up_state"] for a in asking}, key=list(FollowUpState).index)
    condition: dict[str, Any] = {"field": "follow_up_action", "one_of": actions}
    if len(states) < len(FollowUpState):
        condition["and"] = {"field": "follow_up_state", "one_of": states}
    return condition


def _required(name: str, asking: list[dict[str, Any]]) -> bool:
    """Whether leaving `name` empty, when it is asked, is refused at submission."""
    for answers in asking:
        left_empty = {k: v for k, v in answers.items() if k != name}
        if name in {e.field for e in validate_report(left_empty)}:
            return True
    return False


@cache
def report_form() -> dict[str, Any]:
    fields = []
    for name in _form_order():
        zh, en = REPORT_FIELDS[name]
        asking = _answers_asking(name)
        field: dict[str, Any] = {"name": name, "zh": zh, "en": en, "kind": _kind(name)}
        if name in _CHOICES:
            field["choices"] = _CHOICES[name]
        field["asked_when"] = _condition(name, asking)
        field["required"] = _required(name, asking)
        fields.append(field)
    return {
        "fields": fields,
        "methods": [{"value": m, "zh": m, "en": METHOD_LABELS_EN[m]} for m in INSPECTION_METHODS],
        "result_categories": [
            {
                "value": code,
                "zh": zh,
                "en": en,
                "could_not_inspect": code in COULD_NOT_INSPECT_CATEGORIES,
            }
            for code, (zh, en) in RESULT_CATEGORIES.items()
        ],
        "follow_up_actions": [
            {"value": a, "zh": a.label_zh, "en": a.label_en, "needs": list(FOLLOW_UP_DETAILS[a])}
            for a in FollowUpAction
        ],
        "follow_up_states": [{"value": s, "zh": s.label_zh, "en": s.value} for s in FollowUpState],
    }
