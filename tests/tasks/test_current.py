"""Which task a note or photo without a task goes to: the domain's rule, without the bot."""

from __future__ import annotations

import pytest

from domain.rules.access import SYSTEM
from domain.tasks.current import Current, NoCurrentTask, current_task, evidence_task
from tests.kit.factories import another_task, recuse, set_state, world


async def refusal(rule, actor, chosen) -> NoCurrentTask:
    with pytest.raises(NoCurrentTask) as caught:
        await rule(actor, chosen)
    return caught.value


# -- current_task ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [current_task, evidence_task])
async def test_a_chosen_open_task_is_kept(db, rule):
    w = await world("accepted")
    other = await another_task(w, 2)
    assert await rule(w.actor(w.leader), other.id) == Current(other.id, remember=False)


@pytest.mark.parametrize("rule", [current_task, evidence_task])
async def test_a_single_open_task_without_a_choice_is_taken_and_remembered(db, rule):
    w = await world("on_site")
    assert await rule(w.actor(w.leader), None) == Current(w.task.id, remember=True)


@pytest.mark.parametrize("rule", [current_task, evidence_task])
async def test_several_open_tasks_without_a_choice_ask_for_one(db, rule):
    w = await world("accepted")
    await another_task(w, 2)
    refused = await refusal(rule, w.actor(w.leader), None)
    assert (refused.reason, refused.forget) == ("choose_task", False)


@pytest.mark.parametrize("rule", [current_task, evidence_task])
async def test_no_task_at_all(db, rule):
    w = await world("accepted")
    refused = await refusal(rule, w.actor(w.outsider), None)
    assert (refused.reason, refused.forget) == ("no_tasks", False)
    assert (await refusal(rule, w.actor(w.coordinator), None)).reason == "no_tasks"
    assert (await refusal(rule, SYSTEM, None)).reason == "no_tasks"


@pytest.mark.parametrize("rule", [current_task, evidence_task])
async def test_a_choice_left_by_recusal_is_refused_once_and_forgotten(db, rule):
    w = await world("accepted")
    other = await another_task(w, 2)
    await recuse(w, other)
    refused = await refusal(rule, w.actor(w.leader), other.id)
    assert (refused.reason, refused.forget) == ("current_gone", True)
    # Forgotten, the single open task left is taken, not the one chosen before.
    assert await rule(w.actor(w.leader), None) == Current(w.task.id, remember=True)


@pytest.mark.parametrize("rule", [current_task, evidence_task])
async def test_a_choice_of_somebody_elses_task_is_refused(db, rule):
    w = await world("accepted")
    refused = await refusal(rule, w.actor(w.outsider), w.task.id)
    assert (refused.reason, refused.forget) == ("current_gone", True)


async def test_a_chosen_task_that_closed_is_no_longer_current(db):
    w = await world("accepted")
    other = await another_task(w, 2)
    await set_state(other, "report_submitted")
    refused = await refusal(current_task, w.actor(w.leader), other.id)
    assert (refused.reason, refused.forget) == ("current_gone", True)


# -- evidence_task: where it differs ---------------------------------------------------------


async def test_evidence_stays_on_a_chosen_task_that_closed(db):
    """So the evidence service refuses it, naming the state, rather than it landing on the
    other open task."""
    w = await world("on_site")
    other = await another_task(w, 2, "on_site")
    await set_state(other, "report_submitted")
    assert await evidence_task(w.actor(w.leader), other.id) == Current(other.id, remember=False)


async def test_without_open_tasks_or_a_choice_evidence_goes_to_the_latest_changed(db):
    w = await world("accepted")
    second = await another_task(w, 2)
    third = await another_task(w, 3)
    await set_state(third, "approved")
    await set_state(second, "report_submitted")  # changed last
    await set_state(w.task, "cancelled")
    await set_state(second, "approved")
    assert await evidence_task(w.actor(w.leader), None) == Current(second.id, remember=False)
    # current_task does not: there is nothing to choose.
    assert (await refusal(current_task, w.actor(w.leader), None)).reason == "no_tasks"


async def test_a_recused_task_is_never_the_latest(db):
    w = await world("approved")
    other = await another_task(w, 2, "approved")
    await recuse(w, other)
    await set_state(other, "published")
    assert await evidence_task(w.actor(w.leader), None) == Current(w.task.id, remember=False)
    await recuse(w, w.task)
    refused = await refusal(evidence_task, w.actor(w.leader), None)
    assert (refused.reason, refused.forget) == ("no_tasks", False)
