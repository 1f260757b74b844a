"""Uploading a photo or file to a task, streamed to disk.

    POST /api/v1/tasks/{task_id}/evidence     multipart/form-data: file (the photo), caption?

The file part is read chunk by chunk into a temporary file under the data directory, never
held in memory whole; reading stops as soon as it passes the evidence limit (25 MB), far above
aiohttp's client_max_size, which only bounds bodies read whole (request.post(), read()), not a
multipart stream. The stored file is the uploaded bytes, EXIF kept: the domain inspects it and
records it with its hash, capture time and place and anomalies, as it does for the chat; the
answer is the same receipt. A refused file leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from domain.evidence import rejections
from domain.evidence import service as evidence_service
from domain.tasks.views import load_task, require_member
from field_api import openapi_parts as parts
from field_api.inspector_io import (
    actor_of,
    evidence_json,
    handled,
    idempotent,
    request_fingerprint,
    task_id_of,
)
from field_api.keys import SETTINGS
from field_api.problems import BadRequest
from field_api.routes_inspector_actions import evidence_key

EVIDENCE = "/api/v1/tasks/{task_id}/evidence"
CHUNK = 256 * 1024
MAX_CAPTION = 4000
FILE_FIELDS = ("file", "photo")
HASH_SHOWN = 12


def _file_sha256(path: Path) -> str:
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def sent_file_name(sent: str) -> str:
    """Browsers send a UTF-8 name as is; some clients (aiohttp's, for one) percent-encode it.
    Decoded only when that yields non-ASCII text, so an ASCII name with a '%' stays as sent."""
    try:
        decoded = unquote(sent, errors="strict")
    except UnicodeDecodeError:
        decoded = sent
    name = decoded if not decoded.isascii() else sent
    return name.strip()[:255]


class _Upload:
    """The file part as it arrives: a temp file, its size and, once whole, its SHA-256."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".upload-", dir=folder)
        self.path = Path(name)
        self.file = os.fdopen(fd, "wb")
        self.size = 0
        self.sha256 = ""
        self.name = ""

    async def take(self, part: BodyPartReader, limit: int) -> None:
        self.name = sent_file_name(part.filename or "")
        while chunk := await part.read_chunk(CHUNK):
            self.size += len(chunk)
            if self.size > limit:
                raise rejections.too_large(self.name or None, self.size, limit)
            self.file.write(chunk)
        self.file.close()
        # Hashed once, in a thread (hashlib lets go of the GIL): megabytes hashed chunk by
        # chunk on the event loop held up every other request meanwhile.
        self.sha256 = await asyncio.to_thread(_file_sha256, self.path)

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


async def _text(part: BodyPartReader, name: str, limit: int) -> str:
    data = bytearray()
    while chunk := await part.read_chunk(CHUNK):
        data += chunk
        if len(data) > limit * 4:  # UTF-8: at most 4 bytes a character
            raise BadRequest(name, f"{name} 最多 {limit} 个字符 (too long)")
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise BadRequest(name, f"{name} 应为 UTF-8 文本 (UTF-8 text)") from None
    if len(text) > limit:
        raise BadRequest(name, f"{name} 最多 {limit} 个字符 (too long)")
    return text


async def upload(request: web.Request) -> web.Response:
    actor, task_id = actor_of(request), task_id_of(request)
    # Before reading megabytes: a task that is not theirs is refused at once (no view is
    # audited here; the evidence entry is the record, as in the chat).
    require_member(actor, await load_task(actor, task_id, purpose="evidence", audit_view=False))
    settings = request.app[SETTINGS]
    store = evidence_service.photo_store(settings.data_dir)
    if not request.content_type.startswith("multipart/"):
        raise BadRequest("body", "请以 multipart/form-data 上传，文件字段名为 file (multipart)")
    upload_ = _Upload(Path(settings.data_dir) / "uploads")
    try:
        caption, got_file = "", False
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader):
                raise BadRequest("body", "不支持嵌套的 multipart (nested multipart)")
            if part.name in FILE_FIELDS and not got_file:
                await upload_.take(part, store.limits.max_bytes)
                got_file = True
            elif part.name == "caption":
                caption = await _text(part, "caption", MAX_CAPTION)
            else:
                raise BadRequest(part.name or "body", f"未知字段「{part.name}」(unknown part)")
        if not got_file:
            raise BadRequest("file", "缺少文件字段 file (no file part)")
        fingerprint = request_fingerprint(request, upload_.sha256, upload_.name, caption)
        key = evidence_key(request)

        async def run():
            added = await evidence_service.add_photo(
                actor,
                task_id,
                upload_.path,
                store=store,
                idempotency_key=key,
                file_name=upload_.name,
                caption=caption,
                channel="api",
                sha256=upload_.sha256,
            )
            evidence, stored = added.evidence, added.stored
            task = evidence.task
            return 201, {
                "evidence": {**evidence_json(evidence), "author": actor.name},
                "task": {"id": task.id, "number": task.number, "target": task.target.name},
                "sha256": evidence.photo_sha256,
                "hash_shown": (evidence.photo_sha256 or "")[:HASH_SHOWN],
                "already_stored": stored.already_stored if stored else True,
                # What the bot's receipt says too: the time and place read from the photo, and
                # whether these bytes were on the task already.
                "receipt": added.receipt.as_dict(),
            }

        # The evidence has a key of its own: a retry after a crash finds it, so the slow
        # inspection need not hold the transaction that keeps the answer.
        return await idempotent(request, fingerprint, run, atomic=False)
    finally:
        upload_.discard()


