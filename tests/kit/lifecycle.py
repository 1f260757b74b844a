"""Values that satisfy every requirement of the lifecycle, shared by the lifecycle tests."""

from __future__ import annotations

import datetime as dt

from domain.rules.report import Report
from domain.rules.team_duties import Member, MemberRole, MemberStatus, Signature

TEAM = [
    Member(1, MemberRole.LEADER, MemberStatus.ACCEPTED, "王组长"),
    Member(2, MemberRole.MEMBER, MemberStatus.ACCEPTED, "李执法"),
    Member(3, MemberRole.EXPERT, MemberStatus.ASSIGNED, "赵专家"),
]


def valid_report(**changes) -> Report:
    base = Report(
        started_at=dt.datetime(2025, 6, 3, 9, 30),
        ended_at=dt.datetime(2025, 6, 3, 11, 0),
        content="人防工程平时使用情况",
        methods=["实地检查", "书面检查"],
        steps="出示执法证件和行政检查通知书，查看现场，查阅资料，询问负责人",
        findings="防护密闭门未按规定维护",
        evaluation="基本遵守人防法规，维护管理不到位",
        handling_opinion="责令限期整改",
        result_categories=["A"],
        follow_up_action="order_correction",
        follow_up_state="open",
        correction_items="修复防护密闭门",
        correction_deadline=dt.date(2025, 7, 3),
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def good_context() -> dict:
    return {
        "reason": "企业已注销",
        "comments": "请补充现场照片",
        "categories": ["7"],
        "members": TEAM,
        "signatures": [Signature(1), Signature(2)],
        "report": valid_report(),
    }
