"""The field API through a real aiohttp server and client, as an inspector's app uses it:
a bearer token issued by the domain function the CLI uses, and requests that carry it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer

from domain.config import Settings
from domain.people import api_tokens
from domain.rules.access import Actor
from field_api.app import OUTBOX_WAKE, create_app


@asynccontextmanager
async def serving(
    settings: Settings, wake: Callable[[], None] | None = None
) -> AsyncIterator[TestClient]:
    """`wake`: what the app calls to deliver queued outbox messages (a bot's sender)."""
    app = create_app(settings)
    if wake is not None:
        app[OUTBOX_WAKE] = wake
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def token_for(issuer: Actor, person: Actor) -> str:
    """`shuangsuiji token issue`'s domain call, for an inspector."""
    return (await api_tokens.issue_token(issuer, "inspector", person.id)).token


class Field:
    """One inspector's app: every request with their token (and a key when given)."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.token = token

    def headers(self, key: str | None = None, **extra: str) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", **extra}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers

    async def get(self, path: str, **extra: str):
        return await self.client.get("/api/v1" + path, headers=self.headers(**extra))

    async def post(self, path: str, body: Any = None, key: str | None = None):
        return await self.client.post("/api/v1" + path, json=body, headers=self.headers(key))

    async def put(self, path: str, body: Any, key: str | None = None):
        return await self.client.put("/api/v1" + path, json=body, headers=self.headers(key))

    async def upload(
        self,
        task_id: int,
        data: bytes,
        name: str = "photo.jpg",
        key: str | None = None,
        caption: str | None = None,
        content_type: str = "image/jpeg",
    ):
        form = FormData()
        form.add_field("file", data, filename=name, content_type=content_type)
        if caption is not None:
            form.add_field("caption", caption)
        return await self.client.post(
            f"/api/v1/tasks/{task_id}/evidence", data=form, headers=self.headers(key)
        )
