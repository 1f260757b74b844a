"""Consistent sampling tickets, as Ronald Rivest's `consistent_sampler` (1.0.10) computes them.

For a seed S and an id I, the package computes

    H = SHA-256 hex digest of S (UTF-8)                      64 lowercase hex characters
    n = SHA-256 of (H + I) (UTF-8), read as a big-endian integer
    ticket = "0." + reversed("{:064d}".format(n))             64 to 78 decimal digits

and draws objects in increasing order of its ticket tuples (ticket string, id, generation):
tickets are compared *as strings*. We reproduce that order exactly: (ticket string, id).

Speed, without changing the order:
- H is exactly one SHA-256 block (64 bytes): it is compressed once per seed and the hash state
  copied for every id, which halves the hashing work.
- The *coarse key* of a ticket is its first four digits: the last four decimal digits of n,
  reversed, looked up in a 10,000-entry table from `n % 10000`. Every ticket has at least 64
  digits, so integer order of coarse keys is string order of 4-character prefixes: when two
  coarse keys differ, the tickets are in coarse order. Only ids that tie at a boundary, or that
  are kept, pay for the full decimal conversion (the costly step).
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

try:  # CPython's built-in SHA-256 (3.12+: _sha2, 3.11: _sha256); the same function
    from _sha2 import sha256 as _fast_sha256
except ImportError:  # pragma: no cover - depends on the interpreter
    try:
        from _sha256 import sha256 as _fast_sha256
    except ImportError:
        _fast_sha256 = hashlib.sha256

try:  # Built by `pip install` where a C compiler and OpenSSL's headers are found (pyproject).
    from domain.draw import _fastticket
except ImportError:  # pragma: no cover - depends on the build
    _fastticket = None  # type: ignore[assignment]
# The same keys either way; tests switch this off to compare the two.
ACCELERATED = _fastticket is not None

COARSE_DIGITS = 4
_COARSE_MOD = 10**COARSE_DIGITS
_REVERSED = [int(f"{m:0{COARSE_DIGITS}d}"[::-1]) for m in range(_COARSE_MOD)]


def seed_hash(seed: str) -> str:
    return hashlib.sha256(str(seed).encode("utf-8")).hexdigest()


def ticket(seed: str, object_id: str) -> str:
    """The ticket number of `object_id` under `seed`, exactly as consistent_sampler computes it
    (before its display trimming)."""
    digest = hashlib.sha256((seed_hash(seed) + str(object_id)).encode("utf-8")).hexdigest()
    return "0." + f"{int(digest, 16):064d}"[::-1]


class Ticketer:
    """Tickets for many ids under one seed, hashing the seed once."""

    __slots__ = ("_hashed", "_prefix", "seed")

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self._prefix = seed_hash(seed).encode("utf-8")
        # Made when first needed: a draw makes a Ticketer per drawn target, and the C paths
        # take the prefix itself.
        self._hashed = None

    @property
    def _base(self):
        if self._hashed is None:
            self._hashed = _fast_sha256(self._prefix)
        return self._hashed

    def number(self, object_id: str) -> int:
        h = self._base.copy()
        h.update(str(object_id).encode("utf-8"))
        return int.from_bytes(h.digest(), "big")

    def ticket(self, object_id: str) -> str:
        if ACCELERATED:
            return _fastticket.tickets(self._prefix, [object_id])[0]
        return "0." + f"{self.number(object_id):064d}"[::-1]

    def tickets(self, ids: Sequence[str]) -> list[str]:
        """`ticket` of each id, in input order (one C call for all, where built)."""
        if ACCELERATED:
            return _fastticket.tickets(self._prefix, list(ids))
        return [self.ticket(i) for i in ids]

    def coarse(self, ids: Iterable[str]) -> list[int]:
        """The first COARSE_DIGITS digits of each id's ticket, as integers, in input order."""
        return self.coarse_encoded([i.encode("utf-8") for i in ids])

    def coarse_encoded(self, encoded: Iterable[bytes]) -> list[int]:
        """`coarse` for ids already encoded in UTF-8 (callers that rank the same ids often)."""
        if ACCELERATED:
            keys = array("H")
            keys.frombytes(_fastticket.coarse(self._prefix, list(encoded)))
            return keys.tolist()
        # Millions of short hashes per draw: hashing first, then converting, keeps each loop
        # tight (and `_fast_sha256` copies its state faster than OpenSSL's).
        copy = self._base.copy
        digests: list[bytes] = []
        append = digests.append
        for data in encoded:
            h = copy()
            h.update(data)
            append(h.digest())
        table, from_bytes = _REVERSED, int.from_bytes
        return [table[from_bytes(d, "big") % _COARSE_MOD] for d in digests]


