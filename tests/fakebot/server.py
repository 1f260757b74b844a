"""A fake Telegram Bot API on loopback that a real python-telegram-bot Application talks to."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiohttp import web

from . import messages, settings  # noqa: F401  (register the methods)
from .faults import ApiError, Fault, FaultRule, Faults, RateLimiter, RateLimits, Violation
from .incoming import Injector
from .params import read_params
from .records import Call, Recorder, chat_key
from .registry import HANDLERS, Ctx
from .updates import Delivery, UpdateQueue
from .world import User, World

log = logging.getLogger(__name__)
DEFAULT_TOKEN = "7100000001:FAKE-token-for-shuangsuiji-tests"
_CANONICAL = {name.lower(): name for name in [*HANDLERS, "getUpdates"]}


class FakeBotAPI(Injector):
    """Start with `async with FakeBotAPI() as fake:` (or start()/stop()), then point PTB at
    fake.base_url / fake.base_file_url."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "ssj_test_bot",
        bot_name: str = "双随机抽查",
        rate_limits: RateLimits | None = None,
        webhook_retry_delay: float = 0.2,
    ):
        self.token = token
        bot = User(int(token.split(":")[0]), bot_name, bot_username, None, None, True)
        self.world = World(bot=bot)
        self.updates = UpdateQueue()
        self.recorder = Recorder()
        self.faults = Faults()
        self.rate_limiter = RateLimiter(rate_limits) if rate_limits else None
        self.unhandled: set[str] = set()
        self._webhook_retry_delay = webhook_retry_delay
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._delivery_task: asyncio.Task[None] | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> FakeBotAPI:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        # Cancel a handler when its client hangs up, so abandoned long polls and held
        # requests end with their client.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=2.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.updates.on_delivery = self.recorder.changed
        self._delivery_task = asyncio.create_task(
            self.updates.deliver_webhooks(self._webhook_retry_delay), name="fakebot-webhooks"
        )
        return self

    async def stop(self) -> None:
        self._closing.set()
        self.updates.closing = True
        self.updates.poke()
        if self._delivery_task is not None:
            self._delivery_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery_task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def bot(self) -> User:
        return self.world.bot

    # -- what was called ---------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self.recorder.calls

    def calls_of(self, method: str | None = None) -> list[Call]:
        return self.recorder.of(method)

    def messages(self, method: str | None = None, chat_id: Any = None) -> list[Call]:
        return self.recorder.messages(method, chat_id)

    def sent_to(self, chat_id: Any) -> list[Call]:
        return self.recorder.sent_to(chat_id)

    def mark(self) -> int:
        return self.recorder.mark()

    async def wait_for(self, what: Any, **kwargs: Any) -> Call:
        return await self.recorder.wait_for(what, **kwargs)

    async def wait_for_all(self, what: Any, **kwargs: Any) -> list[Call]:
        return await self.recorder.wait_for_all(what, **kwargs)

    async def wait_until(self, check: Any, timeout: float = 5.0) -> Any:  # noqa: ASYNC109
        return await self.recorder.wait_until(check, timeout)

    def my_commands(self, scope: Any = None, language_code: str = "") -> list[dict[str, Any]]:
        return self.world.commands.get(settings.scope_key(scope, language_code), [])

    @property
    def deliveries(self) -> list[Delivery]:
        return self.updates.deliveries

    async def wait_for_delivery(
        self,
        update: dict[str, Any],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Delivery:
        """The first successful webhook POST of this update."""
        uid = update["update_id"]

        def delivered() -> Delivery | None:
            return next(
                (d for d in self.deliveries if d.update_id == uid and d.status == 200), None
            )

        return await self.recorder.wait_until(delivered, timeout)

    # -- failures ----------------------------------------------------------------------------

    def fail_next(
        self, method: str | None, fault: Fault, *, times: int = 1, chat_id: Any = None
    ) -> None:
        """The next `times` calls of `method` (None: any method but getUpdates), to `chat_id`
        if given, fail with `fault`. Rules are tried in the order they were added."""
        key = None if chat_id is None else chat_key(chat_id)
        self.faults.rules.append(FaultRule(method, fault, times, key))

    def block(self, chat: Any) -> None:
        """The user blocked the bot: anything sent to that chat gets 403 until unblock()."""
        self.faults.blocked_chats.add(chat_key(chat))

    def unblock(self, chat: Any) -> None:
        self.faults.blocked_chats.discard(chat_key(chat))

    def enforce_rate_limits(self, limits: RateLimits | None = None) -> RateLimiter:
        self.rate_limiter = RateLimiter(limits or RateLimits())
        return self.rate_limiter

    @property
    def violations(self) -> list[Violation]:
        return self.rate_limiter.violations if self.rate_limiter else []

    # -- HTTP --------------------------------------------------------------------------------

    def _execute(self, call: Call) -> None:
        handler = HANDLERS.get(call.method)
        if handler is None:
            log.warning("fakebot: %s is not implemented; answered true", call.method)
            self.unhandled.add(call.method)
            call.result = True
        else:
            call.result = handler(Ctx(self.world, self.updates, call.params, call.files))
        call.delivered = True

    async def _api(self, request: web.Request) -> web.StreamResponse:
        arrived = asyncio.get_running_loop().time()
        name = request.match_info["method"]
        method = _CANONICAL.get(name.lower(), name)
        params, files = await read_params(request)
        call = Call(method, params, files, arrived)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if method == "getUpdates":
                call.result = await self.updates.get_updates(params, arrived)
            else:
                await self._act(call, arrived)
        except ApiError as error:
            if call.seq < 0:  # a held call was recorded when it started to hang
                call.status, call.description = error.status, error.description
                await self.recorder.record(call)
            return web.json_response(error.body(), status=error.status)
        await self.recorder.record(call)
        return web.json_response({"ok": True, "result": call.result})

    async def _act(self, call: Call, arrived: float) -> None:
        fault = self.faults.take(call.method, call.params)
        if fault is None:
            if self.rate_limiter is not None:
                self.rate_limiter.check(call.method, call.params, arrived)
            self._execute(call)
            return
        if fault.delivered:
            self._execute(call)
        if not fault.hang:
            raise fault.error()
        call.status = None
        await self.recorder.record(call)
        # Held until the client gives up (the handler is then cancelled) or the server stops.
        await self._closing.wait()
        raise ApiError(502, "Bad Gateway")

    async def _download(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        call = Call("download", {"file_path": path}, {}, asyncio.get_running_loop().time())
        stored = self.world.files_by_path.get(path)
        if request.match_info["token"] != self.token or stored is None:
            call.status = 404
            await self.recorder.record(call)
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        call.result, call.delivered = len(stored.content), True
        await self.recorder.record(call)
        return web.Response(body=stored.content, content_type="application/octet-stream")
