"""Ids that arrive from outside (a URL, a JSON body, a button's callback data, a command's
argument): what counts as one.

Every table's id is a PostgreSQL `integer`, so an id beyond 2**31-1 can name no row; SQLite
would even fail on one beyond 64 bits. Python's int() also reads Unicode digits (`١`, `𝟏`)
and str.isdigit() accepts `²`, which int() then refuses: only ASCII digits make an id, so a
forged `١` never quietly means row 1.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1  # PostgreSQL integer, the type of every id column
# At most 10 ASCII digits: anything longer is out of range whatever its value.
_ID = re.compile(r"[0-9]{1,10}", re.ASCII)


def parse_id(text: object) -> int | None:
    """The id written in `text` (ASCII digits, 1..MAX_ID, no sign, no spaces inside), or None.
    An int is accepted as is when in range (JSON numbers); a bool is not an id."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 1 <= text <= MAX_ID else None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def in_range(value: int) -> bool:
    """Whether an integer could be an id at all."""
    return 1 <= value <= MAX_ID


def shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a message or a log: cut short, and with control characters and lone
    surrogates escaped, so that a hostile value neither floods nor breaks what shows it."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return ascii(cut) if not cut.isprintable() or _has_surrogate(cut) else repr(cut)


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)
