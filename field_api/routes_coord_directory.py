"""The list and the two directories, and the audit log's check, for a coordinator's program.

    GET  /api/v1/directory/{kind}          a page: ?offset=&limit=&lang=en (rows as exported)
    GET  /api/v1/directory/{kind}/export   the file the import reads: ?format=csv|xlsx&lang=en
    POST /api/v1/directory/{kind}/import   multipart: file (CSV or XLSX), ignore*, map* (旧列=字段)
    GET  /api/v1/audit/verify              the hash chain checked end to end

kind: departments, items, targets, inspectors or conflicts. An import is all or nothing, as
`shuangsuiji import` is: a refused file changes nothing, and its errors come grouped (column,
reason, value, rows, how to fix) in a 422.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

from aiohttp import BodyPartReader, web

from domain.audit.log import verify_chain_for
from domain.directory import KINDS, HeaderChoices, ImportRejected, import_file
from domain.directory.pages import MAX_PAGE, directory_page, export_for
from domain.errors import NotFound
from field_api import openapi_parts as parts
from field_api.coord_io import page_of
from field_api.inspector_io import actor_of, handled, idempotent, json_answer, request_fingerprint
from field_api.keys import SETTINGS
from field_api.problems import BadRequest, problem
from field_api.routes_inspector_evidence import sent_file_name

LISTING = "/api/v1/directory/{kind}"
EXPORT, IMPORT = LISTING + "/export", LISTING + "/import"
VERIFY = "/api/v1/audit/verify"
MAX_FILE = 64 * 1024 * 1024
CHUNK = 256 * 1024
SUFFIXES = (".csv", ".xlsx", ".xlsm")
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def _kind(request: web.Request) -> str:
    kind = request.match_info["kind"]
    if kind not in KINDS:
        raise NotFound(f"没有名为「{kind}」的名录；可选: {', '.join(KINDS)} (no such directory)")
    return kind


def _english(request: web.Request) -> bool:
    return request.query.get("lang", "zh") == "en"


async def listing(request: web.Request) -> web.Response:
    kind = _kind(request)
    offset, limit = page_of(request, 100, MAX_PAGE)
    page = await directory_page(actor_of(request), kind, offset, limit, _english(request))
    following = offset + len(page.rows)
    return json_answer({
        "kind": kind, "headers": page.headers, "rows": page.rows, "total": page.total,
        "offset": offset, "next_offset": following if following < page.total else None,
    })  # fmt: skip


async def export(request: web.Request) -> web.Response:
    kind = _kind(request)
    form = request.query.get("format", "csv")
    if form not in MEDIA:
        raise BadRequest("format", f"format 应为 csv 或 xlsx，收到 {form!r}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.{form}"
        await export_for(actor_of(request), kind, path, english=_english(request))
        data = await asyncio.to_thread(path.read_bytes)
    return web.Response(body=data, headers={
        "Content-Type": MEDIA[form],
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}",
        "Cache-Control": "private, no-store",
    })  # fmt: skip


def _safe_name(sent: str) -> str:
    """The uploaded file's own name (its suffix says how to read it), without any folder."""
    name = re.sub(r"[\\/\x00-\x1f]", "_", sent_file_name(sent)).strip(". ") or "upload.csv"
    if Path(name).suffix.lower() not in SUFFIXES:
        raise BadRequest("file", f"文件应为 CSV 或 XLSX (.csv/.xlsx)，收到「{name}」")
    return name[-200:]


async def _form_text(part: BodyPartReader) -> str:
    data = await part.read(decode=True)
    if len(data) > 4000:
        raise BadRequest(part.name or "body", "字段过长 (too long)")
    return data.decode("utf-8", errors="replace").strip()


async def _received(request: web.Request, folder: Path) -> tuple[Path, str, HeaderChoices]:
    """The file part saved under its own name, its SHA-256, and the office's header choices."""
    if not request.content_type.startswith("multipart/"):
        raise BadRequest("body", "请以 multipart/form-data 上传，文件字段名为 file (multipart)")
    path, digest, ignore, rename = None, hashlib.sha256(), [], {}
    async for part in await request.multipart():
        if not isinstance(part, BodyPartReader):
            raise BadRequest("body", "不支持嵌套的 multipart (nested multipart)")
        if part.name == "file" and path is None:
            path, size = folder / _safe_name(part.filename or ""), 0
            with path.open("wb") as out:
                while chunk := await part.read_chunk(CHUNK):
                    size += len(chunk)
                    if size > MAX_FILE:
                        raise BadRequest("file", f"文件超过 {MAX_FILE >> 20} MB (too large)")
                    digest.update(chunk)
                    out.write(chunk)
        elif part.name == "ignore":
            ignore.append(await _form_text(part))
        elif part.name == "map":
            header, sep, name = (await _form_text(part)).rpartition("=")
            if not sep or not header.strip() or not name.strip():
                raise BadRequest("map", "map 应写作 旧列=字段，如 风险级别=risk_class")
            rename[header.strip()] = name.strip()
        else:
            raise BadRequest(part.name or "body", f"未知字段「{part.name}」(unknown part)")
    if path is None:
        raise BadRequest("file", "缺少文件字段 file (no file part)")
    return path, digest.hexdigest(), HeaderChoices(ignore=tuple(ignore), rename=rename)


