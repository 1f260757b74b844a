"""Reading a pressed button's callback data. Telegram hands back what the bot put there, but a
modified client can send anything up to 64 bytes: an id of 23 digits, or Unicode digits that
int() would read. Ids go through the domain's one rule (domain/rules/ids.py); a button that
names nothing raises BadButton, which the error handler answers on the button itself."""

from __future__ import annotations

import re

from domain.errors import UserError
from domain.rules.ids import parse_id

_INDEX = re.compile(r"[0-9]{1,4}", re.ASCII)


class BadButton(UserError):
    """Callback data that no button of this bot carries."""

    reason = "bad_button"

    def __init__(self) -> None:
        super().__init__("bad button")


def button_id(data: str, part: int = -1) -> int:
    """The id in `part` of callback data such as "i:acc:42"."""
    pieces = data.split(":")
    try:
        found = parse_id(pieces[part])
    except IndexError:
        found = None
    if found is None:
        raise BadButton
    return found


def button_index(text: str, size: int) -> int:
    """A position in a list of `size` choices shown as buttons."""
    if not _INDEX.fullmatch(text) or not 0 <= int(text) < size:
        raise BadButton
    return int(text)
