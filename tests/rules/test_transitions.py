"""Every transition from every state by every role: the right state, or a refusal that names the
current state and the next possible steps."""

from __future__ import annotations

import itertools
from collections import deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import UserError
from domain.rules.lifecycle import (
    APPROVAL_STATUS,
    FINAL_STATES,
    REQUIREMENTS,
    TRANSITIONS,
    Role,
    TaskState,
    TransitionRefused,
    allowed,
    apply,
    is_final,
    next_steps,
)
from tests.kit.lifecycle import good_context

ALL_BUT_FINAL = {
    "drawn", "notified", "accepted", "on_site", "report_drafted", "report_submitted",
    "returned", "rejected", "could_not_inspect", "approved",
}  # fmt: skip
TEAM = {"inspector", "leader"}
# The intended machine, written out independently of the table under test:
# name -> (from states, to state, roles, requirements)
EXPECTED = {
    "notify": ({"drawn"}, "notified", {"system", "coordinator"}, set()),
    "accept": ({"notified"}, "notified", TEAM, set()),
    "declare_conflict": ({"notified", "accepted"}, "notified", TEAM, {"reason"}),
    "replace_member": ({"notified", "accepted"}, "notified", {"system", "coordinator"},
                       {"reason"}),
    "team_accepted": ({"notified"}, "accepted", {"system"}, {"team_accepted"}),
    "check_in": ({"accepted"}, "on_site", TEAM, set()),
    "start_report": ({"on_site"}, "report_drafted", TEAM, set()),
    "sign_report": ({"report_drafted"}, "report_drafted", TEAM, set()),
    "submit_report": ({"report_drafted"}, "report_submitted", TEAM,
                      {"fully_signed", "report_valid"}),
    "approve": ({"report_submitted", "could_not_inspect"}, "approved", {"coordinator"}, set()),
    "return": ({"report_submitted"}, "returned", {"coordinator"}, {"comments"}),
    "reject": ({"report_submitted", "could_not_inspect"}, "rejected", {"coordinator"},
               {"comments"}),
    "revise_report": ({"returned"}, "report_drafted", TEAM, set()),
    "reopen": ({"rejected"}, "notified", {"coordinator"}, {"reason"}),
    "declare_could_not_inspect": ({"drawn", "notified", "accepted", "on_site"},
                                  "could_not_inspect", {"leader", "coordinator"},
                                  {"reason", "categories"}),
    "publish": ({"approved"}, "published", {"system", "coordinator"}, set()),
    "cancel": (ALL_BUT_FINAL, "cancelled", {"coordinator"}, {"reason"}),
}  # fmt: skip

CASES = list(itertools.product(TaskState, EXPECTED, Role))


def test_the_table_is_the_intended_machine():
    assert set(TRANSITIONS) == set(EXPECTED)
    for name, (sources, target, roles, requires) in EXPECTED.items():
        t = TRANSITIONS[name]
        assert {s.value for s in t.from_states} == sources, name
        assert t.to_state.value == target, name
        assert {r.value for r in t.roles} == roles, name
        assert set(t.requires) == requires, name
        assert set(t.requires) <= set(REQUIREMENTS)


def assert_names_state_and_next_steps(err: TransitionRefused, state: TaskState) -> None:
    text = str(err)
    assert f"任务当前状态为「{state.label_zh}」" in text
    assert f"The task is {state.label_en}" in text
    assert err.state is state
    steps = next_steps(state)
    assert err.next_steps == steps
    if steps:
        for name in steps:
            assert TRANSITIONS[name].label_zh in text.split("下一步可以：")[1]
            assert TRANSITIONS[name].label_en in text.split("next steps:")[1]
    else:
        assert "下一步可以：无（任务已结束）" in text


@pytest.mark.parametrize(("state", "name", "role"), CASES)
def test_every_transition_from_every_state_by_every_role(state, name, role):
    sources, target, roles, _ = EXPECTED[name]
    if state.value in sources and role.value in roles:
        assert apply(state, name, role, good_context()) is TaskState(target)
        assert apply(state.value, name, role.value, good_context()) == target
        assert name in allowed(state, role)
        return
    with pytest.raises(TransitionRefused) as caught:
        apply(state, name, role, good_context())
    assert isinstance(caught.value, UserError)
    assert_names_state_and_next_steps(caught.value, state)
    assert TRANSITIONS[name].label_zh in str(caught.value).split("；下一步可以")[0]
    assert name not in allowed(state, role)
    if state.value not in sources:
        assert f"不能执行「{TRANSITIONS[name].label_zh}」" in str(caught.value)
    else:
        assert "只能由" in str(caught.value)


REQUIRED = [(n, r) for n, (_, _, _, reqs) in EXPECTED.items() for r in sorted(reqs)]


