"""`serve`: the HTTP server and, when SSJ_TELEGRAM_TOKEN is set, the Telegram bot, in one event
loop. The bot polls by default; with SSJ_TELEGRAM_WEBHOOK_URL it is fed by a route of the same
HTTP server. SIGTERM or SIGINT stops both cleanly (the outbox sender finishes what is in
flight; anything unsent stays in the database)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from cli.commands.db import connected
from domain.config import Settings
from field_api.app import BOT_USERNAME, OUTBOX_WAKE, create_app

log = logging.getLogger(__name__)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on every platform
            loop.add_signal_handler(sig, stop.set)


async def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    host = args.host or settings.http_host
    port = settings.http_port if args.port is None else args.port
    stop = asyncio.Event()
    _stop_on_signals(stop)
    # The database first: tortoise binds its state to the task that initialised it, and the
    # bot's handlers and outbox sender run in tasks started after this.
    async with connected(settings):
        app = create_app(settings)
        runtime = None
        if settings.telegram_token:
            from bot.app import attach  # the bot's dependencies load only when it runs

            runtime = attach(app, settings)
            app[BOT_USERNAME] = runtime.username  # deep links in the API's invites
            app[OUTBOX_WAKE] = runtime.sender.wake  # what an API write queued goes out now
        runner = web.AppRunner(app)
        await runner.setup()  # starts the bot too (the app's cleanup_ctx)
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
            bound = runner.addresses[0][1] if runner.addresses else port
            print(f"serving on http://{host}:{bound}/ (GET /healthz)", flush=True)
            if runtime is None:
                print("SSJ_TELEGRAM_TOKEN is not set: HTTP only, no Telegram bot", flush=True)
            elif runtime.webhook_url:
                print(f"Telegram bot: webhook at {runtime.webhook_path}", flush=True)
            else:
                print("Telegram bot: polling for updates", flush=True)
            await stop.wait()
        finally:
            await runner.cleanup()
    print("stopped", flush=True)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="run the HTTP server (and the bot when SSJ_TELEGRAM_TOKEN is set)",
        description="Serve the field API and public pages on SSJ_HTTP_HOST:SSJ_HTTP_PORT "
        "(127.0.0.1:8080 by default), and the Telegram bot in the same process when "
        "SSJ_TELEGRAM_TOKEN is set (polling; a webhook on this server with "
        "SSJ_TELEGRAM_WEBHOOK_URL; another Bot API server with SSJ_TELEGRAM_API_URL). "
        "Applies pending migrations first. Stops on SIGTERM or Ctrl-C.",
    )
    p.add_argument("--host", help="address to listen on (default SSJ_HTTP_HOST)")
    p.add_argument(
        "--port", type=int, help="port to listen on (default SSJ_HTTP_PORT; 0: any free port)"
    )
    p.set_defaults(run=run_serve)
