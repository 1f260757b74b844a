"""The fake's view of Telegram: users, chats, the messages in them and the files it stores."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from .media import photo_variants

# Real ids exceed 2**31; start above it so a 32-bit column breaks in the tests, not in production.
FIRST_USER_ID = 7_000_000_001
FIRST_SUPERGROUP_ID = -1_002_000_000_001
FIRST_GROUP_ID = -4_000_000_001
DOWNLOAD_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "zh-hans"
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out

    def chat(self) -> Chat:
        return Chat(self.id, "private", first_name=self.first_name, username=self.username)


@dataclass(frozen=True)
class Chat:
    id: int
    type: str  # private, group, supergroup, channel
    title: str | None = None
    first_name: str | None = None
    username: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "username"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_size: int  # declared size: may exceed len(content) to test the download limit

    def to_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


@dataclass
class World:
    bot: User
    users: dict[int, User] = field(default_factory=dict)
    chats: dict[int, Chat] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    files_by_path: dict[str, StoredFile] = field(default_factory=dict)
    download_limit: int = DOWNLOAD_LIMIT
    # (scope as canonical JSON, language_code) -> commands, as setMyCommands left them.
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    # callback query id -> answered?
    callback_queries: dict[str, bool] = field(default_factory=dict)
    _last_message_id: dict[int, int] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_id(self) -> int:
        return next(self._ids)

    def new_user(
        self,
        first_name: str = "测试用户",
        *,
        id: int | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> User:
        user_id = id if id is not None else FIRST_USER_ID + len(self.users)
        user = User(user_id, first_name, username=username, language_code=language_code)
        self.users[user.id] = user
        self.chats[user.id] = user.chat()
        return user

    def new_group(self, title: str = "测试群", *, supergroup: bool = True) -> Chat:
        n = sum(1 for c in self.chats.values() if c.id < 0)
        if supergroup:
            chat = Chat(FIRST_SUPERGROUP_ID - n, "supergroup", title=title)
        else:
            chat = Chat(FIRST_GROUP_ID - n, "group", title=title)
        self.chats[chat.id] = chat
        return chat

    def add_message(self, chat: Chat, sender: User, **content: Any) -> dict[str, Any]:
        """A new message in the chat; ids are per chat and shared by the user and the bot,
        as in Telegram's private chats."""
        message_id = self._last_message_id.get(chat.id, 0) + 1
        self._last_message_id[chat.id] = message_id
        message = {
            "message_id": message_id,
            "from": sender.to_dict(),
            "chat": chat.to_dict(),
            "date": int(time.time()),
            **content,
        }
        self.messages[(chat.id, message_id)] = message
        return message

    def add_file(self, content: bytes, kind: str, ext: str, size: int | None = None) -> StoredFile:
        n = self.next_id()
        stored = StoredFile(
            file_id=f"FAKE-{kind}-{n:06d}-{len(content)}",
            file_unique_id=f"U{kind[:2]}{n:06d}",
            content=content,
            file_path=f"{kind}/file_{n}.{ext}",
            file_size=size if size is not None else len(content),
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def photo_sizes(self, content: bytes, recompress: bool = True) -> list[dict[str, Any]]:
        sizes = []
        for variant in photo_variants(content, recompress):
            stored = self.add_file(variant.content, "photos", "jpg")
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": variant.width,
                    "height": variant.height,
                    "file_size": stored.file_size,
                }
            )
        return sizes

    def document(
        self, content: bytes, file_name: str, mime_type: str, size: int | None = None
    ) -> dict[str, Any]:
        ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = self.add_file(content, "documents", ext, size)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": stored.file_size,
        }
