"""Notes, photos, albums and files sent to the bot land on the current task, once each, with a
receipt naming the photo's hash prefix and anomalies."""

from __future__ import annotations

import hashlib
import re

import pytest
from telegram import Update

from bot.i18n import t
from domain.evidence.service import EvidenceClosed
from domain.messaging import chat_accounts
from domain.storage.models import AuditEntry, Evidence, EvidenceKind, ProcessedUpdate
from domain.tasks import reporting, team, visit
from tests.fakebot.samples import jpeg
from tests.kit.drawn import REPORT
from tests.kit.evidence_samples import camera_jpeg
from tests.kit.inspector_chat import (
    bound,
    press,
    reply_to,
    running,
    write,
)

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

MB = 1024 * 1024


async def test_evidence_lands_once_with_receipts(drawn, fake, notice_font, tmp_path):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    shown_name = t("zh", "insp.task_name", target=task.target.name, number=task.number)
    for actor in (leader, member):
        await team.accept(actor, task.id)
    alice = await bound(fake, leader)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()  # the assignments are out: what follows are answers
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark, text=t("zh", "insp.tasks.header"))
        mark = await press(fake, alice, listing, f"i:cur:{task.id}")
        chosen = await reply_to(fake, alice, mark)
        assert chosen.text.endswith(t("zh", "insp.hint.accepted"))
        mark = await press(fake, alice, chosen, f"i:ntc:{task.id}")  # 📄 the notice, on site
        notice = await fake.wait_for("sendDocument", chat_id=alice, since=mark)
        assert notice.params["protect_content"] is True
        assert notice.files["document"].filename == f"行政检查通知书-{task.number}.pdf"

        refused = await write(fake, alice, "消防通道堵塞")  # not checked in yet
        assert "签到后" in refused.text  # the domain's words
        mark = fake.mark()
        fake.inject_location(alice, 33.75, 113.31)
        await reply_to(fake, alice, mark, text="已签到")

        mark = fake.mark()
        body = fake.inject_text(alice, "问题：消防通道堵塞")
        receipt = await reply_to(fake, alice, mark)
        [note] = await Evidence.filter(task_id=task.id, kind=EvidenceKind.PROBLEM)
        assert receipt.text == t("zh", "note.saved", name=shown_name, kind="发现的问题", id=note.id)
        assert receipt.params["protect_content"] is True and note.channel == "telegram"

        # A photo sent as a file keeps its EXIF: hash prefix and anomalies in the receipt.
        original = camera_jpeg((800, 600))  # a phone's: capture time and place in its EXIF
        digest = hashlib.sha256(original).hexdigest()
        mark = fake.mark()
        fake.inject_document(alice, original, "IMG_0001.jpg", "image/jpeg")
        receipt = await reply_to(fake, alice, mark)
        photo = await Evidence.get(task_id=task.id, photo_sha256=digest)
        assert photo.photo["taken_at"].startswith("2025-06-12T10:15:30")
        assert photo.photo["position"] is not None
        assert {a["code"] for a in photo.anomalies} == {"time_outside_visit", "far_from_target"}
        assert receipt.text.startswith(t("zh", "photo.header", name=shown_name))
        assert f"SHA-256 {digest[:12]}…" in receipt.text
        assert all(a["message"] in receipt.text for a in photo.anomalies)
        assert t("zh", "photo.compressed") not in receipt.text

        # A compressed photo: Telegram dropped the EXIF; the receipt says so and how to avoid it.
        mark = fake.mark()
        fake.inject_photo(alice, jpeg(color=(10, 200, 30)), caption="东侧出口")
        receipt = await reply_to(fake, alice, mark)
        compressed = await Evidence.filter(task_id=task.id, text="东侧出口").first()
        assert compressed.photo["taken_at"] is None
        assert receipt.text.endswith(t("zh", "photo.compressed"))
        assert "📎 → 文件" in receipt.text
        assert f"SHA-256 {compressed.photo_sha256[:12]}…" in receipt.text

        # An album: one receipt, completed as its items arrive.
        colors = [(i * 60, 90, 200 - i * 50) for i in range(3)]
        mark = fake.mark()
        fake.inject_media_group(alice, [jpeg(400, 300, color=c) for c in colors], caption="配电间")
        first = await reply_to(fake, alice, mark)
        edits = await fake.wait_for_all("editMessageText", chat_id=alice, since=mark, count=2)
        assert first.text.startswith(t("zh", "album.header", name=shown_name, count=1))
        assert {e.params["message_id"] for e in edits} == {first.result["message_id"]}
        final = edits[-1].params["text"]
        assert final.startswith(t("zh", "album.header", name=shown_name, count=3))
        assert final.count("SHA-256") == 3 and final.endswith(t("zh", "photo.compressed"))

        # Above the bots' download limit: said so, and nothing downloaded.
        mark = fake.mark()
        big = fake.inject_document(alice, b"\0" * 64, "现场录像.mp4", file_size=25 * MB)
        refused = await reply_to(fake, alice, mark)
        assert refused.text == t("zh", "file.too_big", name="现场录像.mp4", size="25.0")
        big_id = big["message"]["document"]["file_id"]
        assert not [c for c in fake.calls_of("getFile") if c.params.get("file_id") == big_id]

        mark = fake.mark()
        fake.inject_document(alice, b"%PDF-1.4 minutes", "笔录.pdf", "application/pdf")
        refused = await reply_to(fake, alice, mark)
        assert "不是图片文件" in refused.text and t("zh", "note.document_howto") in refused.text

        # A redelivered update changes nothing: dropped as handled, and were the record of
        # handled updates gone, the idempotency key still keeps it to one note.
        app = bot.application
        await app.update_queue.put(Update.de_json(body, app.bot))
        after = await write(fake, alice, "情况：地下一层照明正常")
        assert after.text.startswith(f"已记入 {shown_name}：现场情况")
        await ProcessedUpdate.filter(update_id=body["update_id"]).delete()
        mark = fake.mark()
        await app.update_queue.put(Update.de_json(body, app.bot))
        again = await reply_to(fake, alice, mark)
        assert again.text == t("zh", "note.saved", name=shown_name, kind="发现的问题", id=note.id)
        assert await Evidence.filter(task_id=task.id, kind=EvidenceKind.PROBLEM).count() == 1
        assert await Evidence.filter(task_id=task.id, kind=EvidenceKind.PHOTO).count() == 5


