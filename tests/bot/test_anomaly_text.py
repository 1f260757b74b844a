"""A photo's anomaly in the reader's language, including photos stored before the English was
kept with them."""

from __future__ import annotations

from bot.i18n import anomaly_text, t

NOW = {
    "code": "far_from_target",
    "message": "拍摄位置距检查对象所在地约 7.7 公里",
    "message_en": "Taken about 7.7 km away",
}
BEFORE = {"code": "far_from_target", "message": "拍摄位置距检查对象所在地约 7.7 公里"}


def test_the_stored_english_is_shown_in_english_and_the_chinese_otherwise():
    assert anomaly_text("en", NOW) == "Taken about 7.7 km away"
    assert anomaly_text("zh", NOW) == NOW["message"]
    assert anomaly_text(None, NOW) == NOW["message"]


def test_older_rows_fall_back_to_a_sentence_per_code():
    assert anomaly_text("en", BEFORE) == t("en", "anomaly.far_from_target")
    assert anomaly_text("en", {"code": "new_check", "message": "新"}) == t(
        "en", "anomaly.other", code="new_check"
    )
    assert anomaly_text("zh", BEFORE) == BEFORE["message"]
