"""What coordinators type and read, as plain functions: fast, no bot and no database."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bot.coordinator.formatting import (
    PhotoLine,
    ReviewFacts,
    dice_digits,
    dice_entropy,
    missing_digits,
    parse_dates,
    photo_caption,
    review_text,
    status_text,
)
from bot.i18n import t
from domain.calendar.workdays import Deadline
from domain.campaigns.status import CampaignStatusReport
from domain.draw.seed import normalize_entropy

digit_runs = st.lists(st.from_regex(r"[0-9]{1,12}", fullmatch=True), min_size=1, max_size=5)
separators = st.sampled_from([" ", "/", ", ", "，", "|", "；", "\n"])


@given(digit_runs, separators)
def test_dice_digits_keep_every_digit_in_order(runs, sep):
    assert dice_digits(sep.join(runs)) == "".join(runs)


@given(st.lists(st.from_regex(r"[0-9]{1,12}", fullmatch=True), min_size=1, max_size=6))
def test_parties_joined_read_as_the_domain_reads_them(parts):
    if missing_digits(parts):
        return
    assert normalize_entropy(dice_entropy(parts)) == "dice:" + "".join(parts)


def test_anything_but_digits_is_refused():
    for text in ("12a45", "１２３", "3.14", "", "  ", "-12"):
        assert dice_digits(text) is None, text


def test_missing_digits_counts_to_twenty():
    assert missing_digits(["12345"]) == 15
    assert missing_digits(["1234567890", "1234567890"]) == 0
    assert missing_digits(["1" * 30]) == 0


def test_dates_in_the_usual_spellings():
    expected = (dt.date(2026, 11, 2), dt.date(2026, 12, 18))
    assert parse_dates("2026-11-02 2026-12-18") == expected
    assert parse_dates("2026/11/2，2026.12.18") == expected
    assert parse_dates("2026年11月2日至2026年12月18日") == expected
    assert parse_dates("2026-11-02") is None
    assert parse_dates("2026-02-30 2026-03-01") is None
    assert parse_dates("下周一 到 月底") is None


REPORT = CampaignStatusReport(
    code="2026-RF-09",
    name="第四季度抽查",
    status="drawn",
    by_state={"已接受": 3, "现场检查中": 1},
    overdue=[f"2026-RF-09-{n:04d}" for n in range(1, 33)],
    anomalies={"2026-RF-09-0002": 2},
    due_date=dt.date(2026, 12, 18),
    workdays_left=-1,
    penalties_due=[
        ("示人防罚〔2026〕3号", Deadline(dt.date(2026, 12, 22), 7, dt.date(2026, 12, 31)))
    ],
)


def test_status_in_chinese_lists_what_needs_attention():
    text = status_text("zh", REPORT)
    assert text.splitlines()[0] == "抽查计划 2026-RF-09「第四季度抽查」：已抽取，检查中"
    assert "任务进度：已接受 3，现场检查中 1" in text
    assert "逾期未完成 32 个：" in text and "2026-RF-09-0030" in text
    assert "2026-RF-09-0031" not in text and t("zh", "status.more", count=2) in text
    assert "2026-RF-09-0002（2）" in text
    assert "剩余 -1 个工作日" in text
    assert "示人防罚〔2026〕3号 须在 2026-12-31 前公示" in text


def test_a_provisional_deadline_says_so_and_why():
    results = Deadline(dt.date(2099, 12, 14), 20, dt.date(2100, 1, 11), frozenset({2100}))
    report = dataclasses.replace(REPORT, status="completed", results_due=results)
    text = status_text("zh", report)
    assert "抽查结果须在 2100-01-11（暂定） 前公示" in text
    assert "示人防罚〔2026〕3号 须在 2026-12-31 前公示" in text  # exact: no mark
    assert "还没有 2100 年的工作日历" in text and "shuangsuiji calendar import FILE" in text
    english = status_text("en", report)
    assert "Results to be published by 2100-01-11 (provisional)" in english
    assert "no working-day calendar" in english and "for 2100" in english
    assert "暂定" not in status_text("zh", REPORT)


def test_status_in_english_translates_the_states():
    text = status_text("en", REPORT)
    assert "Tasks: accepted 3, on site 1" in text
    assert text.splitlines()[0].endswith("drawn, inspections under way")


def facts(**overrides) -> ReviewFacts:
    values = {
        "number": "2026-RF-09-0001",
        "revision": 2,
        "target": "示范商场",
        "address": "人民路1号",
        "team": ["张伟（组长）", "李娜"],
        "checkin": "2026-11-20 09:30",
        "data": {"result_categories": ["1"], "findings": "未发现问题", "follow_up_action": "none"},
        "notes": 3,
        "photos": [
            PhotoLine(1, "a" * 64, []),
            PhotoLine(2, "b" * 64, ["拍摄位置距检查对象所在地约 3.2 公里，超过允许的 500 米。"]),
        ],
    }
    return ReviewFacts(**{**values, **overrides})


def test_review_text_puts_the_anomalies_in_view():
    text = review_text("zh", facts())
    assert "任务 2026-RF-09-0001 的抽查报告（第 2 版）" in text
    assert "抽查结果：1 未发现问题" in text and "后续处置：无需后续处置" in text
    assert "现场记录 3 条，照片 2 张，其中 1 张有异常" in text
    assert "⚠ 照片 2：拍摄位置距检查对象所在地约 3.2 公里" in text
    assert "照片 1：" not in text


def test_review_text_in_english_keeps_the_domain_message():
    text = review_text("en", facts(checkin=None))
    assert "Result: 1 no problem found" in text and "Checked in: no" in text
    assert "⚠ photo 2: 拍摄位置" in text


def test_photo_caption_fits_telegram():
    photo = PhotoLine(1, "c" * 64, ["很长的异常说明。" * 200])
    caption = photo_caption("zh", photo, 5)
    assert caption.startswith("照片 1/5（SHA-256 cccccccccccc…）") and len(caption) <= 1024
