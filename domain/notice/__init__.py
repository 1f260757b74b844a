"""The inspection notice (行政检查通知书, 九(四)): data, CJK font discovery, PDF rendering."""

from domain.notice.data import (
    DEFAULT_REQUIREMENTS,
    DEFAULT_RIGHTS,
    NoticeData,
    NoticeInspector,
    NoticeItem,
    NoticeTarget,
    check_notice,
)
from domain.notice.fonts import ENV_VAR, CjkFont, find_cjk_font
from domain.notice.render import render_notice

__all__ = [
    "DEFAULT_REQUIREMENTS",
    "DEFAULT_RIGHTS",
    "ENV_VAR",
    "CjkFont",
    "NoticeData",
    "NoticeInspector",
    "NoticeItem",
    "NoticeTarget",
    "check_notice",
    "find_cjk_font",
    "render_notice",
]
