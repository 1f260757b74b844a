"""Report validation: every field named, result categories exclusive, follow-up consistent."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.rules.report import (
    FOLLOW_UP_LABELS,
    INSPECTION_METHODS,
    REPORT_FIELDS,
    RESULT_CATEGORIES,
    FollowUpAction,
    validate_report,
)
from tests.kit.lifecycle import valid_report


def fields_of(report) -> list[str]:
    return [e.field for e in validate_report(report)]


def test_a_complete_report_passes_as_dataclass_and_as_mapping():
    assert validate_report(valid_report()) == []
    assert validate_report(dataclasses.asdict(valid_report())) == []


def test_iso_text_dates_from_json_are_accepted():
    r = valid_report(started_at="2025-06-03T09:30:00+08:00", ended_at="2025-06-03",
                     correction_deadline="2025-07-03")  # fmt: skip
    assert validate_report(r) == []


def test_an_empty_report_names_every_required_field_in_chinese_and_english():
    errors = validate_report({})
    names = {e.field for e in errors}
    assert names == {"started_at", "content", "methods", "steps", "findings", "evaluation",
                     "handling_opinion", "result_categories", "follow_up_action"}  # fmt: skip
    for e in errors:
        assert REPORT_FIELDS[e.field][0] in str(e)
        assert REPORT_FIELDS[e.field][1] in str(e)
        assert e.field in str(e)


@pytest.mark.parametrize("name", ["content", "steps", "findings", "evaluation", "handling_opinion"])
def test_blank_text_is_missing(name):
    assert fields_of(valid_report(**{name: "  \n"})) == [name]


def test_bad_dates_are_named():
    assert fields_of(valid_report(started_at="6月3日")) == ["started_at"]
    assert fields_of(valid_report(ended_at=dt.date(2025, 6, 2))) == ["ended_at"]


def test_methods_come_from_the_fixed_list():
    assert INSPECTION_METHODS == ("实地检查", "书面检查", "网络监测", "检验检测",
                                  "委托专业机构辅助", "其他")  # fmt: skip
    assert fields_of(valid_report(methods=[])) == ["methods"]
    assert fields_of(valid_report(methods=["电话询问"])) == ["methods"]
    assert fields_of(valid_report(methods=["实地检查", "实地检查"])) == ["methods"]
    assert fields_of(valid_report(methods=["实地检查", "其他"])) == ["methods_other"]
    assert validate_report(valid_report(methods=["其他"], methods_other="视频连线")) == []
    assert validate_report(valid_report(methods=list(INSPECTION_METHODS), methods_other="x")) == []


def test_the_category_table_is_the_domain_table():
    assert list(RESULT_CATEGORIES) == ["1", "A", "E", "F", "B", "C", "6", "7", "8", "9", "10",
                                       "11", "12"]  # fmt: skip
    assert RESULT_CATEGORIES["1"][0] == "未发现问题"
    assert RESULT_CATEGORIES["6"][0] == "通过登记的住所（经营场所）无法联系"
    assert [RESULT_CATEGORIES[c][0] for c in ("9", "10", "11", "12")] == [
        "注销", "被吊销", "被撤销", "迁出"]  # fmt: skip
    assert FOLLOW_UP_LABELS[FollowUpAction.ORDER_CORRECTION][0] == "责令整改"


NO_FOLLOW_UP = {"follow_up_action": "none", "follow_up_state": "", "correction_items": "",
                "correction_deadline": None}  # fmt: skip
CLUE = {"follow_up_action": "case_clue", "follow_up_state": "open",
        "follow_up_recipient": "市城管执法局"}  # fmt: skip


def test_no_problem_alone_is_valid():
    assert validate_report(valid_report(result_categories=["1"], **NO_FOLLOW_UP)) == []


@pytest.mark.parametrize("other", [c for c in RESULT_CATEGORIES if c != "1"])
def test_no_problem_excludes_every_other_category(other):
    errors = validate_report(valid_report(result_categories=["1", other], **CLUE))
    messages = [e.message_zh for e in errors if e.field == "result_categories"]
    assert any("「1 未发现问题」不能与其他结果同时选择" in m for m in messages)


@given(st.sets(st.sampled_from([c for c in RESULT_CATEGORIES if c != "1"]), min_size=1))
def test_the_other_categories_combine_freely(codes):
    assert validate_report(valid_report(result_categories=sorted(codes), **CLUE)) == []


def test_unknown_duplicate_or_missing_categories():
    assert fields_of(valid_report(result_categories=[])) == ["result_categories"]
    assert fields_of(valid_report(result_categories=["Z"])) == ["result_categories"]
    assert fields_of(valid_report(result_categories=["A", "A"])) == ["result_categories"]


def test_an_order_to_correct_needs_what_and_by_when():
    assert fields_of(valid_report(correction_items="")) == ["correction_items"]
    assert fields_of(valid_report(correction_deadline=None)) == ["correction_deadline"]
    assert fields_of(valid_report(correction_deadline="下周")) == ["correction_deadline"]
    before = valid_report(correction_deadline=dt.date(2025, 6, 1))
    assert [e.message_zh for e in validate_report(before)] == ["整改期限早于抽查时间"]


def test_follow_up_state_and_date_agree():
    assert fields_of(valid_report(follow_up_state="")) == ["follow_up_state"]
    assert fields_of(valid_report(follow_up_state="closed")) == ["follow_up_closed_on"]
    closed = valid_report(follow_up_state="closed", follow_up_closed_on=dt.date(2025, 7, 1))
    assert validate_report(closed) == []
    open_dated = valid_report(follow_up_closed_on=dt.date(2025, 7, 1))
    assert fields_of(open_dated) == ["follow_up_closed_on"]
    early = valid_report(follow_up_state="closed", follow_up_closed_on=dt.date(2025, 5, 1))
    assert fields_of(early) == ["follow_up_closed_on"]


def test_follow_up_agrees_with_the_result():
    # A problem awaiting follow-up with nothing to follow up is a contradiction, and so is
    # following up when nothing was found.
    assert fields_of(valid_report(result_categories=["A"], **NO_FOLLOW_UP)) == ["follow_up_action"]
    assert fields_of(valid_report(result_categories=["1"])) == ["follow_up_action"]
    none_open = {**NO_FOLLOW_UP, "follow_up_state": "open"}
    assert fields_of(valid_report(result_categories=["E"], **none_open)) == ["follow_up_state"]
    assert fields_of(valid_report(follow_up_action="escalate")) == ["follow_up_action"]


def test_transfers_name_the_recipient_and_other_is_described():
    for action in ("case_clue", "copied"):
        r = valid_report(follow_up_action=action, follow_up_recipient="")
        assert fields_of(r) == ["follow_up_recipient"]
        assert validate_report(valid_report(follow_up_action=action,
                                            follow_up_recipient="市场监管局")) == []  # fmt: skip
    assert fields_of(valid_report(follow_up_action="other")) == ["follow_up_note"]
    assert validate_report(valid_report(follow_up_action="other", follow_up_note="约谈")) == []
