"""Ranking each drawn target's candidate inspectors by ticket: the bulk of a big draw's work
(one SHA-256 per target × inspector pair, some five million for a million-target campaign).

A `RankJob` is plain, picklable data, so `domain.draw.workers` can split it over processes;
`rank` gives the same answer wherever it runs.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import overload

from domain.draw.tickets import coarse_order

# Pool positions by coarse ticket key, and those keys (runs of equal keys still to settle):
# arrays, or views of `packed` arrays.
Ranking = tuple[Sequence[int], Sequence[int]]
# Many rankings as three flat arrays (lengths, positions 'I', keys 'H'): what a worker sends
# back. Tens of thousands of small arrays are costly to pickle and unpickle; three big ones
# are a copy of their bytes.
Packed = tuple[array, array, array]
# Ranked positions kept per target (and any that tie with the last): a team's walk down its
# ranking rarely goes far, since it stops at the first inspectors who meet the rules. The few
# walks that need more rank the target again in full (`teams`); the rest spare copying every
# position of every target between processes.
HEAD = 48


def team_seed(seed: str, credit_code: str) -> str:
    return f"{seed}/{credit_code}"


@dataclass(frozen=True)
class RankJob:
    seed: str
    encoded: list[bytes]  # the pool's cert numbers in UTF-8, in pool order
    bases: list[array]  # fit lists shared by many targets: pool positions ('I'), in pool order
    items: list[tuple[str, int, tuple[int, ...]]]  # (credit code, base number, positions out)

    def parts(self, count: int) -> list[RankJob]:
        size = -(-len(self.items) // max(count, 1))
        return [
            replace(self, items=self.items[start : start + size])
            for start in range(0, len(self.items), max(size, 1))
        ]


def rank(job: RankJob) -> list[Ranking]:
    """Each item's ranking, cut after its first HEAD positions (see `head`)."""
    rankings: list[Ranking] = []
    encoded, bases = job.encoded, job.bases
    for code, base_no, left_out in job.items:
        positions = bases[base_no]
        if left_out:
            out = set(left_out)
            positions = array("I", [p for p in positions if p not in out])
        rankings.append(head(*coarse_order(team_seed(job.seed, code), encoded, positions)))
    return rankings


def rank_packed(job: RankJob) -> Packed:
    """`rank`, packed (see `Unpacked`)."""
    lengths, orders, keys = array("I"), array("I"), array("H")
    for order, key in rank(job):
        lengths.append(len(order))
        orders.extend(order)
        keys.extend(key)
    return lengths, orders, keys


class Unpacked(Sequence[Ranking]):
    """The rankings of `rank_packed` parts, in order, each a pair of views of its part's arrays
    made when asked for: a big draw's tens of thousands of views, held all at once, took more
    memory than the arrays they view. `clear` lets the arrays go."""

    def __init__(self, parts: Sequence[Packed]) -> None:
        self._parts = list(parts)
        self._starts = list(accumulate((len(lengths) for lengths, _, _ in self._parts), initial=0))
        self._offsets = [array("Q", accumulate(lengths, initial=0)) for lengths, _, _ in parts]

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, n: int) -> Ranking: ...
    @overload
    def __getitem__(self, n: slice) -> list[Ranking]: ...
    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if not -len(self) <= n < len(self):
            raise IndexError(n)
        n %= len(self)
        part = bisect_right(self._starts, n) - 1
        _, orders, keys = self._parts[part]
        offsets, at = self._offsets[part], n - self._starts[part]
        start, end = offsets[at], offsets[at + 1]
        return memoryview(orders)[start:end], memoryview(keys)[start:end]

    def clear(self) -> None:
        self._parts, self._offsets, self._starts = [], [], [0]


def head(order: array, keys: array) -> Ranking:
    """The first HEAD positions, and any after them that tie with the last (ties are settled
    by full ticket only once all of them are there)."""
    cut = HEAD
    while cut < len(keys) and keys[cut] == keys[cut - 1]:
        cut += 1
    return (order[:cut], keys[:cut]) if cut < len(order) else (order, keys)