@pytest.mark.parametrize(("name", "requirement"), REQUIRED)
@pytest.mark.parametrize("missing", ["absent", "blank"])
def test_each_requirement_is_enforced(name, requirement, missing):
    sources, _, roles, _ = EXPECTED[name]
    state, role = TaskState(sorted(sources)[0]), Role(sorted(roles)[0])
    ctx = good_context()
    key = {"team_accepted": "members", "fully_signed": "signatures", "report_valid": "report"}
    key = key.get(requirement, requirement)
    if missing == "absent":
        del ctx[key]
    else:
        ctx[key] = "   " if isinstance(ctx[key], str) else []
    with pytest.raises(TransitionRefused) as caught:
        apply(state, name, role, ctx)
    assert REQUIREMENTS[requirement].label_zh in str(caught.value)
    assert_names_state_and_next_steps(caught.value, state)


def test_the_example_message_of_the_brief():
    with pytest.raises(TransitionRefused) as caught:
        apply("report_submitted", "check_in", "inspector")
    first_line = str(caught.value).splitlines()[0]
    assert first_line.startswith("任务当前状态为「已提交报告」，不能执行「签到」；下一步可以：")
    assert "批准（协调员）、退回（协调员）、驳回（协调员）、撤销任务（协调员）" in first_line


def test_unknown_transition_and_role_are_refused_not_crashed():
    with pytest.raises(TransitionRefused) as caught:
        apply("on_site", "teleport", "inspector")
    assert "teleport" in str(caught.value)
    assert_names_state_and_next_steps(caught.value, TaskState.ON_SITE)
    with pytest.raises(TransitionRefused) as caught:
        apply("on_site", "start_report", "janitor")
    assert "janitor" in str(caught.value)
    assert allowed("on_site", "public") == []


def test_a_stored_state_that_does_not_exist_is_a_programming_error():
    with pytest.raises(ValueError):
        apply("lost", "cancel", "coordinator", {"reason": "x"})


def test_could_not_inspect_only_with_categories_6_to_12():
    ctx = good_context()
    for code in ["6", "7", "8", "9", "10", "11", "12"]:
        ctx["categories"] = [code]
        assert apply("on_site", "declare_could_not_inspect", "leader", ctx) == "could_not_inspect"
    for bad in (["1"], ["A"], ["F"], ["6", "1"], ["99"]):
        ctx["categories"] = bad
        with pytest.raises(TransitionRefused):
            apply("on_site", "declare_could_not_inspect", "leader", ctx)


def test_final_states_allow_nothing_and_every_other_may_be_cancelled():
    for state in TaskState:
        steps = next_steps(state)
        assert is_final(state) == (not steps)
        assert ("cancel" in steps) == (state not in FINAL_STATES)


def test_every_state_is_reachable_and_every_task_can_finish():
    graph = {s: {TRANSITIONS[n].to_state for n in next_steps(s)} for s in TaskState}

    def reachable(start):
        seen, todo = {start}, deque([start])
        while todo:
            for nxt in graph[todo.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    assert reachable(TaskState.DRAWN) == set(TaskState)
    for state in TaskState:
        assert TaskState.PUBLISHED in reachable(state) or state is TaskState.CANCELLED
    # Publication is only ever reached through a coordinator's approval.
    into_published = {n for n, t in TRANSITIONS.items() if t.to_state is TaskState.PUBLISHED}
    assert all(TRANSITIONS[n].from_states == {TaskState.APPROVED} for n in into_published)


def test_approval_status_follows_the_domain_flow():
    assert APPROVAL_STATUS[TaskState.REPORT_DRAFTED] == "未录入"
    assert APPROVAL_STATUS[TaskState.REPORT_SUBMITTED] == "待审核"
    assert APPROVAL_STATUS[TaskState.COULD_NOT_INSPECT] == "待审核"
    assert APPROVAL_STATUS[TaskState.RETURNED] == "已退回"
    assert APPROVAL_STATUS[TaskState.REJECTED] == "已驳回"
    assert APPROVAL_STATUS[TaskState.PUBLISHED] == "已公示"


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(list(TRANSITIONS)), st.sampled_from(list(Role)))))
def test_random_walks_agree_with_allowed(steps):
    """apply succeeds exactly when allowed() offers the transition (context satisfied)."""
    state = TaskState.DRAWN
    for name, role in steps:
        offered = name in allowed(state, role)
        try:
            new = apply(state, name, role, good_context())
        except TransitionRefused as err:
            assert not offered
            assert err.state is state
            continue
        assert offered
        assert not is_final(state)
        state = new


# A walk draws up to 40 steps one at a time: on a loaded machine that is slow to generate,
# which says nothing about the lifecycle.
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_walks_through_offered_steps_stay_in_the_machine(data):
    state, taken = TaskState.DRAWN, 0
    while not is_final(state) and taken < 40:
        role = data.draw(st.sampled_from(list(Role)))
        options = allowed(state, role)
        if not options:
            continue
        name = data.draw(st.sampled_from(options))
        new = apply(state, name, role, good_context())
        assert new is TRANSITIONS[name].to_state
        assert role in TRANSITIONS[name].roles
        state, taken = new, taken + 1
    if is_final(state):
        for role in Role:
            assert allowed(state, role) == []
