"""Task numbers sort as text in drawing order, whatever the draw's size: the public notice names
the first and the last by `ORDER BY number`, and lists of tasks go by number."""

from __future__ import annotations

import pytest

from domain.campaigns.draw_rows import task_number_width


@pytest.mark.parametrize("tasks", [1, 9_999, 10_000, 147_000, 1_000_000])
def test_numbers_of_one_draw_sort_as_text_in_drawing_order(tasks):
    width = task_number_width(tasks)
    # The first, the last, and those where a narrower width would carry over.
    picked = sorted({1, 2, 9, 10, 999, 1_000, 9_999, 10_000, 99_999, 100_000, tasks} - {0})
    numbers = [f"2026-RF-01-{n:0{width}d}" for n in picked if n <= tasks]
    assert sorted(numbers) == numbers
    assert numbers[0].endswith("-" + "0" * (width - 1) + "1")


def test_small_draws_keep_four_digits():
    assert task_number_width(1) == task_number_width(9_999) == 4
    assert task_number_width(10_000) == 5
