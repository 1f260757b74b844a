"""Loading several tasks at once: few queries, the access rule for each, one audit entry."""

from __future__ import annotations

import json
import logging

import pytest

from domain.audit import log as audit
from domain.errors import PermissionDenied
from domain.rules.access import SYSTEM, Actor, Role
from domain.storage.models import AuditEntry, Campaign
from domain.tasks.current import open_tasks
from domain.tasks.views import campaign_tasks, load_task, load_tasks, view_sealed_campaign
from tests.kit.factories import another_task, recuse, world


async def views_written() -> list[AuditEntry]:
    return list(await AuditEntry.filter(action="sealed.view").order_by("seq"))


def queries_of(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.name == "tortoise.db_client")


async def test_n_sealed_tasks_are_one_entry_naming_them(db):
    w = await world("accepted")
    others = [await another_task(w, n) for n in (2, 3, 4)]
    coordinator = w.actor(w.coordinator)
    ids = [w.task.id] + [t.id for t in others]
    views = await load_tasks(coordinator, reversed(ids), purpose="check")
    assert [v.task.id for v in views] == ids  # in id order
    assert all(v.task.target.name and v.campaign.department.path for v in views)
    [entry] = await views_written()
    assert (entry.actor, entry.object_kind, entry.object_id) == (
        coordinator.label,
        "campaign",
        w.campaign.code,
    )
    numbers = [w.task.number] + [t.number for t in others]
    assert json.loads(entry.data) == {"purpose": "check", "tasks": numbers}
    assert (await audit.verify_chain()).ok


async def test_the_queries_do_not_grow_with_the_tasks(db, caplog):
    w = await world("accepted")
    coordinator = w.actor(w.coordinator)
    await audit.record("test", "start", "test", 0)  # the chain's first entry takes more
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    await load_tasks(coordinator, [w.task.id], purpose="one")
    one = queries_of(caplog)
    others = [await another_task(w, n) for n in range(2, 12)]
    caplog.clear()
    views = await load_tasks(coordinator, [w.task.id] + [t.id for t in others], purpose="many")
    assert len(views) == 11 and queries_of(caplog) == one
    assert all(len(v.members) == (2 if v.task.id == w.task.id else 1) for v in views)


async def test_a_single_task_is_written_as_before(db):
    w = await world("accepted")
    await load_tasks(w.actor(w.leader), [w.task.id], purpose="list")
    await load_task(w.actor(w.member), w.task.id, purpose="current")
    entries = await views_written()
    assert [(e.actor, e.object_kind, e.object_id, json.loads(e.data)) for e in entries] == [
        (w.actor(w.leader).label, "task", w.task.number, {"purpose": "list"}),
        (w.actor(w.member).label, "task", w.task.number, {"purpose": "current"}),
    ]


async def test_published_tasks_and_the_system_write_nothing(db):
    w = await world("approved")
    other = await another_task(w, 2, "approved")
    await load_tasks(SYSTEM, [w.task.id, other.id], purpose="internal")
    await Campaign.filter(id=w.campaign.id).update(status="published")
    views = await load_tasks(w.actor(w.coordinator), [w.task.id, other.id], purpose="list")
    assert len(views) == 2 and await views_written() == []


async def test_tasks_refused_are_left_out_and_not_named(db):
    w = await world("accepted")
    other = await another_task(w, 2)  # the leader's; the member is not on its team
    member = w.actor(w.member)
    views = await load_tasks(member, [w.task.id, other.id, 999_999], purpose="list")
    assert [v.task.id for v in views] == [w.task.id]
    [entry] = await views_written()
    assert (entry.object_kind, entry.object_id) == ("task", w.task.number)
    # Nobody's tasks: nothing seen, nothing written.
    assert await load_tasks(w.actor(w.outsider), [w.task.id, other.id], purpose="list") == []
    stranger = Actor(Role.COORDINATOR, 99, department_path="/4000/")
    assert await load_tasks(stranger, [w.task.id, other.id], purpose="list") == []
    assert len(await views_written()) == 1


async def test_an_inspectors_open_tasks_are_one_view(db):
    w = await world("accepted")
    second = await another_task(w, 2)
    closed = await another_task(w, 3, "report_submitted")
    left = await another_task(w, 4)
    await recuse(w, left)
    leader = w.actor(w.leader)
    views = await open_tasks(leader, purpose="reminder")
    assert [v.task.id for v in views] == [w.task.id, second.id]  # due together: by number
    assert closed.id not in [v.task.id for v in views]
    only = await open_tasks(leader, task_id=second.id, purpose="reminder")
    assert [v.task.id for v in only] == [second.id]
    entries = await views_written()
    assert [(e.object_kind, json.loads(e.data)["purpose"]) for e in entries] == [
        ("campaign", "reminder"),
        ("task", "reminder"),
    ]


