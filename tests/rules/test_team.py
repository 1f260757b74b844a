"""Team acceptance and report signatures: at least two officers, experts never count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.rules.lifecycle import TransitionRefused, apply
from domain.rules.team_duties import (
    Member,
    MemberRole,
    MemberStatus,
    Signature,
    acceptance_problems,
    all_accepted,
    awaiting_acceptance,
    is_fully_signed,
    signing_problems,
    unsigned_members,
)
from tests.kit.lifecycle import valid_report

K, S = MemberRole, MemberStatus


def test_two_accepted_officers_make_the_team_ready_pending_expert_or_not():
    team = [Member(1, K.LEADER, S.ACCEPTED), Member(2, K.MEMBER, S.ACCEPTED),
            Member(3, K.EXPERT, S.ASSIGNED)]  # fmt: skip
    assert all_accepted(team)


def test_one_officer_and_an_expert_are_not_a_team():
    team = [Member(1, K.LEADER, S.ACCEPTED), Member(3, K.EXPERT, S.ACCEPTED)]
    assert not all_accepted(team)
    assert "至少需要 2 名" in acceptance_problems(team)[0]


def test_a_pending_officer_blocks_and_is_named():
    team = [Member(1, K.LEADER, S.ACCEPTED), Member(2, K.MEMBER, S.ASSIGNED, "李四")]
    assert not all_accepted(team)
    assert awaiting_acceptance(team) == [team[1]]
    assert "尚未接受任务：李四" in acceptance_problems(team)


def test_a_recused_member_no_longer_counts_and_the_replacement_must_accept():
    team = [Member(1, K.LEADER, S.ACCEPTED), Member(2, K.MEMBER, S.RECUSED, "张三")]
    team.append(Member(4, K.MEMBER, S.ASSIGNED, "钱五"))
    assert acceptance_problems(team) == ["尚未接受任务：钱五"]
    team[2] = Member(4, K.MEMBER, S.ACCEPTED, "钱五")
    assert all_accepted(team)


def test_team_accepted_transition_uses_the_bookkeeping():
    team = [Member(1, K.LEADER, S.ACCEPTED), Member(2, K.MEMBER, S.ASSIGNED)]
    with pytest.raises(TransitionRefused, match="尚未接受任务：2"):
        apply("notified", "team_accepted", "system", {"members": team})
    team[1] = Member(2, K.MEMBER, S.ACCEPTED)
    assert apply("notified", "team_accepted", "system", {"members": team}) == "accepted"


OFFICERS_AND_EXPERT = [Member(1, K.LEADER, S.ACCEPTED, "王"), Member(2, K.MEMBER, S.ACCEPTED, "李"),
                       Member(3, K.EXPERT, S.ACCEPTED, "赵")]  # fmt: skip


def test_two_officer_signatures_suffice_without_the_expert():
    assert is_fully_signed(OFFICERS_AND_EXPERT, [Signature(1), Signature(2)])
    assert [m.id for m in unsigned_members(OFFICERS_AND_EXPERT, [Signature(1), Signature(2)])] == [
        3
    ]


def test_one_officer_and_one_expert_signature_is_not_enough():
    team = [Member(1, K.LEADER, S.ACCEPTED), Member(3, K.EXPERT, S.ACCEPTED)]
    sigs = [Signature(1), Signature(3)]
    assert not is_fully_signed(team, sigs)
    assert any("专家签名不计入" in p for p in signing_problems(team, sigs))
    ctx = {"members": team, "signatures": sigs, "report": valid_report()}
    with pytest.raises(TransitionRefused, match="只有 1 名执法人员签名"):
        apply("report_drafted", "submit_report", "leader", ctx)
    ctx["members"] = [*team, Member(2, K.MEMBER, S.ACCEPTED)]
    ctx["signatures"] = [*sigs, Signature(2)]
    assert apply("report_drafted", "submit_report", "leader", ctx) == "report_submitted"


def test_every_current_officer_must_sign():
    team = [*OFFICERS_AND_EXPERT, Member(4, K.MEMBER, S.ACCEPTED, "孙")]
    assert not is_fully_signed(team, [Signature(1), Signature(2), Signature(3)])
    assert signing_problems(team, [Signature(1), Signature(2)]) == ["尚未签名的执法人员：孙"]


def test_a_replaced_officers_signature_does_not_count():
    team = [Member(1, K.LEADER, S.ACCEPTED), Member(2, K.MEMBER, S.RECUSED),
            Member(4, K.MEMBER, S.ACCEPTED)]  # fmt: skip
    assert not is_fully_signed(team, [Signature(1), Signature(2)])
    assert is_fully_signed(team, [Signature(1), Signature(4)])


def test_signatures_of_an_earlier_revision_are_stale():
    sigs = [Signature(1, "r1"), Signature(2, "r1"), Signature(1, "r2")]
    assert is_fully_signed(OFFICERS_AND_EXPERT, sigs, "r1")
    assert not is_fully_signed(OFFICERS_AND_EXPERT, sigs, "r2")


def test_a_signature_from_outside_the_team_is_ignored():
    assert not is_fully_signed(OFFICERS_AND_EXPERT, [Signature(1), Signature(99)])


teams = st.lists(
    st.builds(
        Member,
        id=st.integers(0, 30),
        role=st.sampled_from(list(MemberRole)),
        status=st.sampled_from([S.ACCEPTED, S.RECUSED]),
    ),
    unique_by=lambda m: m.id,
    max_size=8,
)


@given(teams, st.sets(st.integers(0, 30)))
def test_fully_signed_means_all_current_officers_and_at_least_two(team, signed_ids):
    sigs = [Signature(i) for i in signed_ids]
    officers = {m.id for m in team if m.role != K.EXPERT and m.status != S.RECUSED}
    expected = officers <= signed_ids and len(officers) >= 2
    assert is_fully_signed(team, sigs) == expected
    experts = {m.id for m in team if m.role == K.EXPERT}
    # An expert's signature never changes the outcome.
    assert is_fully_signed(team, [s for s in sigs if s.member_id not in experts]) == expected
