"""The webhook inside the field API: with the right secret, a body that is no update is still
refused with a 4xx problem, and queues nothing; a secret that is not even UTF-8 is a 403."""

from __future__ import annotations

import json
import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import attach
from field_api.app import create_app
from tests.kit.bot import FAST, settings_for
from tests.kit.raw_http import send

SECRET = "s3cret-_token"
HOOK = "/tg/hook"


@pytest.fixture
async def served(world, fake):
    settings = settings_for(
        fake, telegram_webhook_url=f"http://127.0.0.1:9{HOOK}", telegram_webhook_secret=SECRET
    )
    app = create_app(settings)
    runtime = attach(app, settings, FAST)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client, runtime


DEEP = "[" * 100_000 + "]" * 100_000
MALFORMED = [
    b"not json",
    b"[]",
    b"5",
    b'"update"',
    b"{}",
    b'{"update_id": "x"}',
    b'{"update_id": true}',
    b'{"update_id": 1e400}',
    b'{"update_id": 99999999999999999999999}',
    b'{"update_id": 1, "message": "x"}',
    b'{"update_id": 1, "message": {"chat": 5}}',
    b'{"update_id": 1, "message": {"message_id": 1, "date": "x", '
    b'"chat": {"id": 1, "type": "private"}}}',
    b'{"update_id": 1, "callback_query": {"id": "1", "from": {"id": "x"}, "chat_instance": "c"}}',
    b"\xff\xfe",
    DEEP.encode(),
]


@pytest.mark.parametrize("body", MALFORMED, ids=range(len(MALFORMED)))
async def test_a_malformed_update_with_the_right_secret_is_400(served, body, caplog):
    caplog.set_level(logging.WARNING)
    client, runtime = served
    response = await client.post(
        HOOK,
        data=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )
    assert response.status == 400, await response.text()
    assert response.content_type == "application/problem+json"
    assert json.loads(await response.read())["status"] == 400
    assert runtime.application.update_queue.empty()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_the_wrong_media_type_is_415(served):
    client, runtime = served
    response = await client.post(
        HOOK,
        data=b'{"update_id": 1}',
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "text/plain"},
    )
    assert response.status == 415 and response.content_type == "application/problem+json"
    assert runtime.application.update_queue.empty()


async def test_a_secret_that_is_not_utf8_is_403(served):
    client, runtime = served
    answer = await send(
        client.port,
        "POST",
        HOOK,
        {"X-Telegram-Bot-Api-Secret-Token": b"s3cret-\xff", "Content-Type": "application/json"},
        b'{"update_id": 1}',
    )
    assert answer.status == 403 and answer.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert runtime.application.update_queue.empty()
