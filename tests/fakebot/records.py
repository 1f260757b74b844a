"""What the fake Bot API saw: every call with its parsed parameters, uploads and outcome, and
awaitable waits on them (an asyncio.Condition notified on each change, never polling)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

# Methods that put a new message into a chat (what a user would see arrive).
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)
EDIT_METHODS = frozenset(
    {"editMessageText", "editMessageCaption", "editMessageReplyMarkup", "editMessageMedia"}
)


@dataclass(frozen=True)
class UploadedFile:
    field: str
    filename: str | None
    content_type: str
    content: bytes


@dataclass
class Call:
    """One request to the fake. `status` is the HTTP status answered (None: never answered,
    the request was held until the client gave up); `delivered` says whether its effect
    happened (a message exists in the chat), which can be true even without an answer."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    time: float
    status: int | None = 200
    result: Any = None
    description: str | None = None
    delivered: bool = False
    seq: int = -1

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        return self.params.get("text", self.params.get("caption"))

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The Message objects this call produced (several for a media group)."""
        if isinstance(self.result, list):
            return self.result
        if isinstance(self.result, dict) and "message_id" in self.result:
            return [self.result]
        return []

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.params.items() if k != "reply_markup"}
        return f"<Call #{self.seq} {self.method} {self.status} {shown}>"


def chat_key(chat: Any) -> Any:
    """Accepts an id, a User/Chat of the fake, or a PTB object with `.id`."""
    return getattr(chat, "id", chat)


def _matcher(what: str | Callable[[Call], bool], chat_id: Any) -> Callable[[Call], bool]:
    base = (lambda c: c.method == what) if isinstance(what, str) else what
    if chat_id is None:
        return base
    wanted = chat_key(chat_id)
    return lambda c: c.chat_id == wanted and base(c)


@dataclass
class Recorder:
    calls: list[Call] = field(default_factory=list)
    _cond: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def record(self, call: Call) -> Call:
        async with self._cond:
            call.seq = len(self.calls)
            self.calls.append(call)
            self._cond.notify_all()
        return call

    async def changed(self) -> None:
        """Wake the waiters after a change that is not a call (a webhook delivery...)."""
        async with self._cond:
            self._cond.notify_all()

    def mark(self) -> int:
        """A position to pass as `since=` so a wait ignores what happened before."""
        return len(self.calls)

    def of(self, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if method is None or c.method == method]

    def messages(self, method: str | None = None, chat_id: Any = None) -> list[Call]:
        """Delivered calls that created or changed a message, oldest first."""
        wanted = chat_key(chat_id)
        return [
            c
            for c in self.calls
            if c.delivered
            and c.method in SEND_METHODS | EDIT_METHODS
            and (method is None or c.method == method)
            and (chat_id is None or c.chat_id == wanted)
        ]

    def sent_to(self, chat_id: Any) -> list[Call]:
        """Delivered sends into this chat, oldest first (edits excluded)."""
        return [c for c in self.messages(chat_id=chat_id) if c.method in SEND_METHODS]

    # The waits take timeout= (ruff's ASYNC109 prefers asyncio.timeout) so a test reads as one
    # line, and so that a wait that never resolves fails with the list of recent calls.
    async def wait_until(
        self,
        check: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> T:
        """Resolve with check()'s first truthy value, re-checked at each recorded change."""
        value: T | None = None

        def ready() -> bool:
            nonlocal value
            value = check()
            return bool(value)

        async with self._cond:
            try:
                await asyncio.wait_for(self._cond.wait_for(ready), timeout)
            except TimeoutError:
                recent = ", ".join(f"{c.method}:{c.status}" for c in self.calls[-12:])
                raise TimeoutError(
                    f"fakebot: condition not met within {timeout}s; last calls: {recent}"
                ) from None
        assert value is not None
        return value

    async def wait_for(
        self,
        what: str | Callable[[Call], bool],
        *,
        chat_id: Any = None,
        count: int = 1,
        since: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Call:
        """The `count`-th call recorded from position `since` on that is `what` (a method
        name or a predicate over Call), to `chat_id` if given."""
        found = await self.wait_for_all(
            what, chat_id=chat_id, count=count, since=since, timeout=timeout
        )
        return found[-1]

    async def wait_for_all(
        self,
        what: str | Callable[[Call], bool],
        *,
        chat_id: Any = None,
        count: int = 1,
        since: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        match = _matcher(what, chat_id)
        found: list[Call] = []
        pos = since

        # Scans only the calls added since the last wake-up, so waiting for the 1000th message
        # of a bench stays linear.
        def check() -> list[Call] | None:
            nonlocal pos
            while pos < len(self.calls) and len(found) < count:
                if match(self.calls[pos]):
                    found.append(self.calls[pos])
                pos += 1
            return found if len(found) >= count else None

        return await self.wait_until(check, timeout)
