"""Output for people: columns aligned on a terminal, where a CJK character takes two cells;
`--json` for programs."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from typing import Any


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def left(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def right(text: str, size: int) -> str:
    return " " * max(0, size - width(text)) + text


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Collection[int] = (),
    indent: str = "  ",
) -> list[str]:
    """Header and rows, columns two spaces apart; numeric columns right-aligned."""
    sizes = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            right(str(cell), sizes[i])
            if i in numeric and row is not header
            else left(str(cell), sizes[i])
            for i, cell in enumerate(row)
        ]
        lines.append(indent + "  ".join(cells).rstrip())
    return lines


def print_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], empty: str, numeric: Collection[int] = ()
) -> None:
    if not rows:
        print(empty)
        return
    print("\n".join(table(header, rows, numeric, indent="")))


def print_json(data: Any) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
