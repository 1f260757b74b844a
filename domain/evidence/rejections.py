"""Why a photo or a note was refused: a stable code for programs, a message for people (zh and
en); an adapter with its own words picks them by the code."""

from __future__ import annotations

from domain.errors import UserError

ACCEPTED_FORMATS_ZH = "JPEG、PNG、WebP 或 HEIC/HEIF"
ACCEPTED_FORMATS_EN = "JPEG, PNG, WebP or HEIC/HEIF"


class Refused(UserError):
    """`str(error)` is the Chinese message; `message("en")` the English one."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


class PhotoRejected(Refused):
    """A refused upload."""


class NoteRefused(Refused):
    """A note that cannot be recorded as written."""


def _label(name: str | None) -> tuple[str, str]:
    return (f"照片“{name}”", f"photo '{name}'") if name else ("照片", "the photo")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0")


def not_an_image(name: str | None) -> PhotoRejected:
    zh, en = _label(name)
    return PhotoRejected(
        "not_an_image",
        f"{zh}不是图片文件，请上传{ACCEPTED_FORMATS_ZH}格式的照片。",
        f"{_cap(en)} is not an image; upload a {ACCEPTED_FORMATS_EN} photo.",
    )


def empty(name: str | None) -> PhotoRejected:
    zh, en = _label(name)
    # Said apart from "not an image": an empty file is an upload that went wrong, not a
    # wrong kind of file, and the fix is to send the same photo again.
    return PhotoRejected(
        "empty",
        f"{zh}是空文件（0 字节），可能上传中断，请重新上传原图。",
        f"{_cap(en)} is empty (0 bytes): the upload probably failed; upload the original again.",
    )


def unsupported_format(name: str | None, fmt: str) -> PhotoRejected:
    zh, en = _label(name)
    return PhotoRejected(
        "unsupported_format",
        f"{zh}是 {fmt} 格式，不受支持，请转换为{ACCEPTED_FORMATS_ZH}后重新上传。",
        f"{_cap(en)} is in {fmt} format, which is not accepted; "
        f"convert it to {ACCEPTED_FORMATS_EN}.",
    )


def too_large(name: str | None, size: int, limit: int) -> PhotoRejected:
    zh, en = _label(name)
    return PhotoRejected(
        "too_large",
        f"{zh}大小为 {_mb(size)} MB，超过 {_mb(limit)} MB 的上限，请压缩或缩小后重新上传。",
        f"{_cap(en)} is {_mb(size)} MB, over the {_mb(limit)} MB limit; compress or downscale it.",
    )


def too_many_pixels(
    name: str | None, width: int | None, height: int | None, limit: int
) -> PhotoRejected:
    zh, en = _label(name)
    dims = f" {width}×{height}" if width and height else ""
    mp = f"{limit / 1_000_000:g}"
    return PhotoRejected(
        "too_many_pixels",
        f"{zh}尺寸{dims}超过 {mp} 百万像素的上限（可能是“解压炸弹”），请缩小后重新上传。",
        f"{_cap(en)}{dims} exceeds the {mp}-megapixel limit "
        "(possible decompression bomb); downscale it.",
    )


def truncated(name: str | None) -> PhotoRejected:
    zh, en = _label(name)
    return PhotoRejected(
        "truncated",
        f"{zh}不完整（文件被截断，可能上传中断），请重新上传原图。",
        f"{_cap(en)} is incomplete (the file is cut short); upload the original again.",
    )


def damaged(name: str | None, fmt: str) -> PhotoRejected:
    zh, en = _label(name)
    return PhotoRejected(
        "damaged",
        f"{zh}看起来是 {fmt} 格式，但图像数据已损坏、无法读取，请重新上传原图。",
        f"{_cap(en)} looks like {fmt} but its image data is damaged; upload the original again.",
    )


def empty_note() -> NoteRefused:
    return NoteRefused("empty_note", "记录内容不能为空。", "The note is empty.")


def document_without_source() -> NoteRefused:
    return NoteRefused(
        "document_without_source",
        "书证物证须注明来源（从何处、由谁取得），本条未保存。",
        "A document or object needs its source (where and from whom it came). Nothing was saved.",
    )


def photo_as_note() -> NoteRefused:
    return NoteRefused("photo_as_note", "照片须作为照片上传。", "Upload a photo as a photo.")
