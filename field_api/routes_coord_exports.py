"""Files that leave the office, as `shuangsuiji credit-export` and `bundle` write them.

    GET /api/v1/campaigns/{code}/credit-export   ?format=csv|json: the dishonesty records (失信)
                                                 of a published campaign, for the credit platform
    GET /api/v1/tasks/{task_id}/bundle.zip       a task's case bundle (report, evidence, notice,
                                                 audit entries, MANIFEST.sha256)

Both are the domain's, written to a temporary file and sent; each is an audit entry.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from domain.evidence.service import photo_store
from domain.publication.credit_export import export_credit
from domain.tasks.bundle import build_bundle
from field_api import openapi_parts as parts
from field_api.coord_io import campaign_of
from field_api.inspector_io import actor_of, handled, task_id_of
from field_api.keys import SETTINGS
from field_api.problems import BadRequest

CREDIT = "/api/v1/campaigns/{code}/credit-export"
BUNDLE = "/api/v1/tasks/{task_id}/bundle.zip"
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def _file(data: bytes, name: str, media: str) -> web.Response:
    return web.Response(
        body=data,
        headers={
            "Content-Type": media,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


async def credit(request: web.Request) -> web.Response:
    form = request.query.get("format", "csv")
    if form not in MEDIA:
        raise BadRequest("format", f"format 应为 csv 或 json，收到 {form!r}")
    campaign = await campaign_of(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"credit-{campaign.code}.{form}"
        await export_credit(actor_of(request), campaign.code, path)
        data = await asyncio.to_thread(path.read_bytes)
    return _file(data, path.name, MEDIA[form])


async def bundle(request: web.Request) -> web.Response:
    actor, task_id, settings = actor_of(request), task_id_of(request), request.app[SETTINGS]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.zip"
        built = await build_bundle(
            actor, task_id, path, photo_store(settings.data_dir), settings.font_path
        )
        data = await asyncio.to_thread(built.path.read_bytes)
    return _file(data, f"bundle-{task_id}.zip", "application/zip")


def setup(app: web.Application) -> None:
    app.router.add_get(CREDIT, handled(credit))
    app.router.add_get(BUNDLE, handled(bundle))


_CODE = parts.path("code")
_BINARY = {"schema": {"type": "string", "format": "binary"}}
OPENAPI_PATHS = {
    CREDIT: {"get": parts.operation(
        "creditExport", "A published campaign's dishonesty records (docs/credit-export.md)",
        {"200": {"description": "CSV (UTF-8 with BOM) or JSON",
                 "content": {"text/csv": _BINARY, "application/json": _BINARY}},
         "400": parts.problem("format is wrong, or the campaign is not published"),
         "403": parts.problem("Not a coordinator"),
         "404": parts.problem("No such campaign, or another department's (the same answer)")},
        parameters=[_CODE, parts.query("format", "csv (default) or json")])},
    BUNDLE: {"get": parts.operation(
        "taskBundle", "The task's case bundle: a zip checked by its MANIFEST.sha256",
        {"200": {"description": "The zip", "content": {"application/zip": _BINARY}},
         "403": parts.problem("Neither a coordinator nor on the task's team"),
         "404": parts.NOT_FOUND},
        parameters=[parts.task_id_parameter()])},
}  # fmt: skip
OPENAPI_SCHEMAS: dict = {}
