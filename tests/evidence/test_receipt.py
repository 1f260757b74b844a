"""What a photo's sender is told: its hash, when and where it says it was taken (in the office's
time zone), its anomalies; and that a photo already on the task is there already, kept once."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from domain.audit import log as audit
from domain.errors import UserError
from domain.evidence import PhotoRejected, PhotoStore
from domain.evidence.rejections import NoteRefused
from domain.evidence.service import add_note, add_photo
from domain.storage.models import Evidence
from tests.kit.evidence_samples import LAT, LON, camera_jpeg, small_jpeg
from tests.kit.factories import world

CHECKIN = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_the_receipt_gives_time_and_place_read_from_the_photo(db, tmp_path):
    w = await world("on_site", CHECKIN)
    store = PhotoStore(tmp_path / "s")
    # Taken at 02:30 UTC by a phone set to UTC: 10:30 at the office.
    data = camera_jpeg((320, 240), taken=b"2026:11:20 02:30:00", offset=b"+00:00")
    added = await add_photo(w.actor(w.leader), w.task.id, data, store=store, idempotency_key="p")
    receipt = added.receipt
    assert receipt.evidence_id == added.evidence.id and receipt.already_there is None
    assert receipt.sha256 == added.evidence.photo_sha256
    assert receipt.taken_at == dt.datetime(2026, 11, 20, 10, 30, tzinfo=SHANGHAI)
    assert receipt.taken_at.utcoffset() == dt.timedelta(hours=8)
    assert receipt.taken_at_tz_assumed is False and receipt.zone == "Asia/Shanghai"
    assert receipt.position is not None
    assert receipt.position.lat == pytest.approx(LAT, abs=1e-6)
    assert receipt.position.lon == pytest.approx(LON, abs=1e-6)
    assert receipt.anomalies == added.evidence.anomalies  # far from the target: flagged
    shown = receipt.as_dict()
    assert shown["taken_at"] == "2026-11-20T10:30:00+08:00"
    assert shown["position"]["lat"] == pytest.approx(LAT, abs=1e-6)
    assert shown["already_there"] is None
    # A retried upload (same key) gets the same receipt.
    again = await add_photo(w.actor(w.leader), w.task.id, data, store=store, idempotency_key="p")
    assert again.receipt == receipt and again.stored is None


async def test_a_photo_without_exif_says_none_was_found(db, tmp_path):
    w = await world("on_site", CHECKIN)
    plain = camera_jpeg((320, 240), taken=None, lat=None, lon=None)
    added = await add_photo(
        w.actor(w.leader), w.task.id, plain, store=PhotoStore(tmp_path), idempotency_key="p"
    )
    receipt = added.receipt
    assert receipt.taken_at is None and receipt.position is None
    assert [a["code"] for a in receipt.anomalies] == ["no_capture_metadata"]
    assert receipt.as_dict()["taken_at"] is None and receipt.as_dict()["position"] is None


async def test_the_same_photo_on_a_task_is_recorded_once(db, tmp_path):
    w = await world("on_site", CHECKIN)
    store = PhotoStore(tmp_path / "s")
    data = small_jpeg("2026:11:20 10:30:00", 33.75, 113.31)
    leader, member = w.actor(w.leader), w.actor(w.member)
    first = await add_photo(leader, w.task.id, data, store=store, idempotency_key="a")
    own = await add_photo(leader, w.task.id, data, store=store, idempotency_key="b")
    mate = await add_photo(member, w.task.id, data, store=store, idempotency_key="c")
    assert await Evidence.filter(task_id=w.task.id).count() == 1
    for repeat in (own, mate):
        assert repeat.stored is None and repeat.evidence.id == first.evidence.id
        assert repeat.evidence.task.number == w.task.number
        earlier = repeat.receipt.already_there
        assert earlier is not None and earlier.evidence_id == first.evidence.id
        assert earlier.received_at == first.evidence.received_at
        assert earlier.received_at.utcoffset() == dt.timedelta(hours=8)  # office time
        assert earlier.by_id == w.leader.id and earlier.by_name == w.leader.name
    assert own.receipt.already_there.by_sender is True
    assert mate.receipt.already_there.by_sender is False
    assert mate.receipt.as_dict()["already_there"]["by"]["name"] == w.leader.name
    # Each attempt is in the record, the photo once.
    entries = await audit.list_entries(object_kind="task", object_id=w.task.number)
    actions = [(e.actor, e.action) for e in entries if e.action.startswith("evidence.")]
    assert actions == [
        (leader.label, "evidence.photo"),
        (leader.label, "evidence.photo_again"),
        (member.label, "evidence.photo_again"),
    ]
    # Other bytes are another photo.
    other = small_jpeg("2026:11:20 10:31:00", 33.75, 113.31)
    await add_photo(member, w.task.id, other, store=store, idempotency_key="d")
    assert await Evidence.filter(task_id=w.task.id).count() == 2


async def test_the_same_photo_sent_twice_at_once_is_recorded_once(db, tmp_path):
    w = await world("on_site", CHECKIN)
    store = PhotoStore(tmp_path / "s")
    data = small_jpeg("2026:11:20 10:30:00", 33.75, 113.31)
    both = await asyncio.gather(
        add_photo(w.actor(w.leader), w.task.id, data, store=store, idempotency_key="a"),
        add_photo(w.actor(w.member), w.task.id, data, store=store, idempotency_key="b"),
    )
    assert await Evidence.filter(task_id=w.task.id).count() == 1
    assert sorted(added.receipt.already_there is None for added in both) == [False, True]
    assert {added.evidence.id for added in both} == {(await Evidence.get()).id}


async def test_an_empty_upload_is_refused_as_empty(db, tmp_path):
    w = await world("on_site", CHECKIN)
    with pytest.raises(PhotoRejected) as caught:
        await add_photo(
            w.actor(w.leader),
            w.task.id,
            b"",
            store=PhotoStore(tmp_path / "s"),
            idempotency_key="p",
            file_name="IMG_0009.jpg",
        )
    assert caught.value.code == "empty" and "IMG_0009.jpg" in caught.value.message("en")
    assert await Evidence.all().count() == 0
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").rglob("*"))


@pytest.mark.parametrize(
    ("kind", "text", "source", "code"),
    [
        ("document", "租赁合同复印件", "", "document_without_source"),
        ("note", "   ", "", "empty_note"),
        ("photo", "x", "", "photo_as_note"),
    ],
)
async def test_a_refused_note_names_its_reason_by_code(db, kind, text, source, code):
    w = await world("on_site", CHECKIN)
    with pytest.raises(NoteRefused) as caught:
        await add_note(w.actor(w.leader), w.task.id, kind, text, idempotency_key="n")
    error = caught.value
    assert error.code == code and isinstance(error, UserError)
    assert str(error) == error.message("zh") != error.message("en")
    assert await Evidence.all().count() == 0
