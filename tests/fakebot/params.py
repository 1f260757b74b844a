"""Reading a Bot API request the way Telegram does. PTB sends an urlencoded form, or multipart
when it uploads files; string values travel as they are and every other value JSON-encoded.
JSON bodies and query strings are accepted too, for other clients."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from .records import UploadedFile

# Parameters Telegram types as String: never JSON-decode them, or a text "123" or "true"
# would come back as a number or a boolean.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "url",
        "secret_token",
        "ip_address",
        "language_code",
        "action",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "question",
        "explanation",
        "address",
        "phone_number",
        "first_name",
        "last_name",
        "vcard",
        "business_connection_id",
        "message_effect_id",
        "photo",
        "document",
        "video",
        "audio",
        "voice",
        "animation",
        "sticker",
        "thumbnail",
        "payload",
        "currency",
        "start_parameter",
    }
)


def decode_value(name: str, raw: str) -> Any:
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        # A plain string such as a "@channel" chat_id.
        return raw


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    params: dict[str, Any] = {k: decode_value(k, v) for k, v in request.query.items()}
    files: dict[str, UploadedFile] = {}
    if not request.can_read_body:
        return params, files
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params, files
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, FileField):
            files[name] = UploadedFile(
                field=name,
                filename=value.filename,
                content_type=value.content_type,
                content=value.file.read(),
            )
        else:
            params[name] = decode_value(name, str(value))
    return params, files
