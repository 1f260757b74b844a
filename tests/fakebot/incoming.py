"""What users do, as updates queued for the bot. Each inject_* returns the update as JSON (a
dict; a list for an album), with its update_id; files it mentions are stored and downloadable."""

from __future__ import annotations

import copy
import mimetypes
from typing import Any

from .records import Call
from .updates import UpdateQueue
from .world import Chat, User, World


class Injector:
    world: World
    updates: UpdateQueue

    def new_user(
        self,
        first_name: str = "测试用户",
        *,
        id: int | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> User:
        """A user (id above 2**31 by default) whose private chat with the bot exists."""
        return self.world.new_user(
            first_name, id=id, username=username, language_code=language_code
        )

    def new_group(self, title: str = "测试群", *, supergroup: bool = True) -> Chat:
        return self.world.new_group(title, supergroup=supergroup)

    def inject_update(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update, e.g. {"edited_message": {...}}; update_id is added."""
        return self.updates.push(body)

    def _message(self, user: User, chat: Chat | None, **content: Any) -> dict[str, Any]:
        message = self.world.add_message(chat or user.chat(), user, **content)
        return self.inject_update({"message": copy.deepcopy(message)})

    def inject_text(
        self, user: User, text: str, *, chat: Chat | None = None, **extra: Any
    ) -> dict[str, Any]:
        return self._message(user, chat, text=text, **extra)

    def inject_command(
        self,
        user: User,
        command: str,
        args: str = "",
        *,
        chat: Chat | None = None,
        at_bot: bool = False,
    ) -> dict[str, Any]:
        """`/command args`, with the bot_command entity PTB's CommandHandler requires."""
        head = "/" + command.lstrip("/")
        if at_bot:
            head += f"@{self.world.bot.username}"
        text = f"{head} {args}" if args else head
        entity = {"type": "bot_command", "offset": 0, "length": len(head)}
        return self._message(user, chat, text=text, entities=[entity])

    def inject_start(self, user: User, payload: str = "") -> dict[str, Any]:
        """What Telegram sends when a user opens t.me/<bot>?start=<payload>."""
        return self.inject_command(user, "start", payload)

    def inject_callback(
        self,
        user: User,
        message: Call | dict[str, Any],
        data: str | None = None,
        *,
        text: str | None = None,
    ) -> dict[str, Any]:
        """Press a button (chosen by callback_data or label) of a message the bot sent. Fails
        if that message, in its current state, has no such button."""
        sent = message.messages[-1] if isinstance(message, Call) else message
        key = (sent["chat"]["id"], sent["message_id"])
        current = self.world.messages.get(key)
        if current is None:
            raise LookupError(f"fakebot: message {key} does not exist (deleted?)")
        buttons = [
            b for row in current.get("reply_markup", {}).get("inline_keyboard", []) for b in row
        ]
        chosen = next(
            (
                b
                for b in buttons
                if "callback_data" in b
                and (data is None or b["callback_data"] == data)
                and (text is None or b["text"] == text)
            ),
            None,
        )
        if chosen is None:
            raise LookupError(f"fakebot: no button data={data!r} text={text!r} in {buttons}")
        query_id = str(10**15 + self.world.next_id())
        self.world.callback_queries[query_id] = False
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "chat_instance": str(abs(key[0]) * 7 + 3),
            "data": chosen["callback_data"],
            "message": copy.deepcopy(current),
        }
        return self.inject_update({"callback_query": query})

    def inject_location(
        self,
        user: User,
        latitude: float,
        longitude: float,
        *,
        chat: Chat | None = None,
        horizontal_accuracy: float | None = None,
    ) -> dict[str, Any]:
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        return self._message(user, chat, location=location)

    def inject_photo(
        self,
        user: User,
        image: bytes,
        *,
        caption: str | None = None,
        chat: Chat | None = None,
        media_group_id: str | None = None,
        recompress: bool = True,
    ) -> dict[str, Any]:
        """A compressed photo: several PhotoSize entries, recompressed without EXIF as Telegram
        does (recompress=False keeps the bytes as they are at one size)."""
        content: dict[str, Any] = {"photo": self.world.photo_sizes(image, recompress)}
        if caption:
            content["caption"] = caption
        if media_group_id:
            content["media_group_id"] = media_group_id
        return self._message(user, chat, **content)

    def inject_document(
        self,
        user: User,
        content: bytes,
        file_name: str,
        mime_type: str | None = None,
        *,
        caption: str | None = None,
        chat: Chat | None = None,
        file_size: int | None = None,
        media_group_id: str | None = None,
    ) -> dict[str, Any]:
        """A file sent as a document (bytes kept as they are, EXIF included). file_size may
        declare more than len(content), to meet the Bot API's 20 MB download limit cheaply."""
        mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        body: dict[str, Any] = {
            "document": self.world.document(content, file_name, mime, file_size)
        }
        if caption:
            body["caption"] = caption
        if media_group_id:
            body["media_group_id"] = media_group_id
        return self._message(user, chat, **body)

    def inject_media_group(
        self,
        user: User,
        images: list[bytes],
        *,
        caption: str | None = None,
        chat: Chat | None = None,
        recompress: bool = True,
    ) -> list[dict[str, Any]]:
        """An album: one update per photo sharing a media_group_id, the caption on the first."""
        group_id = str(10**17 + self.world.next_id())
        return [
            self.inject_photo(
                user,
                image,
                caption=caption if i == 0 else None,
                chat=chat,
                media_group_id=group_id,
                recompress=recompress,
            )
            for i, image in enumerate(images)
        ]
