"""Bot API methods the fake implements, by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .records import UploadedFile
from .updates import UpdateQueue
from .world import World


@dataclass
class Ctx:
    world: World
    updates: UpdateQueue
    params: dict[str, Any]
    files: dict[str, UploadedFile]


Handler = Callable[[Ctx], Any]
HANDLERS: dict[str, Handler] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register
