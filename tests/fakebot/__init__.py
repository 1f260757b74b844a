"""A fake Telegram Bot API server for tests and benches (no pytest imports here).

async with FakeBotAPI() as fake:
    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url)
        .base_file_url(fake.base_file_url).build()
    alice = fake.new_user("Alice")
    fake.inject_command(alice, "tasks")
    reply = await fake.wait_for("sendMessage", chat_id=alice)
"""

from .faults import (
    Fault,
    RateLimits,
    Violation,
    blocked,
    hang,
    server_error,
    too_many_requests,
)
from .records import Call, UploadedFile
from .server import DEFAULT_TOKEN, FakeBotAPI
from .updates import Delivery
from .world import Chat, StoredFile, User

__all__ = [
    "DEFAULT_TOKEN",
    "Call",
    "Chat",
    "Delivery",
    "FakeBotAPI",
    "Fault",
    "RateLimits",
    "StoredFile",
    "UploadedFile",
    "User",
    "Violation",
    "blocked",
    "hang",
    "server_error",
    "too_many_requests",
]