def _coarse_bound(coarse: list[int], take: int) -> int:
    """The coarse key of the take-th smallest ticket: every ticket above it is out."""
    counts = Counter(coarse)
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= take:
            return value
    return _COARSE_MOD


def smallest(ids: Sequence[str], seed: str, take: int) -> list[tuple[str, str]]:
    """The `take` ids with the smallest tickets, in ticket order, as (id, ticket): the first
    `take` that consistent_sampler's `sampler(ids, seed)` yields."""
    if take <= 0 or not ids:
        return []
    ticketer = Ticketer(seed)
    if ACCELERATED:
        near = [ids[p] for p in _fastticket.bounded(ticketer._prefix, list(ids), take)]
    else:
        coarse = ticketer.coarse(ids)
        bound = _coarse_bound(coarse, take)
        near = [i for c, i in zip(coarse, ids, strict=True) if c <= bound]
    return _first_by_ticket(ticketer, near, take)


def smallest_in_lines(text: str, seed: str, take: int) -> list[tuple[str, str]]:
    """`smallest` of the ids in `text`, one per line (a frozen stratum as stored): a million
    ids need not become a million Python strings first."""
    if take <= 0 or not text:
        return []
    if not ACCELERATED:
        return smallest(text.split("\n"), seed, take)
    ticketer = Ticketer(seed)
    return _first_by_ticket(ticketer, _fastticket.bounded_lines(ticketer._prefix, text, take), take)


def _first_by_ticket(ticketer: Ticketer, near: list[str], take: int) -> list[tuple[str, str]]:
    kept = sorted(zip(ticketer.tickets(near), near, strict=True))
    return [(i, t) for t, i in kept[:take]]


def in_order(
    ids: Sequence[str], seed: str, encoded: Sequence[bytes] | None = None
) -> Iterator[tuple[str, str]]:
    """Every id in ticket order, as (id, ticket), lazily: a full ticket is computed only when
    its coarse group is reached, so taking the first few of many is cheap. `encoded`: the ids
    in UTF-8, if the caller has them."""
    utf8 = list(encoded) if encoded is not None else [i.encode("utf-8") for i in ids]
    order, keys = coarse_order(seed, utf8, array("I", range(len(ids))))
    ticketer = Ticketer(seed)
    for position in settle(seed, order, keys, ids):
        yield ids[position], ticketer.ticket(ids[position])


def coarse_order(seed: str, encoded: list[bytes], positions: array) -> tuple[array, array]:
    """`positions` (array 'I') of the UTF-8 ids `encoded`, sorted by coarse key, and those keys
    (array 'H'). Runs of equal keys are still to be settled by (ticket, id): `settle` does it
    for the runs a caller reaches, so ranking many and reading few stays cheap."""
    ticketer = Ticketer(seed)
    order, keys = array("I"), array("H")
    if ACCELERATED:
        found = _fastticket.coarse_order(ticketer._prefix, encoded, positions)
        order.frombytes(found[0])
        keys.frombytes(found[1])
        return order, keys
    coarse = ticketer.coarse_encoded([encoded[p] for p in positions])
    ranked = sorted(range(len(coarse)), key=coarse.__getitem__)
    order.extend(positions[r] for r in ranked)
    keys.extend(coarse[r] for r in ranked)
    return order, keys


def settle(
    seed: str, order: Sequence[int], keys: Sequence[int], ids: Sequence[str]
) -> Iterator[int]:
    """The positions of `coarse_order` in exact ticket order, lazily; `ids[p]` is the id at
    position p."""
    ticketer: Ticketer | None = None
    start, end = 0, len(order)
    while start < end:
        stop = start + 1
        while stop < end and keys[stop] == keys[start]:
            stop += 1
        if stop == start + 1:
            yield order[start]
        else:
            ticketer = ticketer or Ticketer(seed)
            run = list(order[start:stop])
            named = [ids[p] for p in run]
            tied = sorted(zip(ticketer.tickets(named), named, run, strict=True))
            yield from (p for _, _, p in tied)
        start = stop


def ordered(ids: Iterable[str], seed: str) -> list[tuple[str, str]]:
    """Every id in ticket order, as (id, ticket)."""
    ids = list(ids)
    return [(i, t) for t, i in sorted(zip(Ticketer(seed).tickets(ids), ids, strict=True))]


def trim(ticket_number: str, digits: int = 9) -> str:
    """consistent_sampler's display form: `digits` significant digits after any leading 9s."""
    padded = ticket_number + "0"
    first_non_9 = next(i for i in range(2, len(padded)) if padded[i] < "9")
    return ticket_number[: first_non_9 + digits]


def duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dupes: set[str] = set()
    for object_id in ids:
        if object_id in seen:
            dupes.add(object_id)
        seen.add(object_id)
    return sorted(dupes)
