"""`shuangsuiji serve` in a process of its own (the installed console script), as an office
runs it: stopped by SIGTERM, which must end it cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

from tests.kit.cli import SCRIPT

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


@contextlib.asynccontextmanager
async def serving(
    env: dict[str, str], port: int | None = 0
) -> AsyncIterator[tuple[int, list[str]]]:
    """The port it serves on (any free one by default; None: SSJ_HTTP_PORT), and the lines it
    printed; stopped by SIGTERM, which must end it cleanly (exit 0, "stopped")."""
    args = ["serve", "--host", "127.0.0.1"] + ([] if port is None else ["--port", str(port)])
    proc = await asyncio.create_subprocess_exec(
        str(SCRIPT), *args, env=env, cwd=env["SSJ_DATA_DIR"],
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
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