def rejection(exc: ImportRejected, path: Path) -> web.Response:
    groups = [
        {"column": g.column, "reason": g.reason, "value": g.value, "rows": list(g.rows[:100]),
         "count": len(g.rows), "fix": g.fix}
        for g in exc.groups[:100]
    ]  # fmt: skip
    return problem(
        422, "导入被拒绝，未写入任何数据", str(exc).replace(str(path), path.name),
        file=path.name, errors=len(exc.errors), groups=groups,
    )  # fmt: skip


async def import_(request: web.Request) -> web.Response:
    kind, actor = _kind(request), actor_of(request)
    uploads = Path(request.app[SETTINGS].data_dir) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=uploads) as folder:
        path, sha256, choices = await _received(request, Path(folder))
        fingerprint = request_fingerprint(
            request, sha256, path.name, repr(choices.ignore), repr(sorted(choices.rename.items()))
        )

        async def run():
            result = await import_file(kind, path, actor=actor, choices=choices)
            return 200, {
                "kind": kind, "file": path.name, "created": result.created,
                "updated": result.updated, "unchanged": result.unchanged,
                "defaults": result.defaults, "ignored_columns": result.ignored_columns,
                "renamed_columns": result.renamed_columns,
            }  # fmt: skip

        try:
            # Not atomic: the import is its own transaction, all or nothing.
            return await idempotent(request, fingerprint, run, atomic=False)
        except ImportRejected as exc:
            return rejection(exc, path)


async def verify(request: web.Request) -> web.Response:
    result = await verify_chain_for(actor_of(request))
    return json_answer({
        "ok": result.ok, "entries": result.entries, "head_seq": result.head_seq,
        "head_hash": result.head_hash, "problem": result.problem.value if result.problem else None,
        "broken_seq": result.broken_seq, "detail": result.detail, "summary": result.describe(),
    }, headers={"Cache-Control": "no-store"})  # fmt: skip


def setup(app: web.Application) -> None:
    app.router.add_get(LISTING, handled(listing))
    app.router.add_get(EXPORT, handled(export))
    app.router.add_post(IMPORT, handled(import_))
    app.router.add_get(VERIFY, handled(verify))


_KIND = {
    "name": "kind",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(KINDS)},
}
_LANG = parts.query("lang", "en: English headers (default: Chinese)")
_FORBIDDEN = parts.problem("Not a coordinator (import: not a top-level one), or read-only token")
_NO_KIND = parts.problem("No such directory")
OPENAPI_PATHS = {
    LISTING: {"get": parts.operation(
        "listDirectory", "A page of the list or a directory, rows as the export writes them",
        {"200": parts.json_response("A page", "DirectoryPage"),
         "400": parts.problem("offset or limit is wrong"), "403": _FORBIDDEN, "404": _NO_KIND},
        parameters=[_KIND, parts.query("offset", "Skip this many rows", "integer"),
                    parts.query("limit", f"Page size, 1 to {MAX_PAGE}", "integer"), _LANG])},
    EXPORT: {"get": parts.operation(
        "exportDirectory", "The whole list or directory as the file the import reads",
        {"200": {"description": "The file", "content": {
            m.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for m in MEDIA.values()}},
         "400": parts.problem("format is wrong"), "403": _FORBIDDEN, "404": _NO_KIND},
        parameters=[_KIND, parts.query("format", "csv (default) or xlsx"), _LANG])},
    IMPORT: {"post": parts.operation(
        "importDirectory", "Import a CSV or XLSX file, all or nothing (audited)",
        {"200": parts.json_response("Rows created, updated, unchanged", "ImportResult"),
         "400": parts.problem("No file part, or an unknown part"), "403": _FORBIDDEN,
         "404": _NO_KIND,
         "422": parts.problem("Refused, nothing written: `groups` lists the errors by column, "
                              "reason and value with their rows and how to fix them (or the "
                              "Idempotency-Key was used for a different request)")},
        parameters=[_KIND, parts.IDEMPOTENCY_KEY],
        body={"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "format": "binary"},
                "ignore": {"type": "array", "items": {"type": "string"},
                           "description": "columns to leave out"},
                "map": {"type": "array", "items": {"type": "string"},
                        "description": "旧列=字段: read a column as a field"}}}}}})},
    VERIFY: {"get": parts.operation(
        "verifyAudit", "Check the audit log's hash chain end to end",
        {"200": parts.json_response("Sound, or where it breaks", "AuditVerify"),
         "403": _FORBIDDEN})},
}  # fmt: skip

OPENAPI_SCHEMAS = {
    "DirectoryPage": {"type": "object", "properties": {
        "kind": {"type": "string"}, "headers": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
        "total": {"type": "integer"}, "offset": {"type": "integer"},
        "next_offset": {"type": ["integer", "null"]}}},
    "ImportResult": {"type": "object", "properties": {
        "kind": {"type": "string"}, "file": {"type": "string"},
        "created": {"type": "integer"}, "updated": {"type": "integer"},
        "unchanged": {"type": "integer"}, "defaults": {"type": "object"}}},
    "AuditVerify": {"type": "object", "properties": {
        "ok": {"type": "boolean"}, "entries": {"type": "integer"},
        "head_seq": {"type": "integer"}, "head_hash": {"type": "string"},
        "problem": {"type": ["string", "null"]}, "broken_seq": {"type": ["integer", "null"]},
        "detail": {"type": "string"}}},
}  # fmt: skip
