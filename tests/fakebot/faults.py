"""Failures on demand and Telegram's flood limits."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .records import SEND_METHODS


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class Fault:
    """What a failing call does: answer `status`, or with hang=True never answer (held until
    the client gives up or the server stops). delivered=True applies the call's effect first:
    the message exists although the client saw a failure, as when Telegram's answer is lost."""

    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    hang: bool = False
    delivered: bool = False

    def error(self) -> ApiError:
        return ApiError(self.status, self.description, self.retry_after)


def too_many_requests(retry_after: int = 1, delivered: bool = False) -> Fault:
    return Fault(
        429, f"Too Many Requests: retry after {retry_after}", retry_after, False, delivered
    )


def server_error(status: int = 500, delivered: bool = False) -> Fault:
    phrase = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    return Fault(status, phrase.get(status, "Server Error"), delivered=delivered)


def blocked() -> Fault:
    return Fault(403, "Forbidden: bot was blocked by the user")


def hang(delivered: bool = False) -> Fault:
    return Fault(status=0, description="held", hang=True, delivered=delivered)


@dataclass
class FaultRule:
    method: str | None  # None: any method but getUpdates
    fault: Fault
    remaining: int
    chat_id: Any = None

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.remaining <= 0:
            return False
        if self.method is None and method == "getUpdates":
            return False
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


@dataclass
class Faults:
    rules: list[FaultRule] = field(default_factory=list)
    blocked_chats: set[Any] = field(default_factory=set)

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        for rule in self.rules:
            if rule.matches(method, params):
                rule.remaining -= 1
                return rule.fault
        chat_id = params.get("chat_id")
        if chat_id is not None and chat_id in self.blocked_chats:
            return blocked()
        return None


@dataclass(frozen=True)
class RateLimits:
    """At most `count` messages in any sliding window of `seconds`, overall, per chat and per
    group. Telegram documents about 30/s overall, 1/s per chat, 20/min per group; `slack`
    shortens each window to forgive timer jitter between a client pacing exactly at the
    limit and the moment its request arrives."""

    overall: tuple[int, float] = (30, 1.0)
    per_chat: tuple[int, float] | None = (1, 1.0)
    per_group: tuple[int, float] | None = (20, 60.0)
    slack: float = 0.0


@dataclass(frozen=True)
class Violation:
    time: float
    method: str
    chat_id: Any
    rule: str  # "overall", "per_chat" or "per_group"
    retry_after: int


class _Window:
    def __init__(self, count: int, seconds: float):
        self.count, self.seconds = count, seconds
        self.times: deque[float] = deque()

    def wait_needed(self, now: float, slack: float) -> float:
        """Seconds until one more fits; 0 if it fits now."""
        while self.times and self.times[0] <= now - (self.seconds - slack):
            self.times.popleft()
        excess = len(self.times) + 1 - self.count
        if excess <= 0:
            return 0.0
        oldest_to_leave = self.times[excess - 1]
        return max(oldest_to_leave + self.seconds - now, 0.001)


@dataclass
class RateLimiter:
    limits: RateLimits
    violations: list[Violation] = field(default_factory=list)
    _overall: _Window | None = None
    _chats: dict[Any, _Window] = field(default_factory=dict)

    def check(self, method: str, params: dict[str, Any], now: float) -> None:
        """Count an accepted message, or raise 429 and record the violation."""
        if method not in SEND_METHODS:
            return
        # An album counts as one message: it is one request, and counting its items against
        # a 1-per-second chat limit would forbid albums altogether.
        chat_id = params.get("chat_id")
        if self._overall is None:
            self._overall = _Window(*self.limits.overall)
        windows = [("overall", self._overall)]
        chat_limit = self.limits.per_group if _is_group(chat_id) else self.limits.per_chat
        if chat_limit is not None and chat_id is not None:
            if chat_id not in self._chats:
                self._chats[chat_id] = _Window(*chat_limit)
            rule = "per_group" if _is_group(chat_id) else "per_chat"
            windows.append((rule, self._chats[chat_id]))
        for rule, window in windows:
            wait = window.wait_needed(now, self.limits.slack)
            if wait:
                retry_after = max(1, math.ceil(wait))
                self.violations.append(Violation(now, method, chat_id, rule, retry_after))
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        for _, window in windows:
            window.times.append(now)


def _is_group(chat_id: Any) -> bool:
    return isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
