"""Notes and photos on a task: only the team, only during the visit, each landing once."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.audit import log as audit
from domain.errors import PermissionDenied, UserError
from domain.evidence import PhotoRejected, PhotoStore
from domain.evidence.service import EvidenceClosed, add_note, add_photo, list_evidence
from domain.storage.models import Evidence
from tests.kit.evidence_samples import small_jpeg
from tests.kit.factories import world

CHECKIN = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


async def test_team_member_adds_a_note_once_per_key(db):
    w = await world("on_site", CHECKIN)
    actor = w.actor(w.leader)
    first = await add_note(actor, w.task.id, "problem", "消防通道堵塞", idempotency_key="k1")
    again = await add_note(actor, w.task.id, "problem", "消防通道堵塞", idempotency_key="k1")
    assert first.id == again.id
    assert await Evidence.filter(task_id=w.task.id).count() == 1
    entries = await audit.list_entries(object_kind="task", object_id=w.task.number)
    assert [e.action for e in entries].count("evidence.note") == 1


async def test_outsider_and_wrong_state_are_refused(db):
    w = await world("accepted")
    with pytest.raises(PermissionDenied):
        await add_note(w.actor(w.outsider), w.task.id, "note", "x", idempotency_key="k")
    with pytest.raises(UserError, match="签到后"):
        await add_note(w.actor(w.member), w.task.id, "note", "x", idempotency_key="k")
    assert await Evidence.all().count() == 0


@pytest.mark.parametrize(
    ("state", "zh", "en"),
    [
        ("report_submitted", "「已提交报告」", "report submitted"),
        ("approved", "「已审核通过」", "approved"),
        ("cancelled", "「已撤销」", "cancelled"),
    ],
)
async def test_a_closed_task_names_its_state_and_stores_nothing(db, tmp_path, state, zh, en):
    w = await world(state, CHECKIN)
    store = PhotoStore(tmp_path / "s")
    with pytest.raises(EvidenceClosed) as note:
        await add_note(w.actor(w.member), w.task.id, "note", "补拍", idempotency_key="n")
    with pytest.raises(EvidenceClosed) as photo:
        await add_photo(
            w.actor(w.member),
            w.task.id,
            small_jpeg("2026:11:20 10:30:00", 33.75, 113.31),
            store=store,
            idempotency_key="p",
        )
    for error in (note.value, photo.value):
        assert error.state == state
        assert zh in error.message("zh") and "不再接收" in error.message("zh")
        assert en in error.message("en") and "Nothing was saved" in error.message("en")
        assert str(error) == f"{error.message('zh')}\n{error.message('en')}"
    assert await Evidence.all().count() == 0
    assert not any(p.is_file() for p in (tmp_path / "s").rglob("*"))


async def test_document_needs_its_source(db):
    w = await world("on_site", CHECKIN)
    with pytest.raises(UserError, match="来源"):
        await add_note(w.actor(w.leader), w.task.id, "document", "租赁合同", idempotency_key="d")


async def test_photo_on_site_has_no_anomaly_and_a_far_late_one_has(db, tmp_path):
    w = await world("on_site", CHECKIN)
    store = PhotoStore(tmp_path / "store")
    good = small_jpeg("2026:11:20 10:30:00", 33.75, 113.31)
    added = await add_photo(
        w.actor(w.leader), w.task.id, good, store=store, idempotency_key="p1", file_name="a.jpg"
    )
    evidence = added.evidence
    assert evidence.anomalies == [] and added.stored is not None
    assert evidence.photo["camera"] == "Huawei P60"
    assert store.read(evidence.photo_sha256) == good
    bad = small_jpeg("2026:11:19 09:00:00", 33.95, 113.31)
    evidence = (
        await add_photo(w.actor(w.member), w.task.id, bad, store=store, idempotency_key="p2")
    ).evidence
    assert {a["code"] for a in evidence.anomalies} == {"time_outside_visit", "far_from_target"}


async def test_refused_photo_records_nothing(db, tmp_path):
    w = await world("on_site", CHECKIN)
    with pytest.raises(PhotoRejected):
        await add_photo(
            w.actor(w.leader),
            w.task.id,
            b"not an image at all",
            store=PhotoStore(tmp_path / "s"),
            idempotency_key="p",
            file_name="fake.jpg",
        )
    assert await Evidence.all().count() == 0


async def test_coordinator_reads_evidence_and_the_view_is_audited(db):
    w = await world("on_site", CHECKIN)
    await add_note(w.actor(w.leader), w.task.id, "condition", "现场整洁", idempotency_key="c")
    notes = await list_evidence(w.actor(w.coordinator), w.task.id)
    assert [n.text for n in notes] == ["现场整洁"]
    views = [e for e in await audit.list_entries() if e.action == "sealed.view"]
    assert any(e.actor == f"coordinator:{w.coordinator.id}" for e in views)


async def test_evidence_is_one_audit_entry_and_comes_with_its_task(db, tmp_path):
    """The evidence's own entry names the actor and the task: the member's access check on
    their own task writes no view entry beside it."""
    w = await world("on_site", CHECKIN)
    store = PhotoStore(tmp_path / "s")
    added = await add_photo(
        w.actor(w.leader),
        w.task.id,
        small_jpeg("2026:11:20 10:30:00", 33.75, 113.31),
        store=store,
        idempotency_key="p",
    )
    photo = added.evidence
    note = await add_note(w.actor(w.member), w.task.id, "note", "照明正常", idempotency_key="n")
    entries = await audit.list_entries()
    assert [(e.action, e.object_id) for e in entries] == [
        ("evidence.photo", w.task.number),
        ("evidence.note", w.task.number),
    ]
    assert photo.task.target.name == note.task.target.name == w.target.name
    again = await add_note(w.actor(w.member), w.task.id, "note", "照明正常", idempotency_key="n")
    assert again.id == note.id and again.task.number == w.task.number
    assert len(await audit.list_entries()) == 2
