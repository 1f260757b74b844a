"""Looking texts up by key and language; Simplified Chinese is the default and the fallback."""

from __future__ import annotations

from bot.i18n import en as texts_en
from bot.i18n import zh as texts_zh

DEFAULT = "zh"
_TABLES = {"zh": texts_zh.TEXTS, "en": texts_en.TEXTS}
_ALIASES = {
    "zh": "zh",
    "cn": "zh",
    "zh-hans": "zh",
    "zh-cn": "zh",
    "中文": "zh",
    "en": "en",
    "english": "en",
    "英文": "en",
}


def t(lang: str | None, key: str, **values: object) -> str:
    table = _TABLES.get(lang or DEFAULT, texts_zh.TEXTS)
    template = table.get(key) or texts_zh.TEXTS[key]
    return template.format(**values) if values else template


def due_text(lang: str | None, due: object, assumed: object = ()) -> str:
    """A deadline's date, marked provisional (暂定) when years were assumed in counting it."""
    return t(lang, "deadline.provisional", due=due) if assumed else str(due)


def provisional_note(lang: str | None, years: object) -> str:
    """Why a deadline is provisional, and the command that makes it exact."""
    listed = sorted({int(y) for y in years})  # type: ignore[union-attr]
    return t(lang, "deadline.provisional_note", years="、".join(map(str, listed)))


def zone_text(lang: str | None, zone: str) -> str:
    """A time zone as people here call it (北京时间), else by its IANA name."""
    key = f"zone.{zone}"
    return t(lang, key) if key in texts_zh.TEXTS else zone


def parse_language(word: str) -> str | None:
    return _ALIASES.get(word.strip().lower())


def anomaly_text(lang: str | None, anomaly: dict) -> str:
    """A photo's anomaly as stored with it, in the reader's language. Photos stored before the
    English was kept get a general English sentence for their code."""
    code = str(anomaly.get("code", ""))
    if (lang or DEFAULT) == "en":
        if anomaly.get("message_en"):
            return str(anomaly["message_en"])
        key = f"anomaly.{code}"
        return t("en", key) if key in texts_en.TEXTS else t("en", "anomaly.other", code=code)
    return str(anomaly.get("message") or code)
