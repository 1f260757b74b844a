"""A stratum's ids sorted as text (prepare), and their digest."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.draw import compute, tickets
from domain.draw.record import ids_digest, lines_digest

# Credit-code-like ids, and odd ones: other alphabets, prefixes of each other.
ids = st.lists(st.text(alphabet="0129AZaz甲乙\u00e9\U0001f600", min_size=1, max_size=6), min_size=1)


@given(ids)
def test_the_text_is_sorted_as_python_sorts_the_ids(found):
    assert compute.sorted_lines("\n".join(found)) == "\n".join(sorted(found))


@given(ids)
def test_without_the_c_helpers_the_same(found):
    saved = compute._fastticket
    compute._fastticket = None
    try:
        assert compute.sorted_lines("\n".join(found)) == "\n".join(sorted(found))
    finally:
        compute._fastticket = saved


@given(ids)
def test_the_digest_of_the_text_is_the_digest_of_the_ids(found):
    assert lines_digest(compute.sorted_lines("\n".join(found))) == ids_digest(found)


def test_an_empty_text_has_the_empty_digest():
    assert lines_digest("") == ids_digest([])
    assert tickets._fastticket is None or compute.sorted_lines("") == ""
