"""Checking a hash chain of audit entries: plain values in, the first break out (no IO).

The hash is defined in `domain.audit.log`'s docstring; `link_hash` is that definition.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from enum import StrEnum

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Link:
    """One entry as stored: `at` already formatted, JSON columns as their stored text."""

    seq: int
    at: str
    actor: str
    action: str
    object_kind: str
    object_id: str
    before: str | None
    after: str | None
    data: str
    prev_hash: str
    hash: str


def hashed_text(link: Link) -> str:
    return json.dumps(
        {
            "action": link.action,
            "actor": link.actor,
            "after": link.after,
            "at": link.at,
            "before": link.before,
            "data": link.data,
            "object_id": link.object_id,
            "object_kind": link.object_kind,
            "prev_hash": link.prev_hash,
            "seq": link.seq,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def link_hash(link: Link) -> str:
    """The hash the entry must carry (its own `hash` field is not part of it)."""
    return hashlib.sha256(hashed_text(link).encode("utf-8")).hexdigest()


def sealed(link: Link) -> Link:
    """`link` with its hash filled in."""
    return replace(link, hash=link_hash(link))


class Problem(StrEnum):
    EDITED = "edited"  # content does not match the entry's own hash
    LINK = "link"  # prev_hash is not the previous entry's hash: deleted/inserted/reordered
    GAP = "gap"  # seq numbers missing: deleted
    TRUNCATED = "truncated"  # the head records entries past the last one: tail deleted
    EXTENDED = "extended"  # entries past the head: added without the lock
    HEAD = "head"  # the head row is missing or names another hash


@dataclass(frozen=True)
class VerifyResult:
    entries: int  # entries found sound, in order from seq 1 (all of them when ok)
    head_seq: int  # seq and hash of the last sound entry
    head_hash: str
    problem: Problem | None = None
    broken_seq: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        if self.ok:
            return f"audit chain OK: {self.entries} entries, head {self.head_hash} (审计链完整)"
        return (
            f"audit chain BROKEN at entry {self.broken_seq} ({self.problem}) 审计链被破坏: "
            f"{self.detail}"
        )


class ChainChecker:
    """Feed links in seq order; `feed` returns False at the first break."""

    def __init__(self) -> None:
        self.count = 0
        self.last_seq = 0
        self.last_hash = GENESIS_HASH
        self.broken: VerifyResult | None = None

    def _break(self, problem: Problem, seq: int, detail: str) -> bool:
        self.broken = VerifyResult(self.count, self.last_seq, self.last_hash, problem, seq, detail)
        return False

    def feed(self, link: Link) -> bool:
        if self.broken:
            return False
        expected = self.last_seq + 1
        if link.seq > expected:
            return self._break(
                Problem.GAP,
                expected,
                f"第 {expected}–{link.seq - 1} 条缺失，已被删除 "
                f"(entries {expected}..{link.seq - 1} are missing: deleted; "
                f"the next present entry is {link.seq})",
            )
        if link.seq < expected:
            return self._break(
                Problem.LINK,
                link.seq,
                f"序号 {link.seq} 出现在应为 {expected} 的位置，条目被插入或重新编号 (seq "
                f"{link.seq} found where {expected} was expected: inserted or renumbered)",
            )
        if link.prev_hash != self.last_hash:
            return self._break(
                Problem.LINK,
                link.seq,
                f"第 {link.seq} 条的 prev_hash 与第 {self.last_seq} 条的哈希不符："
                f"其前的条目被删除、插入或调换，或第 {self.last_seq} 条被改写 "
                f"(entry {link.seq} does not link to "
                f"entry {self.last_seq}: an entry was deleted, inserted or reordered before it, "
                f"or entry {self.last_seq} was rewritten)",
            )
        if link_hash(link) != link.hash:
            return self._break(
                Problem.EDITED,
                link.seq,
                f"第 {link.seq} 条的内容与其哈希不符，已被修改 (entry {link.seq} was edited: its "
                "content does not match its hash)",
            )
        self.count += 1
        self.last_seq = link.seq
        self.last_hash = link.hash
        return True

    def result(self, head: tuple[int, str] | None) -> VerifyResult:
        """The verdict once every entry was fed; `head` is the head row's (seq, hash)."""
        if self.broken:
            return self.broken
        last = self.last_seq
        if head is None:
            if last == 0:
                return VerifyResult(0, 0, GENESIS_HASH)
            return self._result(
                Problem.HEAD, last, "链头记录缺失 (the chain head record is missing)"
            )
        head_seq, head_hash = head
        if head_seq > last:
            return self._result(
                Problem.TRUNCATED,
                last + 1,
                f"链在第 {last} 条结束，而链头记录到第 {head_seq} 条：末尾的条目被删除 (the chain "
                f"ends at entry {last} but the head records entry {head_seq}: entries "
                f"{last + 1}..{head_seq} were deleted from the end)",
            )
        if head_seq < last:
            return self._result(
                Problem.EXTENDED,
                head_seq + 1,
                f"链头记录到第 {head_seq} 条，其后的条目未经审计日志写入 (the head records entry "
                f"{head_seq}: entries {head_seq + 1}..{last} were added outside the audit log)",
            )
        if head_hash != self.last_hash:
            return self._result(
                Problem.HEAD,
                last,
                f"第 {last} 条的哈希与链头记录不符，最后一条被替换 (entry {last}'s hash differs "
                "from the head's: the last entry was replaced)",
            )
        return VerifyResult(self.count, last, self.last_hash)

    def _result(self, problem: Problem, seq: int, detail: str) -> VerifyResult:
        self._break(problem, seq, detail)
        assert self.broken is not None
        return self.broken
