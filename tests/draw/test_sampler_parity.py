"""`smallest` against a brute-force sort of full tickets, on populations large enough that the
coarse keys tie at the boundary, and against consistent_sampler's tuples at full precision."""

from __future__ import annotations

import consistent_sampler
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.draw.tickets import COARSE_DIGITS, Ticketer, smallest, ticket

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# 12,000 ids over 10,000 coarse keys: most boundaries are shared by two or more ids.
POPULATION = [f"91{n:08d}MA{n * 7919 % 99991:05d}{ALPHABET[n % 31]}" for n in range(12_000)]


def brute_force(ids: list[str], seed: str, take: int) -> list[tuple[str, str]]:
    return [(i, t) for t, i in sorted((ticket(seed, i), i) for i in ids)[:take]]


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40), st.integers(min_value=1, max_value=12_000))
def test_smallest_equals_sorting_every_full_ticket(seed, take):
    got = smallest(POPULATION, seed, take)
    assert got == brute_force(POPULATION, seed, take)


def test_the_boundary_is_a_coarse_tie_for_most_seeds():
    # Guards the test above: it must exercise the tie path, not only clean cuts.
    ties = 0
    for n in range(30):
        seed = f"tie-{n}"
        coarse = dict(zip(POPULATION, Ticketer(seed).coarse(POPULATION), strict=True))
        last = smallest(POPULATION, seed, 360)[-1][0]
        ties += sum(c == coarse[last] for c in coarse.values()) > 1
        assert f"{coarse[last]:0{COARSE_DIGITS}d}" == ticket(seed, last)[2 : 2 + COARSE_DIGITS]
    assert ties >= 15


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet=ALPHABET, min_size=18, max_size=18), unique=True, max_size=400),
    st.text(max_size=20),
    st.integers(min_value=0, max_value=450),
)
def test_ids_and_full_tickets_equal_the_package_tuples(ids, seed, take):
    want = [
        (i, t)
        for t, i, generation in consistent_sampler.sampler(
            ids, seed, take=take, output="tuple", digits=100
        )
        if generation == 1
    ]
    assert smallest(ids, seed, take) == want
