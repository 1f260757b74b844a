"""Idempotency keys: a person's retried write returns the first answer and changes nothing.

A client that did not hear the answer (a lost connection in a basement) sends the same request
again with the same key. The first successful answer is kept with the key, per person, in the
database: written in the same transaction as the change, so either both are there or neither,
and a restart forgets nothing. The same key with a different request is refused. A refusal
(4xx) is not kept: it changed nothing, so sending the request again is safe and may succeed
once the reason is gone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.errors import UserError
from domain.rules.access import Actor
from domain.storage.models import IdempotentRequest

MAX_KEY = 200


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # JSON-able
    replayed: bool = False  # the kept answer of an earlier request with this key

    @property
    def kept(self) -> bool:
        return 200 <= self.status < 300


class KeyReused(UserError):
    """The key was used for a different request by this person."""

    def __init__(self) -> None:
        super().__init__(
            "该幂等键已用于另一个不同的请求，请为新请求使用新的键 "
            "(this Idempotency-Key was used for a different request: use a new key)"
        )


def fingerprint(*parts: str | bytes) -> str:
    """A digest of what identifies a request (method, path, body or its digest)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise UserError(
            f"Idempotency-Key 应为 1 到 {MAX_KEY} 个可见字符 (1 to {MAX_KEY} printable characters)"
        )
    return key


async def _kept(owner: str, key: str, fingerprint_: str) -> Answer | None:
    found = await IdempotentRequest.get_or_none(owner=owner, key=key)
    if found is None:
        return None
    if found.fingerprint != fingerprint_:
        raise KeyReused()
    return Answer(found.status, json.loads(found.body), replayed=True)


async def once(
    actor: Actor,
    key: str | None,
    fingerprint_: str,
    action: Callable[[], Awaitable[Answer]],
    *,
    atomic: bool = True,
) -> Answer:
    """Run `action` unless this person already made this request under `key`; then return
    the kept answer. `atomic`: run it inside the transaction that keeps its answer (its own
    transactions become part of it). An action whose change is idempotent by itself (evidence,
    under a key of its own) and slow (a photo being inspected) runs outside it instead, and
    its answer is kept after it: a retry after a crash in between makes no second change."""
    if key is None:
        return await action()
    key, owner = check_key(key), actor.label
    if (kept := await _kept(owner, key, fingerprint_)) is not None:
        return kept
    try:
        if not atomic:
            answer = await _run_once_more_on_conflict(action)
            if answer.kept:
                await _keep(owner, key, fingerprint_, answer)
            return answer
        async with in_transaction():
            answer = await action()
            if answer.kept:
                await _keep(owner, key, fingerprint_, answer)
        return answer
    except IntegrityError:
        # A concurrent request with the same key won; its change stands, this one rolled back.
        if (kept := await _kept(owner, key, fingerprint_)) is not None:
            return kept
        raise


async def _run_once_more_on_conflict(action: Callable[[], Awaitable[Answer]]) -> Answer:
    """A concurrent request with the same key can make the change between this one's check
    and its write (the unique key of the change refuses the second): run again, the action
    then finds the change made and answers as the first did."""
    try:
        return await action()
    except IntegrityError:
        return await action()


async def _keep(owner: str, key: str, fingerprint_: str, answer: Answer) -> None:
    await IdempotentRequest.create(
        owner=owner,
        key=key,
        fingerprint=fingerprint_,
        status=answer.status,
        body=json.dumps(answer.body, ensure_ascii=False),
    )