async def test_a_task_closed_meanwhile_refuses_evidence_naming_its_state(
    drawn, fake, notice_font, tmp_path
):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    # The member's other tasks are cancelled: with no open task, the latest one answers.
    for other in drawn.tasks[1:]:
        if member.id in [a.id for a in await drawn.team(other)]:
            await visit.cancel(drawn.coordinator, other.id, "对象已迁出本市")
    for actor in (leader, member):
        await team.accept(actor, task.id)
    await visit.check_in(leader, task.id)
    alice, bob = await bound(fake, leader), await bound(fake, member)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark, text=t("zh", "insp.tasks.header"))
        mark = await press(fake, alice, listing, f"i:cur:{task.id}")
        await reply_to(fake, alice, mark)

        # The report goes in: the visit is over.
        await reporting.save_report(leader, task.id, REPORT)
        for actor in (leader, member):
            await reporting.sign_report(actor, task.id)
        await reporting.submit_report(member, task.id)
        # The domain queued the sign requests and the drafter's "all signed": dealt with
        # (sent, or dropped as stale) before the note, so the next reply is the note's.
        bot.sender.wake()
        await bot.sender.idle()

        closed = EvidenceClosed("report_submitted")
        zh = (
            t(
                "zh",
                "evidence.closed",
                name=t("zh", "insp.task_name", target=task.target.name, number=task.number),
                message=closed.message("zh"),
            )
            + "\n"
            + t("zh", "evidence.closed_other")
        )
        note = await write(fake, alice, "问题：漏拍了东侧出口")
        assert note.text == zh and "「已提交报告」" in note.text
        assert note.params["protect_content"] is True
        mark = fake.mark()
        fake.inject_document(alice, camera_jpeg((800, 600)), "IMG_0002.jpg", "image/jpeg")
        assert (await reply_to(fake, alice, mark)).text == zh
        mark = fake.mark()
        fake.inject_photo(bob, jpeg())  # never chose a task; it is his latest
        assert (await reply_to(fake, bob, mark)).text == zh
        # An album is refused once, not once per photo (updates are handled in order: the
        # answer to the next command comes after the album's).
        mark = fake.mark()
        fake.inject_media_group(alice, [jpeg(400, 300, color=c) for c in ("red", "blue", "green")])
        fake.inject_command(alice, "lang", "en")
        await reply_to(fake, alice, mark, text=t("en", "lang.set"))
        assert [c.text for c in fake.sent_to(alice) if c.seq >= mark] == [zh, t("en", "lang.set")]
        english = await write(fake, alice, "one more note")
    assert english.text == (
        t(
            "en",
            "evidence.closed",
            name=t("en", "insp.task_name", target=task.target.name, number=task.number),
            message=closed.message("en"),
        )
        + "\n"
        + t("en", "evidence.closed_other")
    )
    assert "report submitted" in english.text and "Nothing was saved" in english.text
    assert await Evidence.all().count() == 0
    assert not any(p.is_file() for p in (tmp_path / "evidence").rglob("*"))


