from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.errors import UserError
from domain.notice import NoticeInspector, check_notice
from domain.notice.text import cn_number, every_text_field, role
from tests.kit.notice_samples import sample_notice


def test_the_sample_is_valid():
    check_notice(sample_notice())


def test_fewer_than_two_officers_is_refused_and_experts_do_not_count():
    data = sample_notice()
    team = (data.inspectors[0], NoticeInspector("专家甲", is_expert=True))
    with pytest.raises(UserError, match="至少需要2人"):
        check_notice(replace(data, inspectors=team))


def test_an_officer_without_certificate_is_named():
    data = sample_notice()
    team = (*data.inspectors, NoticeInspector("无证人员"))
    with pytest.raises(UserError, match="无证人员"):
        check_notice(replace(data, inspectors=team))


def test_leader_must_be_an_officer_of_the_team():
    with pytest.raises(UserError, match="组长“陈思远”"):
        check_notice(replace(sample_notice(), team_leader="陈思远"))


def test_reversed_period_and_empty_fields_are_all_reported():
    data = replace(
        sample_notice(), period_start=date(2025, 5, 16), period_end=date(2025, 5, 6), items=()
    )
    with pytest.raises(UserError) as err:
        check_notice(data)
    assert "早于开始日" in str(err.value) and "没有检查事项" in str(err.value)


def test_roles():
    expert = NoticeInspector("陈思远", is_expert=True)
    assert role(expert, "陈思远") == "专家（非行政执法人员）"
    assert role(NoticeInspector("王建国", "1"), "王建国") == "组长"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (121, "一百二十一"),
    ],
)
def test_cn_number(n, expected):
    assert cn_number(n) == expected


def test_every_text_field_names_items_by_position():
    labels = [label for label, _ in every_text_field(sample_notice())]
    assert "第3项检查内容" in labels and "被检查单位名称" in labels
