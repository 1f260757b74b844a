"""POST /api/v1/tasks/{id}/evidence through a real server: photos streamed to disk, stored
byte for byte (EXIF kept) with their hash, capture facts and anomalies; bad files refused with
nothing stored; a retried upload stored once."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

import pytest

from domain.config import Settings
from domain.evidence import PhotoStore
from domain.storage.models import Evidence
from tests.kit import evidence_samples as samples
from tests.kit import factories
from tests.kit.field_api import Field, serving, token_for

pytestmark = pytest.mark.clock("2026-11-20 10:30")
CHECKIN = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 at the office
ON_SITE = {"taken": b"2026:11:20 10:05:00", "offset": b"+08:00", "lat": 33.7501, "lon": 113.3101}


@pytest.fixture
async def world(db):
    return await factories.world(state="on_site", checkin=CHECKIN)


@pytest.fixture
async def field(world, tmp_path):
    async with serving(Settings(data_dir=tmp_path)) as client:
        leader = world.actor(world.leader)
        yield Field(client, await token_for(world.actor(world.coordinator), leader))


def stored_files(tmp_path) -> list[str]:
    return sorted(
        str(p.relative_to(tmp_path))
        for folder in ("evidence", "uploads")
        for p in (tmp_path / folder).rglob("*")
        if p.is_file()
    )


async def test_a_camera_jpeg_is_stored_as_sent_with_its_facts(world, field, tmp_path):
    data = samples.camera_jpeg((800, 600), **ON_SITE)
    response = await field.upload(world.task.id, data, name="现场.jpg", caption="入口")
    assert response.status == 201, await response.text()
    receipt = await response.json()
    sha = hashlib.sha256(data).hexdigest()
    assert receipt["sha256"] == sha and receipt["hash_shown"] == sha[:12]
    photo = receipt["evidence"]["photo"]
    assert photo["format"] == "JPEG" and photo["bytes"] == len(data)
    assert photo["taken_at"].startswith("2026-11-20T10:05:00")
    assert photo["position"]["lat"] == pytest.approx(33.7501, abs=1e-4)
    assert photo["camera"] == "Huawei Mate 60 Pro"
    assert receipt["evidence"]["anomalies"] == []
    assert receipt["evidence"]["text"] == "入口" and receipt["evidence"]["channel"] == "api"
    assert receipt["task"]["number"] == world.task.number
    # The original is the uploaded bytes, EXIF included; the temp file is gone.
    assert PhotoStore(tmp_path / "evidence").read(sha) == data
    assert not list((tmp_path / "uploads").iterdir())
    row = await Evidence.get(photo_sha256=sha)
    assert row.file_name == "现场.jpg" and row.author_id == world.leader.id


async def test_anomalies_are_on_the_receipt(world, field):
    response = await field.upload(world.task.id, samples.camera_jpeg((640, 480)))
    assert response.status == 201, await response.text()
    codes = {a["code"] for a in (await response.json())["evidence"]["anomalies"]}
    assert codes == {"time_outside_visit", "far_from_target"}


async def test_a_png_is_stored(world, field, tmp_path):
    data = samples.encode(samples.picture((320, 240)), "PNG")
    response = await field.upload(world.task.id, data, name="plan.png", content_type="image/png")
    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["evidence"]["photo"]["format"] == "PNG"
    assert PhotoStore(tmp_path / "evidence").read(hashlib.sha256(data).hexdigest()) == data
    # No capture time or place in a PNG: the approver is told.
    assert [a["code"] for a in body["evidence"]["anomalies"]] == ["no_capture_metadata"]


BIG = 25 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "make", "status", "code"),
    [
        ("truncated.jpg", lambda: samples.camera_jpeg((800, 600))[:20_000], 422, "truncated"),
        ("notes.jpg", lambda: "现场情况：一切正常\n".encode() * 50, 422, "not_an_image"),
        ("bomb.png", lambda: samples.png_bomb(20_000, 20_000, header_only=True), 422,
         "too_many_pixels"),
        ("huge.jpg", lambda: b"\xff\xd8\xff\xe0" + b"\0" * BIG, 413, "too_large"),
    ],
)  # fmt: skip
async def test_bad_files_are_refused_and_nothing_is_stored(
    world, field, tmp_path, name, make, status, code
):
    response = await field.upload(world.task.id, make(), name=name, key=f"bad-{code}")
    assert response.status == status, await response.text()
    problem = await response.json()
    assert problem["code"] == code and name in problem["detail"]
    assert await Evidence.all().count() == 0
    assert stored_files(tmp_path) == []


async def test_a_retried_upload_is_stored_once(world, field):
    data = samples.small_jpeg("2026:11:20 10:06:00", 33.75, 113.31)
    first = await field.upload(world.task.id, data, key="photo-1")
    again = await field.upload(world.task.id, data, key="photo-1")
    assert first.status == again.status == 201
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await again.json() == await first.json()
    assert await Evidence.all().count() == 1
    other = samples.small_jpeg("2026:11:20 10:07:00", 33.75, 113.31)
    reused = await field.upload(world.task.id, other, key="photo-1")
    assert reused.status == 422
    assert "Idempotency-Key" in (await reused.json())["detail"]
    assert await Evidence.all().count() == 1


async def test_the_kept_answer_survives_a_restart(world, field, tmp_path):
    data = samples.small_jpeg("2026:11:20 10:06:00", 33.75, 113.31)
    first = await (await field.upload(world.task.id, data, key="before-restart")).json()
    async with serving(Settings(data_dir=tmp_path)) as client:
        again = await Field(client, field.token).upload(world.task.id, data, key="before-restart")
        assert again.status == 201 and await again.json() == first
    assert await Evidence.all().count() == 1


async def test_another_teams_inspector_is_told_the_task_does_not_exist(world, field, tmp_path):
    outsider = world.actor(world.outsider)
    token = await token_for(world.actor(world.coordinator), outsider)
    data = samples.small_jpeg("2026:11:20 10:06:00", 33.75, 113.31)
    theirs = await Field(field.client, token).upload(world.task.id, data)
    missing = await field.upload(999_999, data)
    assert theirs.status == missing.status == 404
    assert (await theirs.json())["detail"] == (await missing.json())["detail"]
    assert await Evidence.all().count() == 0 and stored_files(tmp_path) == []


async def test_evidence_before_check_in_is_refused_naming_the_state(world, field):
    await factories.set_state(world.task, "accepted")
    data = samples.small_jpeg("2026:11:20 10:06:00", 33.75, 113.31)
    response = await field.upload(world.task.id, data)
    assert response.status == 409
    assert (await response.json())["state"] == "accepted"
    assert await Evidence.all().count() == 0


async def test_concurrent_requests_with_one_key_change_once(world, field):
    data = samples.small_jpeg("2026:11:20 10:06:00", 33.75, 113.31)
    uploads = await asyncio.gather(
        *(field.upload(world.task.id, data, key="twice-at-once") for _ in range(3))
    )
    notes = await asyncio.gather(
        *(
            field.post(f"/tasks/{world.task.id}/notes", {"text": "门口有积水"}, key="note-at-once")
            for _ in range(3)
        )
    )
    for answers in (uploads, notes):
        assert [r.status for r in answers] == [201] * 3
        bodies = [await r.json() for r in answers]
        assert bodies[1:] == bodies[:-1]
    assert await Evidence.filter(kind="photo").count() == 1
    assert await Evidence.filter(kind="note").count() == 1
