"""Adding notes and photos to a task: who may, when, and what the approver must notice."""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from tortoise.transactions import in_transaction

from domain.audit import log as audit
from domain.errors import UserError
from domain.evidence import PhotoStore, StoredPhoto, find_anomalies, rejections
from domain.evidence.receipt import PhotoReceipt, photo_receipt
from domain.evidence.repeats import first_copy, hold_task
from domain.rules.access import Actor
from domain.rules.lifecycle import TaskState
from domain.storage.models import Evidence, EvidenceKind, FollowUp, TeamMember
from domain.tasks.views import TaskView, load_task, require_member

# Evidence belongs to the visit: after check-in and until the report is submitted.
OPEN_STATES = {"on_site", "report_drafted", "returned"}
BEFORE_VISIT = {TaskState.DRAWN, TaskState.NOTIFIED, TaskState.ACCEPTED}
DEFAULT_MAX_DISTANCE_M = 500.0


class EvidenceClosed(UserError):
    """The task does not take evidence in its state; nothing was stored. `str(error)` is both
    languages, `message(lang)` one of them, naming the state."""

    def __init__(self, state: str) -> None:
        self.state = TaskState(state)
        label_zh, label_en = self.state.label_zh, self.state.label_en
        if self.state in BEFORE_VISIT:
            self.message_zh = f"任务当前状态为「{label_zh}」，签到后才能添加现场记录，本条未保存。"
            self.message_en = (
                f"The task is {label_en}: evidence can be added after check-in. Nothing was saved."
            )
        else:
            self.message_zh = f"任务当前状态为「{label_zh}」，已不再接收现场记录，本条未保存。"
            self.message_en = (
                f"The task is {label_en} and no longer takes evidence. Nothing was saved."
            )
            if self.state == TaskState.REPORT_SUBMITTED:
                self.message_zh += "如需补充，请联系协调员退回报告。"
                self.message_en += " To add some, ask the coordinator to return the report."
        super().__init__(f"{self.message_zh}\n{self.message_en}")

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


def photo_store(data_dir: Path) -> PhotoStore:
    return PhotoStore(data_dir / "evidence")


async def _existing(key: str, view: TaskView, author_id: int) -> Evidence | None:
    found = await Evidence.get_or_none(idempotency_key=key)
    if found is None:
        return None
    if found.task_id != view.task.id or found.author_id != author_id:
        raise UserError("该上传编号已用于另一条记录 (idempotency key already used elsewhere)")
    found.task = view.task
    return found


async def _own_task(actor: Actor, task_id: int) -> tuple[TaskView, TeamMember]:
    """The task, for a member of its team. The evidence entry written with the evidence names
    the actor and the task, so this check writes no view entry of its own; a refusal after it
    shows nothing sealed (a closed task's state at most)."""
    view = await load_task(actor, task_id, purpose="evidence", audit_view=False)
    return view, require_member(actor, view)


async def _check_open(state: str, task_id: int, followup_id: int | None) -> None:
    if followup_id is not None:
        # 复查: a re-check gathers its own evidence after the report was approved.
        if not await FollowUp.exists(id=followup_id, task_id=task_id, state="open"):
            raise UserError("没有该任务的待复查后续处置 (no open follow-up of this task)")
        return
    if state not in OPEN_STATES:
        raise EvidenceClosed(state)


async def add_note(
    actor: Actor,
    task_id: int,
    kind: EvidenceKind | str,
    text: str,
    *,
    idempotency_key: str,
    source: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    channel: str = "",
    followup_id: int | None = None,
) -> Evidence:
    """Record a note; it comes back with its task (and target) loaded, so that a receipt names
    the task without loading, and auditing a view of, it again."""
    view, member = await _own_task(actor, task_id)
    if (found := await _existing(idempotency_key, view, member.inspector_id)) is not None:
        return found
    await _check_open(view.task.state, task_id, followup_id)
    kind = EvidenceKind(kind)
    if kind == EvidenceKind.PHOTO:
        raise rejections.photo_as_note()
    if not text.strip():
        raise rejections.empty_note()
    if kind == EvidenceKind.DOCUMENT and not source.strip():
        raise rejections.document_without_source()
    async with in_transaction():
        note = await Evidence.create(
            task=view.task,
            author_id=member.inspector_id,
            kind=kind,
            text=text.strip(),
            source=source.strip(),
            latitude=latitude,
            longitude=longitude,
            channel=channel,
            idempotency_key=idempotency_key,
            followup_id=followup_id,
        )
        await audit.record(
            actor.label,
            "evidence.note",
            "task",
            view.task.number,
            after={"evidence": note.id, "kind": kind},
        )
    return note


