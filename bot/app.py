"""Building and running the bot: polling by default, or a webhook served by the field API's
aiohttp server; either way in the same event loop as that server.

    runtime = attach(aiohttp_app, settings)   # before the aiohttp app starts

`attach` starts the bot, the outbox sender and the reminder job with the aiohttp app
(`cleanup_ctx`) and stops them with it. The database must be connected before (tortoise binds
its state to the task that initialised it).
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import logging
import os
import re
import secrets
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot import commands, enroll
from bot.coordinator import handlers as coordinator
from bot.delivery import reminders
from bot.delivery.render import Renderer
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.inspector import handlers as inspector
from bot.persistence import DatabasePersistence
from bot.renderers import renderer_table
from bot.session import SENDER, SETTINGS
from domain.config import ConfigError, Settings

# PTB 22 gives RetryAfter.retry_after as a timedelta only when asked (PTB 23's behaviour).
os.environ.setdefault("PTB_TIMEDELTA", "1")
# httpx logs every request's URL at INFO, and the URL holds the bot token.
logging.getLogger("httpx").setLevel(logging.WARNING)

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Updates are remembered by id in a bigint column (deduplication).
MAX_UPDATE_ID = 2**63 - 1
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"

Installer = Callable[[Application], None]
# Each audience's module adds its handlers here, after enrollment (renderers: bot/renderers.py).
INSTALLERS: list[Installer] = [enroll.install, coordinator.install, inspector.install]


@dataclasses.dataclass(frozen=True)
class BotConfig:
    sender: SenderConfig = dataclasses.field(default_factory=SenderConfig)
    reminder_interval: float = 30.0
    poll_timeout: int = 30  # long-polling getUpdates
    # Telegram allows about 30 messages/s. Paced at exactly 30/s, the jitter between our
    # timer and a request's arrival puts a 31st message into some one-second window; a
    # little under it costs little and never trips the limit (bench/notify.py measures it).
    overall_rate: float = 29.0


def api_urls(api_url: str) -> tuple[str, str]:
    """(base_url, base_file_url) for PTB from the root of a Bot API server, e.g. a
    self-hosted telegram-bot-api at http://127.0.0.1:8081."""
    root = api_url.rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    settings: Settings,
    *,
    webhook: bool = False,
    installers: Sequence[Installer] | None = None,
    overall_rate: float = BotConfig.overall_rate,
) -> Application:
    if not settings.telegram_token:
        raise ConfigError("SSJ_TELEGRAM_TOKEN is not set: the bot cannot start")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        # A leaky bucket holding one message: evenly spaced, without the bursts PTB's default
        # (30 per second, all at once) lets through; a 429 is retried up to three times.
        .rate_limiter(
            AIORateLimiter(overall_max_rate=1, overall_time_period=1 / overall_rate, max_retries=3)
        )
        # Half-finished conversations and their drafts are in the database (bot/persistence.py).
        .persistence(DatabasePersistence())
    )
    if settings.telegram_api_url:
        base_url, base_file_url = api_urls(settings.telegram_api_url)
        builder = builder.base_url(base_url).base_file_url(base_file_url)
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    application.bot_data[SETTINGS] = settings
    for install in INSTALLERS if installers is None else installers:
        install(application)
    enroll.install_fallback(application)
    return application


class BotRuntime:
    """The Application with its outbox sender and jobs, started and stopped as one.
    `renderers`: the outbox kinds it renders (default: the bot's own, bot/renderers.py)."""

    def __init__(
        self,
        settings: Settings,
        config: BotConfig | None = None,
        installers: Sequence[Installer] | None = None,
        renderers: Mapping[str, Renderer] | None = None,
    ):
        self.settings = settings
        self.config = config or BotConfig()
        self.webhook_url = settings.telegram_webhook_url
        self.secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
        if not SECRET_RE.match(self.secret):
            raise ConfigError(
                "SSJ_TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256)"
            )
        self.application = build_application(
            settings,
            webhook=bool(self.webhook_url),
            installers=installers,
            overall_rate=self.config.overall_rate,
        )
        table = renderer_table() if renderers is None else renderers
        self.sender = OutboxSender(self.application.bot, table, self.config.sender)
        self.application.bot_data[SENDER] = self.sender

    def username(self) -> str | None:
        """The bot's username once it has started (getMe answered), None before."""
        try:
            return self.application.bot.username
        except RuntimeError:  # PTB: the bot is not initialised yet
            return None

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook_url).path or DEFAULT_WEBHOOK_PATH

    async def start(self) -> None:
        app = self.application
        await app.initialize()
        await commands.set_default_menus(app.bot)
        await app.start()
        if self.webhook_url:
            await app.bot.set_webhook(self.webhook_url, secret_token=self.secret)
            log.info("Telegram bot @%s: webhook at %s", app.bot.username, self.webhook_path)
        else:
            assert app.updater is not None
            await app.updater.start_polling(timeout=self.config.poll_timeout)
            log.info("Telegram bot @%s: polling", app.bot.username)
        reminders.schedule(app, self.config.reminder_interval)
        self.sender.start()

    async def stop(self) -> None:
        app = self.application
        await self.sender.stop()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def handle_webhook(self, request: web.Request) -> web.Response:
        """One update from Telegram. Refusals raise aiohttp's HTTP errors, which the field
        API's middleware answers as problem details; whatever the body, nothing else escapes."""
        header = request.headers.get(SECRET_HEADER, "")
        # Header bytes that are not UTF-8 arrive as lone surrogates: still comparable.
        if not hmac.compare_digest(header.encode("utf-8", "surrogateescape"), self.secret.encode()):
            raise web.HTTPForbidden(text="wrong secret token")
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="an update is application/json")
        try:
            data = json.loads(await request.read())
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested absurdly deep
            raise web.HTTPBadRequest(text="not JSON") from None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if isinstance(update_id, bool) or not isinstance(update_id, int):
            raise web.HTTPBadRequest(text="not an update: no integer update_id")
        if not 0 <= update_id <= MAX_UPDATE_ID:
            raise web.HTTPBadRequest(text="update_id out of range")
        try:
            update = Update.de_json(data, self.application.bot)
        except Exception:  # PTB fails in many ways (KeyError, TypeError, ...) on a bad shape
            raise web.HTTPBadRequest(text="not an update") from None
        if update is None:
            raise web.HTTPBadRequest(text="not an update")
        await self.application.update_queue.put(update)
        return web.Response()


BOT_RUNTIME = web.AppKey("bot_runtime", BotRuntime)


def attach(
    app: web.Application,
    settings: Settings,
    config: BotConfig | None = None,
    installers: Sequence[Installer] | None = None,
) -> BotRuntime:
    """Run the bot with this aiohttp app: in webhook mode (SSJ_TELEGRAM_WEBHOOK_URL set) it
    adds the POST route of that URL's path; otherwise it polls. Call before the app starts."""
    runtime = BotRuntime(settings, config, installers)
    if runtime.webhook_url:
        app.router.add_post(runtime.webhook_path, runtime.handle_webhook)

    async def lifetime(_: web.Application) -> AsyncIterator[None]:
        try:
            await runtime.start()
        except BaseException:
            await runtime.stop()  # whatever part had started
            raise
        try:
            yield
        finally:
            await runtime.stop()

    app.cleanup_ctx.append(lifetime)
    app[BOT_RUNTIME] = runtime
    return runtime
