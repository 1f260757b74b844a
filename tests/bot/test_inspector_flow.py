"""The pure parts of the inspector's chat: the report's questions and answers, note prefixes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.inspector import report_flow as flow
from bot.inspector.evidence import parse_note
from domain.rules.report import (
    FOLLOW_UP_DETAILS,
    REPORT_FIELDS,
    FollowUpAction,
    report_fields,
    validate_report,
)
from domain.storage.models import EvidenceKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 10, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai


def walk(answers: dict) -> list[str]:
    """The questions asked when each is answered from `answers`, in order."""
    fields: dict = {}
    asked = [flow.first_step()]
    while asked[-1] != flow.CONFIRM:
        step = asked[-1]
        fields = {**fields, step: answers[step]}
        asked.append(flow.next_step(fields, step))
    return asked


COMPLETE = {
    "started_at": "2026-11-10T09:30:00+08:00",
    "ended_at": "2026-11-10T11:00:00+08:00",
    "content": "人防工程平时使用情况",
    "methods": ["实地检查"],
    "methods_other": "",
    "steps": "查看现场，查阅台账",
    "findings": "消防通道堵塞",
    "evaluation": "基本规范",
    "handling_opinion": "责令整改",
    "result_categories": ["A"],
    "follow_up_action": "order_correction",
    "follow_up_state": "open",
    "correction_items": "清理消防通道",
    "correction_deadline": "2026-12-31",
    "follow_up_recipient": "",
    "follow_up_note": "",
    "follow_up_closed_on": None,
}


def test_an_order_to_correct_asks_what_and_by_when_and_nothing_else():
    asked = walk(COMPLETE)
    assert asked[-4:] == ["follow_up_state", "correction_items", "correction_deadline", "confirm"]
    assert "methods_other" not in asked and "follow_up_recipient" not in asked
    assert validate_report(flow.final_fields(COMPLETE)) == []


def test_no_follow_up_skips_every_follow_up_question_and_clears_old_answers():
    answers = {**COMPLETE, "result_categories": ["1"], "follow_up_action": "none"}
    asked = walk(answers)
    assert asked[-2:] == ["follow_up_action", "confirm"]
    final = flow.final_fields(answers)
    assert final["correction_items"] == "" and final["correction_deadline"] is None
    assert set(final) == set(REPORT_FIELDS)
    assert validate_report(final) == []


def test_other_method_and_closed_transfer_ask_their_details():
    answers = {**COMPLETE, "methods": ["实地检查", "其他"], "follow_up_action": "case_clue",
               "follow_up_state": "closed"}  # fmt: skip
    asked = walk(answers)
    assert "methods_other" in asked
    assert asked[-3:] == ["follow_up_recipient", "follow_up_closed_on", "confirm"]


ANY_FOLLOW_UP = {
    **COMPLETE,
    "methods": ["实地检查", "其他"],
    "methods_other": "视频连线",
    "follow_up_recipient": "市市场监管局",
    "follow_up_note": "约谈负责人",
    "follow_up_closed_on": "2026-11-20",
}


@pytest.mark.parametrize("state", ["open", "closed"])
@pytest.mark.parametrize("action", list(FollowUpAction))
def test_each_follow_up_asks_exactly_what_the_domain_requires(action, state):
    nothing = action is FollowUpAction.NONE
    answers = {**ANY_FOLLOW_UP, "follow_up_action": action.value,
               "result_categories": ["1"] if nothing else ["A"],
               "follow_up_state": "" if nothing else state}  # fmt: skip
    asked = walk(answers)
    assert asked == [*report_fields(answers), flow.CONFIRM]
    closing = ["follow_up_closed_on"] if state == "closed" and not nothing else []
    follow_up = [] if nothing else ["follow_up_state", *FOLLOW_UP_DETAILS[action], *closing]
    assert asked[asked.index("follow_up_action") + 1 : -1] == follow_up
    # The rules agree with the questions: the answers to them make a valid report, and each
    # question left unanswered (the end time is optional) is named by the rules.
    answered = {name: answers[name] for name in asked[:-1]}
    assert validate_report(flow.final_fields(answered)) == []
    for name in asked[:-1]:
        if name != "ended_at":
            without = {k: v for k, v in answered.items() if k != name}
            assert name in {e.field for e in validate_report(flow.final_fields(without))}


def test_problems_name_the_missing_fields_in_the_readers_language():
    partial = {"started_at": "2026-11-10", "methods": ["实地检查"]}
    zh, en = flow.problems(partial, "zh"), flow.problems(partial, "en")
    assert any("「抽查内容」" in p for p in zh)
    assert any(p.startswith("content inspected:") for p in en)


def test_moments_and_dates():
    parse = flow.parse_moment
    assert parse("2026-11-10 09:30", NOW, SHANGHAI) == "2026-11-10T09:30:00+08:00"
    assert parse("2026/11/10 9:05", NOW, SHANGHAI) == "2026-11-10T09:05:00+08:00"
    assert parse("2026年11月10日 9点30", NOW, SHANGHAI) == "2026-11-10T09:30:00+08:00"
    assert parse("2026-11-10", NOW, SHANGHAI) == "2026-11-10"
    assert parse("现在", NOW, SHANGHAI) == "2026-11-10T10:30:00+08:00"
    assert parse("today", NOW, SHANGHAI) == "2026-11-10"
    assert parse("2026-02-30", NOW, SHANGHAI) is None
    assert parse("明天上午", NOW, SHANGHAI) is None
    assert parse("2026-12-31", NOW, SHANGHAI, date_only=True) == "2026-12-31"
    assert parse("2026-12-31 10:00", NOW, SHANGHAI, date_only=True) is None


@given(st.text(max_size=30))
def test_any_text_is_an_answer_or_a_named_problem(text):
    fields, problem = flow.answer_text("started_at", text, {}, NOW, SHANGHAI)
    assert (problem is None) == ("started_at" in fields)
    if problem is None:
        errors = validate_report({"started_at": fields["started_at"]})
        assert all(e.field != "started_at" for e in errors)


def test_answers_of_the_wrong_kind_are_refused():
    assert flow.answer_text("methods", "实地检查", {}, NOW, SHANGHAI)[1] == "report.use_buttons"
    assert flow.answer_text("content", "   ", {}, NOW, SHANGHAI)[1] == "report.empty"
    assert (
        flow.answer_text("correction_deadline", "下周", {}, NOW, SHANGHAI)[1] == "report.bad_date"
    )


def test_choices_toggle_in_display_order_and_categories_are_checked():
    fields = flow.toggle("methods", "书面检查", {})
    fields = flow.toggle("methods", "实地检查", fields)
    assert fields["methods"] == ["实地检查", "书面检查"]
    assert flow.toggle("methods", "实地检查", fields)["methods"] == ["书面检查"]
    assert flow.multi_problems("methods", {}) == [("至少选择一项", "choose at least one")]
    both = {"result_categories": ["1", "A"]}
    assert any(
        "不能与其他结果同时选择" in zh for zh, _ in flow.multi_problems("result_categories", both)
    )


def test_summary_reads_back_labels():
    text = flow.summary(COMPLETE, "zh")
    assert "抽查时间：2026-11-10 09:30" in text
    assert "抽查结果：A 发现问题待后续处理" in text
    assert "后续处置：责令整改" in text
    assert "follow-up action: ordered to correct" in flow.summary(COMPLETE, "en")


def test_note_prefixes_name_the_kind_and_a_documents_source():
    assert parse_note("消防通道堵塞") == (EvidenceKind.NOTE, "消防通道堵塞", "")
    assert parse_note("问题：消防通道堵塞") == (EvidenceKind.PROBLEM, "消防通道堵塞", "")
    assert parse_note("询问笔录: 负责人称……")[0] == EvidenceKind.INTERVIEW
    assert parse_note("Problem: blocked exit")[:2] == (EvidenceKind.PROBLEM, "blocked exit")
    assert parse_note("书证：维护保养记录一份\n来源：物业管理处提供") == (
        EvidenceKind.DOCUMENT,
        "维护保养记录一份",
        "物业管理处提供",
    )
    assert parse_note("书证：维护保养记录一份") == (EvidenceKind.DOCUMENT, "维护保养记录一份", "")
