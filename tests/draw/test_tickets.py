"""Our tickets and orders against Rivest's consistent_sampler 1.0.10 itself."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from contextlib import contextmanager

import consistent_sampler
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.draw import tickets
from domain.draw.tickets import (
    COARSE_DIGITS,
    Ticketer,
    coarse_order,
    in_order,
    ordered,
    smallest,
    smallest_in_lines,
    ticket,
    trim,
)

# Ids as the package sees them: any text that encodes to UTF-8 (no lone surrogates).
ids_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=24)
populations = st.lists(ids_text, unique=True, min_size=0, max_size=300)
seeds = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=70)


def reference(ids: list[str], seed: str, take: float = float("inf")) -> list[tuple[str, str]]:
    return [
        (t.id, t.ticket_number)
        for t in consistent_sampler.sampler(ids, seed, take=take, output="ticket", digits=100)
    ]


def test_known_values_from_the_package_docs():
    # The examples printed in consistent_sampler's docstrings.
    assert ticket("01382438112797316654", "AB-130") == (
        "0.26299714122838008416507544297546663599715395525154425586041245287750224561854"
    )
    ids = ["ab-1", "ab-2", "cd-1", "ef-3"]
    assert [trim(t) for _, t in ordered(ids, "314159")] == [
        "0.317685817",
        "0.832984519",
        "0.9098039269",
        "0.9231549043",
    ]
    assert [i for i, _ in ordered(ids, "314159")] == ["cd-1", "ef-3", "ab-1", "ab-2"]


@settings(max_examples=200, deadline=None)
@given(populations, seeds)
def test_full_order_and_tickets_equal_consistent_sampler(ids, seed):
    want = reference(ids, seed)
    assert ordered(ids, seed) == want
    assert list(in_order(ids, seed)) == want


@settings(max_examples=200, deadline=None)
@given(populations, seeds, st.integers(min_value=0, max_value=320))
def test_smallest_is_the_first_take_of_consistent_sampler(ids, seed, take):
    assert smallest(ids, seed, take) == reference(ids, seed, take)


def test_smallest_across_many_coarse_ties():
    # 30,000 ids over 10,000 coarse keys: the boundary key is shared by several ids, so the
    # tie-breaking on full tickets is exercised (and checked) every time.
    ids = [f"91320100MA{n:07d}X" for n in range(30_000)]
    ticketer = Ticketer("tie-seed")
    coarse = ticketer.coarse(ids)
    got = smallest(ids, "tie-seed", 900)
    boundary = coarse[ids.index(got[-1][0])]
    assert coarse.count(boundary) > 1
    assert got == reference(ids, "tie-seed", 900)


@settings(max_examples=100, deadline=None)
@given(populations, seeds)
def test_coarse_key_is_the_ticket_prefix(ids, seed):
    ticketer = Ticketer(seed)
    for object_id, coarse in zip(ids, ticketer.coarse(ids), strict=True):
        assert f"{coarse:0{COARSE_DIGITS}d}" == ticketer.ticket(object_id)[2 : 2 + COARSE_DIGITS]


@settings(max_examples=100, deadline=None)
@given(populations, populations, seeds)
def test_adding_ids_never_reorders_the_others(ids, extra, seed):
    both = list(dict.fromkeys(ids + extra))
    order_of_ids = [i for i, _ in ordered(both, seed) if i in set(ids)]
    assert order_of_ids == [i for i, _ in ordered(ids, seed)]


def test_trim_matches_the_package():
    for t in ("0.9991234567890", "0.12345678901", "0.99999", "0.5"):
        assert trim(t, 4) == consistent_sampler.trim(t, 4)


# -- the C tickets (domain/draw/_fastticket.c) against the pure-Python ones ---------------------

built = pytest.mark.skipif(tickets._fastticket is None, reason="C tickets not built here")


@contextmanager
def pure_python() -> Iterator[None]:
    saved = tickets.ACCELERATED
    tickets.ACCELERATED = False
    try:
        yield
    finally:
        tickets.ACCELERATED = saved


def _all_paths(ids: list[str], seed: str, take: int, picks: list[int]) -> tuple:
    encoded = [i.encode("utf-8") for i in ids]
    order = coarse_order(seed, encoded, array("I", picks))
    ticketer = Ticketer(seed)
    full = ticketer.tickets(ids), [ticketer.ticket(i) for i in ids[:3]]
    lines = [i for i in ids if i and "\n" not in i]  # as credit codes are, in a frozen stratum
    in_lines = smallest_in_lines("\n".join(lines), seed, take), smallest(lines, seed, take)
    return ticketer.coarse(ids), smallest(ids, seed, take), order, full, in_lines


@built
@settings(max_examples=200, deadline=None)
@given(populations, seeds, st.integers(min_value=0, max_value=320), st.randoms())
def test_c_and_python_tickets_agree(ids, seed, take, rng):
    ids = [*ids, "长" * 30 + "x" * 70] if rng.random() < 0.3 else ids  # ids over one block
    picks = [p for p in range(len(ids)) if rng.random() < 0.6]
    fast = _all_paths(ids, seed, take, picks)
    with pure_python():
        assert _all_paths(ids, seed, take, picks) == fast
    assert fast[1] == reference(ids, seed, take)
    assert fast[4][0] == fast[4][1]


@settings(max_examples=100, deadline=None)
@given(populations, seeds, st.integers(min_value=0, max_value=320))
def test_the_pure_python_fallback_equals_consistent_sampler(ids, seed, take):
    with pure_python():
        assert smallest(ids, seed, take) == reference(ids, seed, take)


@built
def test_c_tickets_refuse_bad_input_with_a_clear_error():
    with pytest.raises(TypeError, match="id 1 is neither str nor bytes"):
        Ticketer("s").coarse_encoded([b"a", 7])
    with pytest.raises(IndexError, match="position 5 is out of the 2 ids"):
        coarse_order("s", [b"a", b"b"], array("I", [0, 5]))
