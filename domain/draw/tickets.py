"""Consistent sampling tickets, as Ronald Rivest's `consistent_sampler` (1.0.10) computes them.

For a seed S and an id I: H = SHA-256 hex digest of S; the ticket is SHA-256 of (H + I) read as
an integer, written in decimal zero-padded to at least 64 digits, the digits reversed, and read
as the fraction "0.ddd...". Objects are drawn in increasing ticket order (ties, which need equal
78-digit tickets, by id). A ticket depends only on the seed and the id, so adding or removing an
object never reorders the others.

Speed: comparing tickets only needs their leading digits, which are the *lowest* decimal digits
of the hash, so a cheap key is `hash mod 10^18`, digits reversed. Full tickets are computed only
where those 18-digit keys tie.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable

KEY_DIGITS = 18
_MOD = 10**KEY_DIGITS


def seed_hash(seed: str) -> str:
    return hashlib.sha256(str(seed).encode("utf-8")).hexdigest()


def ticket(seed: str, object_id: str) -> str:
    """The ticket number of `object_id` under `seed`, exactly as consistent_sampler prints it."""
    digest = hashlib.sha256((seed_hash(seed) + str(object_id)).encode("utf-8")).hexdigest()
    return "0." + f"{int(digest, 16):064d}"[::-1]


class Ticketer:
    """Tickets for many ids under one seed, hashing the seed once."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self._base = hashlib.sha256(seed_hash(seed).encode("utf-8"))

    def number(self, object_id: str) -> int:
        h = self._base.copy()
        h.update(str(object_id).encode("utf-8"))
        return int.from_bytes(h.digest(), "big")

    def key(self, object_id: str) -> str:
        """The first 18 digits of the ticket: orders tickets except when two keys are equal."""
        return f"{self.number(object_id) % _MOD:018d}"[::-1]

    def ticket(self, object_id: str) -> str:
        return "0." + f"{self.number(object_id):064d}"[::-1]


def smallest(ids: Iterable[str], seed: str, take: int) -> list[tuple[str, str]]:
    """The `take` ids with the smallest tickets, in ticket order, as (id, ticket)."""
    if take <= 0:
        return []
    ticketer = Ticketer(seed)
    keyed = [(ticketer.key(i), i) for i in ids]
    if take >= len(keyed):
        chosen = keyed
    else:
        chosen = heapq.nsmallest(take, keyed)
        boundary = chosen[-1][0]
        # Anything sharing the boundary key might belong in the sample: decide on full tickets.
        tied = [k for k in keyed if k[0] == boundary]
        if len(tied) > 1:
            chosen = [k for k in chosen if k[0] < boundary] + tied
    full = sorted((ticketer.ticket(i), i) for _, i in chosen)[:take]
    return [(i, t) for t, i in full]


def ordered(ids: Iterable[str], seed: str) -> list[tuple[str, str]]:
    """Every id in ticket order, as (id, ticket)."""
    ticketer = Ticketer(seed)
    return [(i, t) for t, i in sorted((ticketer.ticket(i), i) for i in ids)]
