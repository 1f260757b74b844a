"""`shuangsuiji serve` in its own process: the HTTP server and the bot in one event loop,
enrolled and talked to through the fake Bot API, stopped by SIGTERM."""

from __future__ import annotations

import re
import socket

from bot.i18n import t
from tests.kit.serve import environment, healthz, serving


async def test_serve_runs_http_and_the_bot_in_one_process(
    shuangsuiji, migrated_db_url, fake, tmp_path
):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    added = shuangsuiji("coordinator", "add", "赵敏", "--department", "419800")
    assert added.returncode == 0, added.stderr
    coordinator_id = re.search(r"编号 (\d+)", added.stdout).group(1)
    invited = shuangsuiji("invite", "coordinator", coordinator_id, "--as", coordinator_id)
    assert invited.returncode == 0, invited.stderr
    code = re.search(r"邀请码 \(shown once\): (\S+)", invited.stdout).group(1)
    boss = fake.new_user("赵敏")
    bot_env = environment(
        migrated_db_url, tmp_path, SSJ_TELEGRAM_TOKEN=fake.token, SSJ_TELEGRAM_API_URL=fake.url
    )
    async with serving(bot_env) as (port, lines):
        assert lines[1] == "Telegram bot: polling for updates"
        assert await healthz(port) == {"status": "ok", "database": "ok"}
        fake.inject_start(boss, code)
        bound = await fake.wait_for("sendMessage", chat_id=boss, timeout=30)
        fake.inject_command(boss, "help")
        helped = await fake.wait_for("sendMessage", chat_id=boss, since=bound.seq + 1, timeout=30)
        fake.inject_command(boss, "draw")
        draw = await fake.wait_for("sendMessage", chat_id=boss, since=helped.seq + 1, timeout=30)
    assert bound.text == t("zh", "start.bound", name="赵敏", role="协调员")
    assert helped.text == t("zh", "help.coordinator")
    assert draw.text == t("zh", "draw.choose_none")
    assert fake.calls_of("getUpdates") and fake.calls_of("setMyCommands")


async def test_serve_without_a_token_serves_http_alone(db_url, fake, tmp_path):
    async with serving(environment(db_url, tmp_path)) as (port, lines):
        assert await healthz(port) == {"status": "ok", "database": "ok"}
    assert lines[1] == "SSJ_TELEGRAM_TOKEN is not set: HTTP only, no Telegram bot"
    assert fake.calls == []


def free_port() -> int:
    # Webhook mode needs the port in the URL Telegram is given before the server starts.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_serve_in_webhook_mode_takes_updates_on_its_own_http_server(db_url, fake, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = environment(
        db_url,
        tmp_path,
        SSJ_TELEGRAM_TOKEN=fake.token,
        SSJ_TELEGRAM_API_URL=fake.url,
        SSJ_TELEGRAM_WEBHOOK_URL=url,
        SSJ_TELEGRAM_WEBHOOK_SECRET="serve-test-secret",
        SSJ_HTTP_PORT=str(port),
    )
    stranger = fake.new_user("路人")
    async with serving(env, port=None) as (bound_port, lines):
        assert bound_port == port and lines[1] == "Telegram bot: webhook at /telegram/hook"
        update = fake.inject_command(stranger, "help")
        await fake.wait_for_delivery(update, timeout=30)
        reply = await fake.wait_for("sendMessage", chat_id=stranger, timeout=30)
    assert reply.text == t("zh", "stranger")
    assert fake.updates.webhook.secret_token == "serve-test-secret"
    assert fake.calls_of("getUpdates") == []
