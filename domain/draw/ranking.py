"""Ranking each drawn target's candidate inspectors by ticket: the bulk of a big draw's work
(one SHA-256 per target × inspector pair, some five million for a million-target campaign).

A `RankJob` is plain, picklable data, so `domain.draw.workers` can split it over processes;
`rank` gives the same answer wherever it runs.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, replace

from domain.draw.tickets import coarse_order

# Pool positions by coarse ticket key, and those keys (runs of equal keys still to settle).
Ranking = tuple[array, array]


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
    rankings: list[Ranking] = []
    encoded, bases = job.encoded, job.bases
    for code, base_no, left_out in job.items:
        positions = bases[base_no]
        if left_out:
            out = set(left_out)
            positions = array("I", [p for p in positions if p not in out])
        rankings.append(coarse_order(team_seed(job.seed, code), encoded, positions))
    return rankings
