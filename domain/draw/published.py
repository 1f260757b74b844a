"""The record hash published on the task notice, against a record file.

Internal consistency cannot tell a forged record from the published one: whoever renames the
campaign or edits an exclusion count recomputes `record_hash` too. The hash someone copied from
the notice can.
"""

from __future__ import annotations

import re

from domain.draw.record import VerifyFailed, canonical, texts_hash
from domain.errors import UserError

__all__ = ["match_published", "published_hash"]


def published_hash(text: str) -> str:
    """A record hash as someone copies it from a notice: 64 hex digits, either case, maybe in
    groups separated by spaces (as the CLI prints it)."""
    digits = re.sub(r"\s+", "", text).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digits):
        raise UserError(
            f"--expect-hash 应为 64 位十六进制的记录哈希 (must be the 64 hex digit record hash), "
            f"不是 {text!r}"
        )
    return digits


def match_published(record: dict, expected: str) -> int:
    """How many of the record's amendments the published hash `expected` covers: all of them if
    it is the hash of the record's content as it stands (its own record_hash is not trusted);
    fewer if it was published before later recusals were appended (an amendment changes
    nothing but the list of amendments, so the record as it stood then is this one without
    the later ones, and `replay` recomputes those). VerifyFailed names both hashes otherwise."""
    parts = {k: canonical(v) for k, v in record.items() if k != "record_hash"}
    computed = texts_hash(parts)
    amendments = record.get("amendments")
    if not isinstance(amendments, list):
        amendments = []
    if computed == expected:
        return len(amendments)
    for n in range(len(amendments)):
        if texts_hash({**parts, "amendments": canonical(amendments[:n])}) == expected:
            return n
    raise VerifyFailed(
        f"哈希不符，这不是公布的那份记录 (hash mismatch): expected {expected}, computed {computed}"
    )
