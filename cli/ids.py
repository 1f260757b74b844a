"""Ids on the command line (`--as 3`, `token revoke 12`): read by the domain's one rule, so
that `--as ١` or a 23-digit id is refused by argparse with a message, not a traceback."""

from __future__ import annotations

import argparse

from domain.rules.ids import MAX_ID, parse_id, shown


def record_id(text: str) -> int:
    found = parse_id(text)
    if found is None:
        raise argparse.ArgumentTypeError(
            f"编号应为 1 到 {MAX_ID} 之间的数字（ASCII），收到 {shown(text)} "
            f"(an id is ASCII digits from 1 to {MAX_ID})"
        )
    return found