async def test_an_english_receipt_names_the_anomalies_in_english(
    drawn, fake, notice_font, tmp_path
):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    for actor in (leader, member):
        await team.accept(actor, task.id)
    await visit.check_in(leader, task.id)
    alice = await bound(fake, leader)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        mark = fake.mark()
        fake.inject_command(alice, "lang", "en")
        await reply_to(fake, alice, mark)
        mark = fake.mark()
        fake.inject_command(alice, "tasks")
        listing = await reply_to(fake, alice, mark, text=t("en", "insp.tasks.header"))
        mark = await press(fake, alice, listing, f"i:cur:{task.id}")
        await reply_to(fake, alice, mark)
        mark = fake.mark()
        fake.inject_document(alice, camera_jpeg((800, 600)), "IMG_0003.jpg", "image/jpeg")
        receipt = await reply_to(fake, alice, mark)
    photo = await Evidence.get(task_id=task.id, kind=EvidenceKind.PHOTO)
    assert {a["code"] for a in photo.anomalies} == {"time_outside_visit", "far_from_target"}
    name = t("en", "insp.task_name", target=task.target.name, number=task.number)
    assert receipt.text.startswith(t("en", "photo.header", name=name))
    for anomaly in photo.anomalies:
        assert anomaly["message_en"] and anomaly["message_en"] in receipt.text
        assert anomaly["message"] not in receipt.text
    assert "Taken at 2025-06-12 10:15 (Beijing time)" in receipt.text
    assert not re.search(r"[\u4e00-\u9fff]", receipt.text.replace(name, ""))


async def test_a_photo_or_a_note_is_one_audit_entry(drawn, fake, notice_font, tmp_path):
    """The evidence's entry is the view: neither finding the current task, nor the evidence
    service's access check, nor the receipt naming the task writes another. The task was
    chosen before a restart, so the bot has no name of it at hand."""
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    for actor in (leader, member):
        await team.accept(actor, task.id)
    await visit.check_in(leader, task.id)
    alice = await bound(fake, leader)
    await chat_accounts.set_current_task(alice.id, task.id)
    shown_name = t("zh", "insp.task_name", target=task.target.name, number=task.number)
    async with running(fake, tmp_path, notice_font) as bot:
        await bot.sender.idle()
        before = await AuditEntry.all().count()
        mark = fake.mark()
        fake.inject_document(alice, camera_jpeg((800, 600)), "IMG_0004.jpg", "image/jpeg")
        receipt = await reply_to(fake, alice, mark)
        assert receipt.text.startswith(t("zh", "photo.header", name=shown_name))
        added = await AuditEntry.filter(seq__gt=before).order_by("seq")
        assert [(e.action, e.object_id) for e in added] == [("evidence.photo", task.number)]
        note = await write(fake, alice, "情况：地下一层照明正常")
        assert note.text.startswith(f"已记入 {shown_name}")
    added = await AuditEntry.filter(seq__gt=before).order_by("seq")
    assert [e.action for e in added] == ["evidence.photo", "evidence.note"]
