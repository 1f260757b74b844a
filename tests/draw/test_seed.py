"""Commit and reveal: secret, commitment, entropy rules, seed; exact stratum sizes."""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.draw.record import ids_digest, take_count
from domain.draw.seed import (
    check_beacon_spec,
    commitment_of,
    generate_secret,
    normalize_entropy,
    parse_entropy,
    practice_entropy,
    seed_of,
)
from domain.errors import UserError

DICE = "31415926535897932384"


def test_commitment_and_seed_are_the_documented_hashes():
    secret = generate_secret()
    assert len(secret) == 64 and secret != generate_secret()
    assert commitment_of(secret) == hashlib.sha256(secret.encode()).hexdigest()
    entropy = normalize_entropy(DICE)
    assert entropy == f"dice:{DICE}"
    assert seed_of(secret, entropy) == hashlib.sha256(f"{secret}:dice:{DICE}".encode()).hexdigest()


def test_several_parties_are_concatenated_in_order():
    assert normalize_entropy("31415 92653\n58979/32384") == f"dice:{DICE}"
    assert normalize_entropy("3141592653，5897932384") == f"dice:{DICE}"
    assert normalize_entropy("5897932384 / 3141592653") != normalize_entropy(
        "3141592653 / 5897932384"
    )


@pytest.mark.parametrize(
    ("dice", "fragment"),
    [
        ("1234567890123456789", "至少 20 位"),
        ("1234567890x1234567890", "「x」"),
        ("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠١", "0-9"),  # Arabic-Indic digits are digits, not dice digits
        ("", "骰子点数或信标值"),
    ],
)
def test_bad_dice_are_refused_saying_what_to_fix(dice, fragment):
    with pytest.raises(UserError, match=fragment):
        normalize_entropy(dice)


def test_beacon_value_alone_or_with_dice():
    value = "A" * 64
    assert normalize_entropy(beacon=value) == "beacon:" + "a" * 64
    both = normalize_entropy(DICE, value)
    assert both == f"dice:{DICE}|beacon:" + "a" * 64
    assert parse_entropy(both).beacon == "a" * 64 and parse_entropy(both).dice == DICE
    with pytest.raises(UserError, match="十六进制"):
        normalize_entropy(beacon="not-a-beacon-value")
    with pytest.raises(UserError, match="轮次"):
        check_beacon_spec({"source": "drand", "round": ""})
    check_beacon_spec({"source": "drand", "round": 4812345})


def test_practice_entropy_is_marked_and_parseable():
    entropy = practice_entropy()
    assert entropy.startswith("practice:") and parse_entropy(entropy).practice


@pytest.mark.parametrize(
    "entropy",
    [f"dice:{DICE[:10]}", "dice:31415 92653 58979 32384", "beacon:XYZ", "coin:heads", "", "x"],
)
def test_parse_entropy_refuses_non_canonical_strings(entropy):
    with pytest.raises(ValueError):
        parse_entropy(entropy)


ratios = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@given(st.integers(min_value=0, max_value=2_000_000), ratios)
def test_take_count_is_the_exact_ceiling(eligible, ratio):
    want = min(eligible, math.ceil(Fraction(ratio) * eligible / 100))
    assert take_count(eligible, format(ratio, "f")) == want
    assert take_count(eligible, ratio) == want


def test_take_count_examples():
    assert take_count(1000, "3") == 30
    assert take_count(1001, "3") == 31  # 30.03 rounds up
    assert take_count(40, "2.5") == 1
    assert take_count(41, "2.5") == 2
    assert take_count(7, "100") == 7
    assert take_count(7, Decimal("0")) == 0


def test_digest_is_sorted_lines_each_ending_in_newline():
    assert ids_digest(["b", "a"]) == hashlib.sha256(b"a\nb\n").hexdigest()
    assert ids_digest([]) == hashlib.sha256(b"").hexdigest()
    assert ids_digest(["人防", "a"]) == hashlib.sha256("a\n人防\n".encode()).hexdigest()
