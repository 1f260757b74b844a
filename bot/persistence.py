"""Half-finished conversations outlive a restart: each conversation's state and the few
user_data entries the conversations continue from are kept in the database
(domain/messaging/chat_state.py) as tagged JSON, never pickled. Everything else in user_data (the
session, caches, albums) is rebuilt by the handlers; bot_data holds live objects (settings,
the outbox sender) and is not kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.coordinator.reveal import DIALOGUE, DrawDialogue
from bot.coordinator.review import PENDING as REVIEW
from bot.inspector.handlers import CONFLICT
from bot.inspector.report import DRAFT
from bot.inspector.report_flow import Draft
from bot.inspector.unable import PENDING as UNABLE
from domain.messaging import chat_state as bot_state

# Values of persisted state are an inspector's answers: DEBUG at most, and keys only.
log = logging.getLogger(__name__)
USER = "user"
CONVERSATION = "conv:"
# The user_data entries a conversation needs to continue after a restart.
KEPT = (DRAFT, DIALOGUE, REVIEW, UNABLE, CONFLICT)
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (Draft, DrawDialogue)}
SCALARS: dict[str, tuple[type, Callable[[str], Any]]] = {
    # datetime before date: a datetime is a date too.
    "datetime": (dt.datetime, dt.datetime.fromisoformat),
    "date": (dt.date, dt.date.fromisoformat),
    "time": (dt.time, dt.time.fromisoformat),
}
# Written within a second of a change, so that a crash (not only a stop) loses little.
UPDATE_INTERVAL = 1.0


def encode(value: Any) -> Any:
    """JSON for the value: containers and known classes tagged with "$"; TypeError otherwise."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$": "dict", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (tuple, set, frozenset)):
        tag = "tuple" if isinstance(value, tuple) else "set"
        return {"$": tag, "v": [encode(v) for v in value]}
    for tag, (cls, _) in SCALARS.items():
        if isinstance(value, cls):
            return {"$": tag, "v": value.isoformat()}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and CLASSES.get(name) is type(value):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$": name, "v": fields}
    raise TypeError(f"cannot keep a {name} in the bot's state: add it to bot/persistence.py")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag, inner = value["$"], value["v"]
    if tag == "dict":
        return {decode(k): decode(v) for k, v in inner}
    if tag == "tuple":
        return tuple(decode(v) for v in inner)
    if tag == "set":
        return {decode(v) for v in inner}
    if tag in SCALARS:
        return SCALARS[tag][1](inner)
    return CLASSES[tag](**{k: decode(v) for k, v in inner.items()})


def kept(data: dict[str, Any]) -> dict[str, Any]:
    """The persisted part of a user's data, encoded; an entry that cannot be is left out."""
    out = {}
    for key in KEPT:
        if key in data:
            try:
                out[key] = encode(data[key])
            except TypeError as error:
                log.warning("user data %s not kept: %s", key, error)
    return out


class NotKept(Exception):
    """Writing the state failed. PTB logs this with its traceback (bot/enroll.py on_error);
    the database's own error may quote the value, an inspector's answers, so it is left out."""


@asynccontextmanager
async def storing(what: str) -> AsyncIterator[None]:
    try:
        yield
    except Exception as error:
        raise NotKept(f"{what} not kept: {type(error).__name__}") from None


def restored(user_id: int, value: dict[str, Any]) -> dict[str, Any]:
    """A user's kept entries; one written by an older version that no longer fits (a class
    changed) is dropped, and the user starts that conversation again, rather than the bot not
    starting at all."""
    out = {}
    for key, entry in value.items():
        try:
            out[key] = decode(entry)
        except (KeyError, TypeError, ValueError) as error:
            log.warning("kept user data %s of user %s dropped: %s", key, user_id, type(error))
    return out


class DatabasePersistence(BasePersistence):
    def __init__(self, update_interval: float = UPDATE_INTERVAL):
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, callback_data=False),
            update_interval=update_interval,
        )
        self._written: dict[int, str] = {}  # what the database holds, to skip unchanged writes

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        rows = await bot_state.load(USER)
        self._written = {int(k): json.dumps(v, sort_keys=True) for k, v in rows.items()}
        return {int(k): restored(int(k), value) for k, value in rows.items()}

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        value = kept(data)
        text = json.dumps(value, sort_keys=True)
        if self._written.get(user_id, "{}") == text:
            return
        async with storing(f"user data of user {user_id}"):
            if value:
                await bot_state.save(USER, str(user_id), value)
            else:
                await bot_state.drop(USER, str(user_id))
        self._written[user_id] = text
        log.debug("kept user data %s for user %s", sorted(value), user_id)

    async def drop_user_data(self, user_id: int) -> None:
        await bot_state.drop(USER, str(user_id))
        self._written.pop(user_id, None)

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """One process owns the state: memory is never behind the database."""

    async def get_conversations(self, name: str) -> dict[tuple, object]:
        rows = await bot_state.load(CONVERSATION + name)
        return {tuple(json.loads(key)): decode(state) for key, state in rows.items()}

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        kind, row = CONVERSATION + name, json.dumps(list(key))
        async with storing(f"state of {kind} {row}"):
            if new_state is None:
                await bot_state.drop(kind, row)
            else:
                await bot_state.save(kind, row, encode(new_state))

    # Not kept (PersistenceInput above): PTB does not call these with data.
    async def get_chat_data(self) -> dict[int, Any]:
        return {}

    async def update_chat_data(self, chat_id: int, data: Any) -> None:
        pass

    async def drop_chat_data(self, chat_id: int) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: Any) -> None:
        pass

    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def update_bot_data(self, data: Any) -> None:
        pass

    async def refresh_bot_data(self, bot_data: Any) -> None:
        pass

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        pass

    async def flush(self) -> None:
        """Every update is written as it comes: nothing is buffered."""
