"""Line breaking for Chinese text: break between any two characters, keep Latin words and
numbers whole, and follow the basic 禁则 (no closing punctuation at a line start, no opening
punctuation at a line end)."""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·％%,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")

# Credit codes, certificate numbers, dates and Latin words stay on one line when they fit.
_TOKEN = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|[A-Za-z0-9][A-Za-z0-9\-_./:@#]*|\s+|.", re.DOTALL)

Measure = Callable[[str], float]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _split_wide(token: str, width: float, measure: Measure) -> list[str]:
    """A single token wider than a line (a long URL, say) is cut by characters."""
    pieces: list[str] = []
    current = ""
    for ch in token:
        if current and measure(current + ch) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap_paragraph(
    text: str, width: float, measure: Measure, first_width: float | None = None
) -> list[str]:
    """Lines of one paragraph (no newlines): the first at most `first_width`, others `width`."""
    limit = width if first_width is None else first_width
    lines: list[list[str]] = [[]]
    used = 0.0
    pending = tokens(text)
    pending.reverse()
    while pending:
        token = pending.pop()
        line = lines[-1]
        if token.isspace() and not line:
            continue
        w = measure(token)
        if used + w <= limit or not line:
            if w > limit and not line and len(token) > 1:
                for piece in reversed(_split_wide(token, limit, measure)):
                    pending.append(piece)
                continue
            line.append(token)
            used += w
            continue
        if not token.isspace():
            pending.append(token)
        # 禁则: carry characters down rather than start a line with closing punctuation or end
        # one with opening punctuation; a lone token is never moved, so every line progresses.
        # Spaces at the break go, also those a carried character leaves at the line's end.
        while True:
            while len(line) > 1 and line[-1].isspace():
                line.pop()
            if len(line) > 1 and (
                (pending and pending[-1] in NO_LINE_START) or line[-1] in NO_LINE_END
            ):
                pending.append(line.pop())
                continue
            break
        lines.append([])
        limit = width
        used = 0.0
    return ["".join(line).rstrip() for line in lines if line] or [""]


def wrap_text(
    text: str, width: float, measure: Measure, first_width: float | None = None
) -> list[str]:
    """Lines of `text`; each newline starts a new paragraph (with its own first line)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(wrap_paragraph(paragraph, width, measure, first_width))
    return out
