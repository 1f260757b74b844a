"""Ids from outside: ASCII digits in the range of a PostgreSQL integer, nothing else."""

from __future__ import annotations

import pytest

from domain.rules.ids import MAX_ID, in_range, parse_id, shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), (" 42 ", 42), ("0042", 42), (str(MAX_ID), MAX_ID), (7, 7), (MAX_ID, MAX_ID)],
)
def test_ascii_ids_in_range(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0",
        "-1",
        "+1",
        "1 2",
        "1.0",
        "1e3",
        str(MAX_ID + 1),
        "9" * 23,  # a forged button's task id: beyond 64 bits
        "00000000001",  # eleven digits
        "²",  # str.isdigit() says yes, int() says no
        "١",  # Arabic-Indic one: int() reads it as 1
        "𝟏",  # mathematical bold one
        "１",  # fullwidth one
        "1\x00",
        "\udc80",
        0,
        -5,
        MAX_ID + 1,
        2**64,
        True,
        None,
        1.0,
        ["1"],
    ],
)
def test_everything_else_is_no_id(text):
    assert parse_id(text) is None


def test_in_range():
    assert in_range(1) and in_range(MAX_ID)
    assert not in_range(0) and not in_range(MAX_ID + 1)


def test_shown_cuts_and_escapes_what_it_quotes():
    assert shown("ZF001") == "'ZF001'"
    long = shown("Z" * 5000)
    assert len(long) < 50 and long.endswith("…'")
    assert "\x00" not in shown("a\x00b") and "\\x00" in shown("a\x00b")
    assert "\\udc80" in shown("\udc80")
    assert shown("赵敏") == "'赵敏'"  # printable text stays readable
