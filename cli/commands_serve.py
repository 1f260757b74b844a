"""`serve`: the HTTP server (and, later, the bot) in one event loop."""

from __future__ import annotations

import argparse
import asyncio
import logging

from aiohttp import web

from cli.commands_db import connected
from domain.config import Settings
from field_api.app import create_app

log = logging.getLogger(__name__)


async def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    host = args.host or settings.http_host
    port = args.port or settings.http_port
    async with connected(settings):
        runner = web.AppRunner(create_app(settings))
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        print(f"serving on http://{host}:{port}/ (GET /healthz)", flush=True)
        if not settings.telegram_token:
            print("SSJ_TELEGRAM_TOKEN is not set: HTTP only, no Telegram bot", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="run the HTTP server (and the bot when SSJ_TELEGRAM_TOKEN is set)",
        description="Serve the field API and public pages on SSJ_HTTP_HOST:SSJ_HTTP_PORT "
        "(127.0.0.1:8080 by default). Applies pending migrations first.",
    )
    p.add_argument("--host", help="address to listen on (default SSJ_HTTP_HOST)")
    p.add_argument("--port", type=int, help="port to listen on (default SSJ_HTTP_PORT)")
    p.set_defaults(run=run_serve)
