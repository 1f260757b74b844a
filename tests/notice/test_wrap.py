from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from domain.notice.wrap import NO_LINE_END, NO_LINE_START, tokens, wrap_text


def measure(s: str) -> float:
    # CJK and full-width punctuation are one em, ASCII half an em: like a real CJK font.
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in s)


def test_chinese_breaks_between_characters():
    assert wrap_text("一二三四五六七八九十", 4, measure) == ["一二三四", "五六七八", "九十"]


def test_first_line_width_is_separate():
    assert wrap_text("一二三四五六七八", 4, measure, first_width=2) == ["一二", "三四五六", "七八"]


def test_closing_punctuation_never_starts_a_line():
    lines = wrap_text("一二三四，五六", 4, measure)
    assert lines == ["一二三", "四，五六"]


def test_opening_punctuation_never_ends_a_line():
    lines = wrap_text("一二三《四五》", 4, measure)
    assert lines == ["一二三", "《四五》"]


def test_credit_code_and_dates_stay_whole():
    lines = wrap_text("代码91310000MA1FL4XQ3T于2025年5月16日", 12, measure)
    assert "91310000MA1FL4XQ3T" in "".join(lines)
    assert any(
        line.endswith("91310000MA1FL4XQ3T") or "91310000MA1FL4XQ3T" in line for line in lines
    )
    assert any("2025年5月16日" in line for line in lines)


def test_a_token_longer_than_the_line_is_cut():
    lines = wrap_text("x" * 30, 5, measure)
    assert all(measure(line) <= 5 for line in lines)
    assert "".join(lines) == "x" * 30


def test_newlines_start_new_paragraphs():
    assert wrap_text("一二\n三", 10, measure) == ["一二", "三"]


TEXT = st.text(alphabet=st.sampled_from("检查通知书人防工程ab12 ，。、；（）《》“”"), max_size=120)


@given(TEXT, st.integers(min_value=3, max_value=20))
@example("““”1”《 （1", 4)  # a space at the break hid an opening bracket left at a line end
def test_wrapping_keeps_text_and_obeys_width_and_kinsoku(text, width):
    lines = wrap_text(text, width, measure)
    # Only whitespace at breaks may disappear.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # A token wider than the line is cut where it must be, punctuation rules or not.
    cut = any(measure(token) > width for token in tokens(text))
    for n, line in enumerate(lines):
        single_token = len(tokens(line)) == 1
        assert measure(line) <= width or single_token
        if cut:
            continue
        if n > 0 and line and line[0] in NO_LINE_START:
            assert len(tokens(lines[n - 1])) == 1, (lines, n)
        if n < len(lines) - 1 and line and line[-1] in NO_LINE_END:
            assert len(tokens(line)) == 1, (lines, n)
