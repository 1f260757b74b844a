"""The report form a field app draws agrees with the rules that check the report."""

from __future__ import annotations

import pytest

from domain.rules.report import REPORT_FIELDS, report_fields, validate_report
from domain.rules.report_form import report_form
from tests.kit.report_form import filled, holds

FORM = report_form()
BY_NAME = {f["name"]: f for f in FORM["fields"]}


# (answers that steer the form): every branch a field can be asked under.
BRANCHES = [
    {},
    {"methods": ["其他"]},
    *(
        {"result_categories": ["A"], "follow_up_action": a["value"], "follow_up_state": s["value"]}
        for a in FORM["follow_up_actions"][1:]
        for s in FORM["follow_up_states"]
    ),
]


def test_the_fields_are_the_reports():
    assert sorted(f["name"] for f in FORM["fields"]) == sorted(REPORT_FIELDS)
    assert all((f["zh"], f["en"]) == REPORT_FIELDS[f["name"]] for f in FORM["fields"])


@pytest.mark.parametrize("steer", BRANCHES, ids=str)
def test_a_report_filled_from_the_form_alone_passes(steer):
    answers = filled(FORM, steer)
    assert validate_report(answers) == []
    # What the form asks under these answers is what the rules ask.
    asked = [f["name"] for f in FORM["fields"] if holds(f["asked_when"], answers)]
    assert asked == report_fields(answers)


@pytest.mark.parametrize("steer", BRANCHES, ids=str)
def test_leaving_a_field_empty_is_refused_exactly_when_the_form_says_required(steer):
    answers = filled(FORM, steer)
    for name in report_fields(answers):
        if name in steer:
            continue  # the answers that steer the branch are not left out
        refused = {
            e.field for e in validate_report({k: v for k, v in answers.items() if k != name})
        }
        assert (name in refused) == BY_NAME[name]["required"], name


def test_the_choices_carry_both_labels():
    for key in ("methods", "result_categories", "follow_up_actions", "follow_up_states"):
        assert FORM[key] and all(c["value"] and c["zh"] and c["en"] for c in FORM[key])
    could_not = {c["value"] for c in FORM["result_categories"] if c["could_not_inspect"]}
    assert could_not == {"6", "7", "8", "9", "10", "11", "12"}