async def test_a_campaigns_tasks_for_its_coordinators_only(db):
    w = await world("accepted")
    await another_task(w, 2)
    campaign = await Campaign.get(id=w.campaign.id).prefetch_related("department")
    views = await campaign_tasks(w.actor(w.coordinator), campaign, purpose="task.list")
    assert len(views) == 2 and len(await views_written()) == 1
    county = Actor(Role.COORDINATOR, 98, department_path=w.county.path)
    with pytest.raises(PermissionDenied):
        await campaign_tasks(county, campaign, purpose="task.list")
    with pytest.raises(PermissionDenied):
        await campaign_tasks(w.actor(w.leader), campaign, purpose="task.list")
    assert len(await views_written()) == 1


async def test_a_sealed_campaigns_record_is_one_view_until_published(db):
    w = await world("accepted")
    campaign = await Campaign.get(id=w.campaign.id).prefetch_related("department")
    await view_sealed_campaign(SYSTEM, campaign, purpose="draw.record")
    with pytest.raises(PermissionDenied):
        await view_sealed_campaign(w.actor(w.leader), campaign, purpose="draw.record")
    [entry] = await views_written()
    assert (entry.actor, entry.object_kind, entry.object_id) == ("system", "campaign", "2026-RF-01")
    campaign.status = "published"
    await view_sealed_campaign(w.actor(w.coordinator), campaign, purpose="draw.record")
    assert len(await views_written()) == 1


@pytest.mark.parametrize("task_id", [2**31, 2**64 + 1, 0, -1])
async def test_an_id_no_column_can_hold_is_refused_like_another_task(db, task_id):
    w = await world("accepted")
    with pytest.raises(PermissionDenied):
        await load_task(w.actor(w.coordinator), task_id)
    assert await load_tasks(w.actor(w.coordinator), [task_id, w.task.id], "check") != []
    assert await views_written() != []  # the one real task only


async def test_lines_read_as_the_tasks_loaded_whole_and_are_one_view(db):
    """A list's plain rows say what the models say, under the same rule and entry."""
    from domain.tasks.lines import line_of, load_lines

    w = await world("accepted")
    other = await another_task(w, 2)  # the leader's; the member is not on its team
    for actor in (w.actor(w.leader), w.actor(w.member), w.actor(w.coordinator), SYSTEM):
        ids = [other.id, w.task.id, 999_999]
        whole = [line_of(v, actor) for v in await load_tasks(actor, ids, purpose="whole")]
        lines = await load_lines(actor, ids, purpose="lines")
        assert lines == whole and lines
        assert all(line.updated_at is not None and line.updated_at.tzinfo for line in lines)
    member_lines = await load_lines(w.actor(w.member), [w.task.id, other.id], purpose="lines")
    assert [(line.id, line.my_role) for line in member_lines] == [(w.task.id, "member")]
    assert await load_lines(w.actor(w.outsider), [w.task.id, other.id], purpose="lines") == []
    entries = [(e.actor, e.object_kind, json.loads(e.data)) for e in await views_written()]
    assert entries[:2] == [
        (
            w.actor(w.leader).label,
            "campaign",
            {"purpose": "whole", "tasks": [w.task.number, other.number]},
        ),
        (
            w.actor(w.leader).label,
            "campaign",
            {"purpose": "lines", "tasks": [w.task.number, other.number]},
        ),
    ]
    assert (await audit.verify_chain()).ok


def _fields(model) -> dict:
    return {name: getattr(model, name) for name in model._meta.fields_db_projection}


async def test_a_view_holds_what_the_orm_loads_and_saves_like_it(db):
    """The plain joined read (domain/storage/joined.py) gives the ORM's own instances: every
    field converted as the ORM converts it, the related ones followed without a query."""
    from domain.storage.models import Inspector, Task, TeamMember

    w = await world("accepted")
    await recuse(w, w.task)  # the recused leader is not on the view's team
    view = await load_task(w.actor(w.coordinator), w.task.id)
    orm = await Task.get(id=w.task.id).select_related("campaign__department", "target")
    assert _fields(view.task) == _fields(orm)
    assert _fields(view.campaign) == _fields(orm.campaign)
    assert _fields(view.campaign.department) == _fields(orm.campaign.department)
    assert _fields(view.task.target) == _fields(orm.target)
    members = await TeamMember.filter(task_id=w.task.id).exclude(status="recused").order_by("id")
    assert [_fields(m) for m in view.members] == [_fields(m) for m in members]
    inspectors = [await Inspector.get(id=m.inspector_id) for m in view.members]
    assert inspectors and [_fields(m.inspector) for m in view.members] == [
        _fields(i) for i in inspectors
    ]
    view.task.state_reason = "保存测试"
    await view.task.save(update_fields=["state_reason"])
    assert (await Task.get(id=w.task.id)).state_reason == "保存测试"