def _photo_facts(stored: StoredPhoto) -> dict:
    info = stored.info
    return {
        "format": info.format,
        "bytes": info.byte_size,
        "width": info.width,
        "height": info.height,
        "taken_at": info.taken_at.isoformat() if info.taken_at else None,
        "taken_at_tz_assumed": info.taken_at_tz_assumed,
        "position": asdict(info.position) if info.position else None,
        "camera": " ".join(filter(None, (info.camera_make, info.camera_model))) or None,
    }


@dataclass(frozen=True)
class PhotoAdded:
    """The outcome of an upload. `evidence`: the photo on the task, with its task loaded
    (the first copy when these bytes were there already); `stored`: what this call put in the
    store (None when it stored nothing: a retried upload, or a photo already on the task);
    `receipt`: what to tell the sender."""

    evidence: Evidence
    stored: StoredPhoto | None
    receipt: PhotoReceipt


async def add_photo(
    actor: Actor,
    task_id: int,
    data: bytes | os.PathLike[str],
    *,
    store: PhotoStore,
    idempotency_key: str,
    file_name: str = "",
    caption: str = "",
    channel: str = "",
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    followup_id: int | None = None,
    sha256: str | None = None,
) -> PhotoAdded:
    """Store the photo (content-addressed, never modified) and record it with its anomalies,
    once per task: the same bytes sent to the task again are not recorded again. `data`: the
    bytes, or the path of a file holding them (an upload streamed to disk). A refused file
    raises PhotoRejected and nothing is recorded. `sha256`: the hash of `data` when the caller
    computed it already (an upload's, to fingerprint the request); the store hashes the bytes it
    keeps again, so a wrong one stores nothing under a wrong name."""
    view, member = await _own_task(actor, task_id)
    if (found := await _existing(idempotency_key, view, member.inspector_id)) is not None:
        return PhotoAdded(found, None, photo_receipt(found))
    await _check_open(view.task.state, task_id, followup_id)
    if sha256 is None:
        sha256 = await asyncio.to_thread(_sha256, data)
    if (again := await _again(actor, view, sha256, member.inspector_id)) is not None:
        return again
    stored = await asyncio.to_thread(store.put, data, name=file_name or None)
    info = stored.info
    if info.sha256 != sha256:  # the file changed since it was hashed: record nothing
        raise RuntimeError(f"photo {file_name!r} changed while it was being stored")
    others = await Evidence.filter(photo_sha256=info.sha256).exclude(task_id=task_id)
    target = view.task.target
    anomalies = find_anomalies(
        taken_at=info.taken_at,
        position=info.position,
        on_site_from=view.task.checkin_at,
        target_position=(
            (target.latitude, target.longitude) if target.latitude is not None else None
        ),
        other_task_ids=[e.task_id for e in others],
        max_distance_m=max_distance_m,
    )
    async with in_transaction() as conn:
        await _check_open(await hold_task(task_id, conn), task_id, followup_id)
        # Sent twice at once: the second, held until the first committed, finds it here.
        if (again := await _again(actor, view, sha256, member.inspector_id, conn)) is not None:
            return again
        photo = await Evidence.create(
            task=view.task,
            author_id=member.inspector_id,
            kind=EvidenceKind.PHOTO,
            text=caption.strip(),
            photo_sha256=info.sha256,
            photo=_photo_facts(stored),
            anomalies=[a.as_dict() for a in anomalies],
            file_name=file_name,
            channel=channel,
            idempotency_key=idempotency_key,
            followup_id=followup_id,
            latitude=info.position.lat if info.position else None,
            longitude=info.position.lon if info.position else None,
            using_db=conn,
        )
        await audit.record(
            actor.label,
            "evidence.photo",
            "task",
            view.task.number,
            after={
                "evidence": photo.id,
                "sha256": info.sha256,
                "anomalies": [a.code for a in anomalies],
            },
        )
    return PhotoAdded(photo, stored, photo_receipt(photo))


def _sha256(data: bytes | os.PathLike[str]) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    with open(data, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


async def _again(
    actor: Actor, view: TaskView, sha256: str, sender_id: int, conn=None
) -> PhotoAdded | None:
    """The photo already on the task, if these bytes are: nothing new is recorded, but the
    attempt is (the record shows who sent what, when)."""
    found = await first_copy(view.task.id, sha256, sender_id, conn)
    if found is None:
        return None
    evidence, first = found
    await audit.record(
        actor.label,
        "evidence.photo_again",
        "task",
        view.task.number,
        after={"evidence": evidence.id, "sha256": sha256},
    )
    evidence.task = view.task
    return PhotoAdded(evidence, None, photo_receipt(evidence, first))


async def list_evidence(actor: Actor, task_id: int) -> list[Evidence]:
    return await evidence_of(await load_task(actor, task_id, purpose="evidence.list"))


async def evidence_of(view: TaskView) -> list[Evidence]:
    """The notes and photos of a task already loaded for its reader, in the order added."""
    return list(await Evidence.filter(task_id=view.task.id).order_by("id"))