def setup(app: web.Application) -> None:
    app.router.add_post(EVIDENCE, handled(upload))


OPENAPI_PATHS = {
    EVIDENCE: {
        "post": {
            **parts.write(
                "uploadEvidence",
                "Upload a photo (JPEG, PNG, WebP, HEIC; up to 25 MB), streamed; EXIF is kept",
                parts.json_response("The receipt: hash, capture facts, anomalies", "Receipt"),
                body={
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {"$ref": "#/components/schemas/EvidenceUpload"}
                        }
                    },
                },
                status="201",
            ),
        }
    }
}
OPENAPI_PATHS[EVIDENCE]["post"]["responses"].update(
    {
        "409": parts.problem("The task does not take evidence in its state"),
        "413": parts.problem("Over 25 MB (code too_large); nothing was stored"),
        "422": parts.problem(
            "Not an accepted image, damaged, truncated or too many pixels "
            "(see code); or the Idempotency-Key was used for another upload"
        ),
    }
)

OPENAPI_SCHEMAS = {
    "EvidenceUpload": {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "caption": {"type": "string", "maxLength": MAX_CAPTION},
        },
    },
    "Evidence": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "text": {"type": "string"},
            "source": {"type": "string"},
            "author": {"type": ["string", "null"]},
            "received_at": {"type": "string", "format": "date-time"},
            "position": {"type": ["object", "null"]},
            "sha256": {"type": ["string", "null"]},
            "photo": {
                "type": ["object", "null"],
                "description": "format, bytes, width, height, taken_at, position, camera",
            },
            "anomalies": {"type": "array", "items": {"type": "object"}},
            "file_name": {"type": "string"},
            "channel": {"type": "string"},
        },
    },
    "Receipt": {
        "type": "object",
        "properties": {
            "evidence": {"$ref": "#/components/schemas/Evidence"},
            "task": {"type": "object"},
            "sha256": {"type": "string"},
            "hash_shown": {"type": "string"},
            "already_stored": {"type": "boolean"},
            "receipt": {
                "type": "object",
                "description": "hash, time (office zone) and position read from the photo, "
                "anomalies, and the first copy when the task had these bytes already",
            },
        },
    },
}
