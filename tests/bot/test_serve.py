"""The bot inside the field API's aiohttp server: polling, and the webhook with its secret."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot.app import BOT_RUNTIME, attach
from bot.i18n import t
from domain.people import enrollment
from domain.storage.models import Inspector, ProcessedUpdate
from tests.kit.bot import FAST, settings_for


@contextlib.asynccontextmanager
async def serving(app: web.Application, sock: socket.socket) -> AsyncIterator[None]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield
    finally:
        await runner.cleanup()


def loopback_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


async def invite(world) -> str:
    issued = await enrollment.issue_invite(
        world.actor(world.coordinator), "inspector", world.leader.id
    )
    return issued.code


async def test_polling_inside_the_http_server(world, fake):
    app = web.Application()
    attach(app, settings_for(fake), FAST)
    alice = fake.new_user()
    async with serving(app, loopback_socket()):
        fake.inject_start(alice, await invite(world))
        reply = await fake.wait_for("sendMessage", chat_id=alice)
    assert reply.text == t("zh", "start.bound", name="张伟", role="执法检查人员")
    assert fake.calls_of("getUpdates")


async def test_webhook_checks_the_secret_header(world, fake):
    sock = loopback_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/tg/hook"
    app = web.Application()
    runtime = attach(
        app,
        settings_for(fake, telegram_webhook_url=url, telegram_webhook_secret="s3cret-_token"),
        FAST,
    )
    assert app[BOT_RUNTIME] is runtime
    alice, eve = fake.new_user(), fake.new_user()
    async with serving(app, sock):
        assert fake.updates.webhook.url == url
        assert fake.updates.webhook.secret_token == "s3cret-_token"
        forged = {
            "update_id": 999,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": eve.id, "type": "private"},
                "from": eve.to_dict(),
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with aiohttp.ClientSession() as client:
            for header in ({}, {"X-Telegram-Bot-Api-Secret-Token": "s3cret-_tokeN"}):
                async with client.post(url, json=forged, headers=header) as resp:
                    assert resp.status == 403
        update = fake.inject_start(alice, await invite(world))
        await fake.wait_for_delivery(update)
        reply = await fake.wait_for("sendMessage", chat_id=alice)
    assert reply.text == t("zh", "start.bound", name="张伟", role="执法检查人员")
    assert (await Inspector.get(id=world.leader.id)).telegram_user_id == alice.id
    assert fake.sent_to(eve) == []
    assert await ProcessedUpdate.filter(update_id=999).count() == 0
    assert fake.calls_of("getUpdates") == []
