"""Filling the report form (GET /api/v1/report-form, domain/rules/report_form.py) as a field
app would: from the form's own description alone."""

from __future__ import annotations

from typing import Any


def holds(condition: dict[str, Any] | None, answers: dict[str, Any]) -> bool:
    if condition is None:
        return True
    answer = answers.get(condition["field"])
    if "includes" in condition:
        met = isinstance(answer, list) and condition["includes"] in answer
    else:
        met = answer in condition["one_of"]
    return met and holds(condition.get("and"), answers)


def filled(form: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Every field the form asks for under `answers`, filled with a value of its kind."""
    out = dict(answers)
    for field in form["fields"]:
        name = field["name"]
        if name in out or not holds(field["asked_when"], out):
            continue
        kind = field["kind"]
        if kind in ("choice", "choices"):
            first = form[field["choices"]][0]["value"]
            out[name] = [first] if kind == "choices" else first
        else:
            out[name] = {"text": "说明", "date": "2026-11-21", "datetime": "2026-11-20"}[kind]
    return out
