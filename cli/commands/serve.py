"""`serve`: the HTTP server and, when SSJ_TELEGRAM_TOKEN is set, the Telegram bot, in one event
loop. The bot polls by default; with SSJ_TELEGRAM_WEBHOOK_URL it is fed by a route of the same
HTTP server. SIGTERM or SIGINT stops both cleanly (the outbox sender finishes what is in
flight; anything unsent stays in the database)."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    import asyncio

    from domain.config import Settings


def _stop_on_signals(stop: asyncio.Event) -> None:
    import asyncio
    import contextlib
    import signal

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on every platform
            loop.add_signal_handler(sig, stop.set)


async def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from aiohttp import web

    from cli.commands.db import connected
    from field_api.app import BOT_USERNAME, OUTBOX_WAKE, create_app

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
        help="运行 HTTP 服务（设置 SSJ_TELEGRAM_TOKEN 时同时运行机器人） "
        "(run the HTTP server, and the bot when SSJ_TELEGRAM_TOKEN is set)",
        description="在 SSJ_HTTP_HOST:SSJ_HTTP_PORT（默认 127.0.0.1:8080）提供现场 API 和公示页面；"
        "设置 SSJ_TELEGRAM_TOKEN 时在同一进程运行 Telegram 机器人。先执行未完成的迁移；"
        "SIGTERM 或 Ctrl-C 停止。(Serve the field API and public pages, and the Telegram bot "
        "in the same process when SSJ_TELEGRAM_TOKEN is set: polling; a webhook on this server "
        "with SSJ_TELEGRAM_WEBHOOK_URL; another Bot API server with SSJ_TELEGRAM_API_URL. "
        "Applies pending migrations first. Stops on SIGTERM or Ctrl-C.)",
    )
    p.add_argument(
        "--host", metavar="ADDRESS", help="监听地址，默认 SSJ_HTTP_HOST (default SSJ_HTTP_HOST)"
    )
    p.add_argument(
        "--port",
        type=int,
        metavar="PORT",
        help="端口，默认 SSJ_HTTP_PORT；0 为任一空闲端口 (default SSJ_HTTP_PORT; 0: any free port)",
    )
    p.set_defaults(run=run_serve)
