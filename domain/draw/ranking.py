"""Ranking each drawn target's candidate inspectors by ticket: the bulk of a big draw's work
(one SHA-256 per target × inspector pair, some five million for a million-target campaign).

A `RankJob` is plain, picklable data, so `domain.draw.workers` can split it over processes;
`rank` gives the same answer wherever it runs.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace

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
    """`rank`, packed (see `unpack`)."""
    lengths, orders, keys = array("I"), array("I"), array("H")
    for order, key in rank(job):
        lengths.append(len(order))
        orders.extend(order)
        keys.extend(key)
    return lengths, orders, keys


def unpack(packed: Packed) -> list[Ranking]:
    """The rankings of `rank_packed`, as views of its arrays (no copies)."""
    lengths, orders, keys = packed
    order_view, key_view = memoryview(orders), memoryview(keys)
    found: list[Ranking] = []
    at = 0
    for length in lengths:
        found.append((order_view[at : at + length], key_view[at : at + length]))
        at += length
    return found


def head(order: array, keys: array) -> Ranking:
    """The first HEAD positions, and any after them that tie with the last (ties are settled
    by full ticket only once all of them are there)."""
    cut = HEAD
    while cut < len(keys) and keys[cut] == keys[cut - 1]:
        cut += 1
    return (order[:cut], keys[:cut]) if cut < len(order) else (order, keys)
