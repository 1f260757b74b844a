"""The case bundle (案卷) of a task: one zip, verifiable offline.

Contents:

- `report.json`: the task, its target and team, the report with its result categories'
  labels, signatures, follow-ups and penalties;
- `notes.json`: the written evidence (现场检查笔录, 询问笔录, documents with their source);
- `photos.json` and `photos/<sha256>.<ext>`: each photo's record and its original bytes, as
  uploaded (the file name is the SHA-256 of its content);
- `notice.pdf`: the inspection notice (行政检查通知书);
- `audit.json`: the task's audit entries with the exact fields their hashes cover (see
  `domain.audit.log`), and the chain head when the bundle was made;
- `MANIFEST.sha256`: `<sha256>  <path>` for every other file, so that after unzipping,
  `sha256sum -c MANIFEST.sha256` checks the lot.

A bundle is complete or not written at all: a missing font or a missing or altered photo is an
error, and the zip is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.audit import log as audit
from domain.errors import PermissionDenied, UserError
from domain.evidence import PhotoStore, StoreIntegrityError, Variant
from domain.notice.service import notice_pdf_of
from domain.publication.notices import category
from domain.rules.access import Actor, Role
from domain.rules.lifecycle import TaskState
from domain.rules.report import FollowUpAction
from domain.storage.models import Evidence, EvidenceKind, FollowUp, Penalty, Report, ReportSignature
from domain.tasks.views import TaskView, load_task

MANIFEST = "MANIFEST.sha256"
FOLLOWUP_FIELDS = (
    "id", "action", "what", "deadline", "recipient", "state",
    "created_at", "closed_on", "recheck_result", "closed_by",
)  # fmt: skip
PENALTY_FIELDS = ("decision_no", "decided_on", "content", "dishonest", "published_at")
PHOTO_SUFFIX = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}


@dataclass(frozen=True)
class Bundle:
    path: Path
    files: tuple[str, ...]  # every path in the zip, the manifest last
    manifest_sha256: str


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, default=_default) + "\n").encode()


def _follow_up_label(action: Any) -> str | None:
    try:
        return FollowUpAction(action).label_zh
    except ValueError:
        return None


def _person(inspector) -> dict[str, str]:
    return {"cert_no": inspector.cert_no, "name": inspector.name}


async def _report_json(view: TaskView) -> dict[str, Any]:
    task = view.task
    report = await Report.get_or_none(task_id=task.id)
    report_doc = None
    if report is not None:
        signatures = await ReportSignature.filter(report_id=report.id).prefetch_related(
            "member__inspector"
        )
        action = report.data.get("follow_up_action")
        report_doc = {
            "revision": report.revision,
            "data": report.data,
            "result_categories": [
                category(str(c)) for c in report.data.get("result_categories") or ()
            ],
            "follow_up_action_label": _follow_up_label(action),
            "completed_on": report.completed_on,
            "remarks": report.remarks,
            "drafted_by": report.drafted_by,
            "submitted_at": report.submitted_at,
            "review_comments": report.review_comments,
            "reviewed_by": report.reviewed_by,
            "reviewed_at": report.reviewed_at,
            "signatures": [
                {**_person(s.member.inspector), "revision": s.revision, "signed_at": s.signed_at}
                for s in sorted(signatures, key=lambda s: s.id)
            ],
        }
    followups = await FollowUp.filter(task_id=task.id).order_by("id")
    penalties = await Penalty.filter(task_id=task.id).order_by("id")
    return {
        "task": {
            "number": task.number,
            "campaign": view.campaign.code,
            "state": task.state,
            "state_label": TaskState(task.state).label_zh,
            "state_reason": task.state_reason,
            "items": task.item_codes,
            "due_date": task.due_date,
            "checkin_at": task.checkin_at,
            "checkin_position": (
                [task.checkin_latitude, task.checkin_longitude]
                if task.checkin_latitude is not None
                else None
            ),
            "completed_on": task.completed_on,
        },
        "target": {
            "name": task.target.name,
            "credit_code": task.target.credit_code,
            "address": task.target.address,
        },
        "team": [
            {**_person(m.inspector), "role": m.role.value, "status": m.status.value}
            for m in view.members
        ],
        "report": report_doc,
        "followups": [{k: getattr(f, k) for k in FOLLOWUP_FIELDS} for f in followups],
        "penalties": [{k: getattr(p, k) for k in PENALTY_FIELDS} for p in penalties],
    }


def _evidence_common(e: Evidence) -> dict[str, Any]:
    return {
        "id": e.id,
        "author": _person(e.author),
        "received_at": e.received_at,
        "position": [e.latitude, e.longitude] if e.latitude is not None else None,
        "channel": e.channel,
        "followup_id": e.followup_id,
    }


def _photo_path(e: Evidence) -> str:
    fmt = (e.photo or {}).get("format", "")
    return f"photos/{e.photo_sha256}.{PHOTO_SUFFIX.get(fmt, 'bin')}"


def _read_photo(store: PhotoStore, sha: str) -> bytes:
    try:
        data = store.read(sha, Variant.ORIGINAL)
    except FileNotFoundError:
        raise UserError(
            f"照片原件 {sha} 不在证据库 {store.root} 中，无法生成完整案卷 (original photo missing)"
        ) from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise StoreIntegrityError(f"照片原件 {sha} 的内容与其哈希不符：证据库已被改动")
    return data


def _write_zip(out_path: Path, files: dict[str, bytes]) -> Bundle:
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    ]
    manifest = "".join(lines).encode()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".bundle-", suffix=".zip", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            for name, data in sorted(files.items()):
                # Photos and PDFs are compressed already: store them as they are.
                method = zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED
                zf.writestr(name, data, compress_type=method)
            zf.writestr(MANIFEST, manifest, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(temp, out_path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Bundle(out_path, (*sorted(files), MANIFEST), hashlib.sha256(manifest).hexdigest())


async def build_bundle(
    actor: Actor,
    task_id: int,
    out_path: str | os.PathLike[str],
    store: PhotoStore,
    font_path: str = "",
) -> Bundle:
    """Write the task's case bundle to `out_path`; for coordinators and the task's team only."""
    view = await load_task(actor, task_id, purpose="bundle")
    if actor.role not in (Role.SYSTEM, Role.COORDINATOR) and view.member_for(actor) is None:
        raise PermissionDenied(
            "只有协调员和本任务检查组成员可以导出案卷 (coordinators and the team only)"
        )
    task = view.task
    evidence = await Evidence.filter(task_id=task.id).order_by("id").prefetch_related("author")
    notes = [
        {**_evidence_common(e), "kind": e.kind.value, "text": e.text, "source": e.source}
        for e in evidence
        if e.kind != EvidenceKind.PHOTO
    ]
    photos = [e for e in evidence if e.kind == EvidenceKind.PHOTO and e.photo_sha256]
    photo_docs = [
        {
            **_evidence_common(e),
            "sha256": e.photo_sha256,
            "file": _photo_path(e),
            "caption": e.text,
            "uploaded_name": e.file_name,
            "facts": e.photo,
            "anomalies": e.anomalies,
        }
        for e in photos
    ]
    _, pdf = await notice_pdf_of(view, font_path)
    entries = await audit.list_entries(object_kind="task", object_id=task.number)
    head_seq, head_hash = await audit.current_head()
    files: dict[str, bytes] = {
        "report.json": _json(await _report_json(view)),
        "notes.json": _json(notes),
        "photos.json": _json(photo_docs),
        "notice.pdf": pdf,
        "audit.json": _json(
            {
                "task": task.number,
                "chain_head": {"seq": head_seq, "hash": head_hash},
                "entries": [audit.link_of(e) for e in entries],
            }
        ),
    }
    for e in photos:
        path = _photo_path(e)
        if path not in files:
            assert e.photo_sha256 is not None  # `photos` holds only evidence with one
            files[path] = await asyncio.to_thread(_read_photo, store, e.photo_sha256)
    bundle = await asyncio.to_thread(_write_zip, Path(out_path), files)
    await audit.record(
        actor.label,
        "task.bundle",
        "task",
        task.number,
        data={"manifest_sha256": bundle.manifest_sha256, "files": len(bundle.files)},
    )
    return bundle
