"""What the inspector is told of what they sent: a photo's capture time and place as read from
it, a photo already on the task, an empty file, a document without its source — each in the
inspector's one language."""

from __future__ import annotations

import re

import pytest

from bot.i18n import t
from domain import clock
from domain.messaging import chat_accounts
from domain.storage.models import Evidence, EvidenceKind
from domain.tasks import team, visit
from tests.kit.evidence_samples import LAT, LON, camera_jpeg
from tests.kit.inspector_chat import bound, reply_to, running, write

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


async def on_site(drawn, fake):
    """The first task's team, accepted and checked in, both in the chat with it as current."""
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    for actor in (leader, member):
        await team.accept(actor, task.id)
    await visit.check_in(leader, task.id)
    users = [await bound(fake, actor) for actor in (leader, member)]
    for user in users:
        await chat_accounts.set_current_task(user.id, task.id)
    return task, (leader, member), users


async def send_file(fake, user, data: bytes, name: str):
    mark = fake.mark()
    fake.inject_document(user, data, name, "image/jpeg")
    return await reply_to(fake, user, mark)


async def test_the_receipt_says_when_and_where_the_photo_was_taken(
    drawn, fake, notice_font, tmp_path
):
    task, _, (alice, bob) = await on_site(drawn, fake)
    # The phone was set to UTC: 02:15 there is 10:15 at the office.
    utc_phone = camera_jpeg((800, 600), taken=b"2025:06:12 02:15:30", offset=b"+00:00")
    bare = camera_jpeg((800, 600), taken=None, lat=None, lon=None, orientation=1)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        receipt = await send_file(fake, alice, utc_phone, "IMG_0101.jpg")
        photo = await Evidence.get(task_id=task.id, file_name="IMG_0101.jpg")
        where = photo.photo["position"]
        assert where["lat"] == pytest.approx(LAT, abs=1e-6)
        assert where["lon"] == pytest.approx(LON, abs=1e-6)
        assert t("zh", "photo.taken_at", time="2025-06-12 10:15", zone="北京时间") in receipt.text
        assert "拍摄时间：2025-06-12 10:15（北京时间）" in receipt.text
        assert f"拍摄位置：{where['lat']:.5f}, {where['lon']:.5f}" in receipt.text
        assert f"SHA-256 {photo.photo_sha256[:12]}…" in receipt.text
        assert all(a["message"] in receipt.text for a in photo.anomalies)

        none_found = await send_file(fake, alice, bare, "IMG_0102.jpg")
        assert t("zh", "photo.taken_at_none") in none_found.text
        assert t("zh", "photo.place_none") in none_found.text
        assert "拍摄时间：照片中未找到" in none_found.text

        mark = fake.mark()
        fake.inject_command(bob, "lang", "en")
        await reply_to(fake, bob, mark, text=t("en", "lang.set"))
        other = camera_jpeg((640, 480), taken=b"2025:06:12 02:15:30", offset=b"+00:00")
        english = await send_file(fake, bob, other, "IMG_0103.jpg")
        bare_en = await send_file(
            fake, bob, camera_jpeg((640, 480), taken=None, lat=None, lon=None), "b.jpg"
        )
    assert "Taken: 2025-06-12 10:15 (Beijing time)" in english.text
    assert f"Place: {where['lat']:.5f}, {where['lon']:.5f}" in english.text
    assert "Taken: no time found in the photo" in bare_en.text
    assert "Place: no position found in the photo" in bare_en.text
    name = t("en", "insp.task_name", target=task.target.name, number=task.number)
    assert not CJK.search(english.text.replace(name, ""))


async def test_the_same_photo_sent_three_times_is_stored_once_and_said_so(
    drawn, fake, notice_font, tmp_path
):
    task, (leader, _), (alice, bob) = await on_site(drawn, fake)
    name = t("zh", "insp.task_name", target=task.target.name, number=task.number)
    data = camera_jpeg((800, 600))
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        first = await send_file(fake, alice, data, "IMG_0201.jpg")
        assert first.text.startswith(t("zh", "photo.header", name=name))
        photo = await Evidence.get(task_id=task.id, kind=EvidenceKind.PHOTO)
        when = clock.local(photo.received_at).strftime("%Y-%m-%d %H:%M")
        shown = {"id": photo.id, "hash": photo.photo_sha256[:12], "when": when}

        again = await send_file(fake, alice, data, "IMG_0201.jpg")
        own = t("zh", "photo.already_own", who=leader.name, **shown)
        assert again.text == t("zh", "photo.already_in", name=name, message=own)
        assert "您于" in again.text and "未重复保存" in again.text

        mark = fake.mark()
        fake.inject_command(bob, "lang", "en")
        await reply_to(fake, bob, mark, text=t("en", "lang.set"))
        forwarded = await send_file(fake, bob, data, "photo_from_alice.jpg")
    en_name = t("en", "insp.task_name", target=task.target.name, number=task.number)
    mate = t("en", "photo.already_mate", who=leader.name, **shown)
    assert forwarded.text == t("en", "photo.already_in", name=en_name, message=mate)
    assert f"sent by {leader.name} at {when}" in forwarded.text
    assert await Evidence.filter(task_id=task.id).count() == 1
    originals = [p for p in (tmp_path / "evidence" / "originals").rglob("*") if p.is_file()]
    assert len(originals) == 1


async def test_an_empty_file_is_said_to_be_empty(drawn, fake, notice_font, tmp_path):
    task, _, (alice, bob) = await on_site(drawn, fake)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        empty = await send_file(fake, alice, b"", "IMG_0301.jpg")
        assert empty.text == t("zh", "file.empty", name="IMG_0301.jpg")
        assert "空的" in empty.text and "不是图片" not in empty.text
        mark = fake.mark()
        fake.inject_command(bob, "lang", "en")
        await reply_to(fake, bob, mark, text=t("en", "lang.set"))
        english = await send_file(fake, bob, b"", "IMG_0302.jpg")
    assert english.text == t("en", "file.empty", name="IMG_0302.jpg")
    assert "is empty (0 bytes)" in english.text
    assert await Evidence.filter(task_id=task.id).count() == 0


async def test_a_document_without_its_source_is_answered_in_one_language(
    drawn, fake, notice_font, tmp_path
):
    task, _, (alice, bob) = await on_site(drawn, fake)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        chinese = await write(fake, alice, "书证：租赁合同复印件")
        mark = fake.mark()
        fake.inject_command(bob, "lang", "en")
        await reply_to(fake, bob, mark, text=t("en", "lang.set"))
        english = await write(fake, bob, "document: lease contract, copy")
        # With its source it is recorded.
        kept = await write(fake, alice, "书证：租赁合同复印件\n来源：物业管理处提供")
    assert chinese.text == (
        t("zh", "note.refused.document_without_source") + "\n" + t("zh", "note.document_howto")
    )
    assert not LATIN.search(chinese.text)
    assert english.text == (
        t("en", "note.refused.document_without_source") + "\n" + t("en", "note.document_howto")
    )
    assert not CJK.search(english.text)
    [document] = await Evidence.filter(task_id=task.id, kind=EvidenceKind.DOCUMENT)
    assert document.source == "物业管理处提供"
    assert kept.text.startswith("已记入")
