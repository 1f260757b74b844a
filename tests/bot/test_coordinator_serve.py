"""`shuangsuiji serve` in its own process: the HTTP server and the bot in one event loop,
enrolled and talked to through the fake Bot API, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

from bot.i18n import t

ROOT = Path(__file__).resolve().parents[2]
SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+)/")


def environment(db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSJ_")}
    env.update(
        SSJ_DB_URL=db_url,
        SSJ_DATA_DIR=str(data_dir),
        SSJ_LOG_LEVEL="WARNING",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        **extra,
    )
    return env


async def cli(env: dict[str, str], *args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    return out.decode()


@contextlib.asynccontextmanager
async def serving(
    env: dict[str, str], port: int | None = 0
) -> AsyncIterator[tuple[int, list[str]]]:
    """The port it serves on (any free one by default; None: SSJ_HTTP_PORT), and the lines it
    printed; stopped by SIGTERM, which must end it cleanly (exit 0, "stopped")."""
    args = ["serve", "--host", "127.0.0.1"] + ([] if port is None else ["--port", str(port)])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", *args,
        env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    lines: list[str] = []
    try:
        first = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        found = SERVING.search(first)
        assert found, first + (await proc.stderr.read()).decode()
        lines.append(first.strip())
        lines.append((await asyncio.wait_for(proc.stdout.readline(), 10)).decode().strip())
        yield int(found.group(1)), lines
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert out.decode().strip().endswith("stopped")


async def healthz(port: int) -> dict:
    async with aiohttp.ClientSession() as client:
        async with client.get(f"http://127.0.0.1:{port}/healthz") as resp:
            assert resp.status == 200
            return await resp.json()


async def test_serve_runs_http_and_the_bot_in_one_process(db_url, fake, tmp_path):
    env = environment(db_url, tmp_path)
    await cli(env, "demo")
    added = await cli(env, "coordinator", "add", "赵敏", "--department", "419800")
    coordinator_id = re.search(r"编号 (\d+)", added).group(1)
    invited = await cli(env, "invite", "coordinator", coordinator_id, "--as", coordinator_id)
    code = re.search(r"邀请码 \(shown once\): (\S+)", invited).group(1)
    boss = fake.new_user("赵敏")
    bot_env = environment(
        db_url, tmp_path, SSJ_TELEGRAM_TOKEN=fake.token, SSJ_TELEGRAM_API_URL=fake.url
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
