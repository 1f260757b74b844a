"""Inspect an uploaded photo: is it a whole, reasonably sized JPEG/PNG/WebP/HEIC image?

Only the four accepted formats are ever handed to a decoder (Pillow's `formats=`): Pillow's
other decoders have had decompression-bomb and memory-safety flaws, and evidence photos have no
need of them. The file's content decides the format, never its name. Dimensions are checked
from the header before any pixel is decoded; then the pixels are decoded to prove the file is
whole (a JPEG is decoded at a reduced DCT scale, which still reads every coded block, so a cut
file is caught at a fraction of the cost).
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

import pillow_heif
from PIL import Image

from domain.evidence import rejections
from domain.evidence.exif import CaptureMeta, GeoPoint, capture_meta_of

pillow_heif.register_heif_opener()

ACCEPTED = ("JPEG", "PNG", "WEBP", "HEIF")
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heif"}
MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000
DISPLAY_SIDE = 1280
_SWAPS_SIDES = {5, 6, 7, 8}
_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)


@dataclass(frozen=True)
class PhotoLimits:
    max_bytes: int = MAX_BYTES
    max_pixels: int = MAX_PIXELS


@dataclass(frozen=True)
class PhotoInfo:
    """An accepted photo. `width`/`height` are those of the decoded pixel grid; `orientation`
    is the EXIF orientation still to be applied to it (HEIF decoders apply theirs, so 1)."""

    sha256: str
    format: str  # JPEG | PNG | WEBP | HEIF
    mime: str
    byte_size: int
    width: int
    height: int
    orientation: int
    taken_at: datetime | None
    taken_at_raw: str | None
    taken_at_tz_assumed: bool
    position: GeoPoint | None
    camera_make: str | None
    camera_model: str | None

    @property
    def upright_size(self) -> tuple[int, int]:
        if self.orientation in _SWAPS_SIDES:
            return self.height, self.width
        return self.width, self.height

    @property
    def has_capture_metadata(self) -> bool:
        return self.taken_at is not None or self.position is not None


@dataclass
class DecodedPhoto:
    """An inspected photo with its decoded pixels: for a large upright JPEG a reduced-scale
    decode (at least DISPLAY_SIDE on the long side), else the full image."""

    info: PhotoInfo
    image: Image.Image
    reduced: bool


def _sniff_other_format(head: bytes) -> str | None:
    """Name image formats we refuse, so the message can say 'GIF' rather than 'not an image'."""
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:2] == b"BM" and len(head) >= 18 and head[14] in (12, 40, 52, 56, 64, 108, 124):
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF/RAW"
    if head[:4] == b"8BPS":
        return "PSD"
    if head[:4] == b"\x00\x00\x01\x00":
        return "ICO"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "AVIF"
    if head[:4] == b"\xff\x4f\xff\x51" or head[4:8] == b"jP  ":
        return "JPEG 2000"
    if head[:2] == b"\xff\x0a" or head[4:8] == b"JXL ":
        return "JPEG XL"
    text = head.lstrip()[:64].lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in head.lower()):
        return "SVG"
    return None


def _looks_like(head: bytes) -> str | None:
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp":
        return "HEIF"
    return None


def _pixel_limit(limits: PhotoLimits) -> int:
    pillow = Image.MAX_IMAGE_PIXELS
    return limits.max_pixels if pillow is None else min(limits.max_pixels, pillow)


def _open(data: bytes, name: str | None, limits: PhotoLimits) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED)
    except _BOMB:
        raise rejections.too_many_pixels(name, None, None, _pixel_limit(limits)) from None
    except Image.UnidentifiedImageError:
        other = _sniff_other_format(data[:64])
        if other:
            raise rejections.unsupported_format(name, other) from None
        seems = _looks_like(data[:16])
        if seems:
            raise rejections.damaged(name, seems) from None
        raise rejections.not_an_image(name) from None
    except Exception:
        raise rejections.damaged(name, _looks_like(data[:16]) or "?") from None
    width, height = image.size
    if width * height > _pixel_limit(limits):
        raise rejections.too_many_pixels(name, width, height, _pixel_limit(limits))
    if width < 1 or height < 1:
        raise rejections.damaged(name, image.format or "?")
    return image


def _decode(image: Image.Image, name: str | None) -> None:
    """Decode the pixels. An upright JPEG is decoded at the smallest DCT scale still giving
    DISPLAY_SIDE; a rotated one in full, as its shareable copy must be re-encoded anyway."""
    if image.format in ("JPEG", "MPO") and max(image.size) > DISPLAY_SIDE:
        if capture_meta_of(image).orientation == 1:  # the EXIF is parsed with the header
            ratio = DISPLAY_SIDE / max(image.size)
            image.draft(None, (max(1, int(image.width * ratio)), max(1, int(image.height * ratio))))
    try:
        image.load()
    except _BOMB:
        raise
    except OSError as exc:
        if "truncated" in str(exc):
            raise rejections.truncated(name) from None
        raise rejections.damaged(name, _format_name(image)) from None
    except Exception:
        raise rejections.damaged(name, _format_name(image)) from None


def _format_name(image: Image.Image) -> str:
    return "JPEG" if image.format == "MPO" else (image.format or "?")


def decode_photo(
    data: bytes,
    *,
    name: str | None = None,
    limits: PhotoLimits = PhotoLimits(),
    default_tz: tzinfo | None = None,
    sha256: str | None = None,
) -> DecodedPhoto:
    """Inspect `data` and keep its decoded pixels (for making the copies); raises PhotoRejected.
    `sha256`: the hash of `data` when the caller has it already."""
    if not data:
        raise rejections.empty(name)
    if len(data) > limits.max_bytes:
        raise rejections.too_large(name, len(data), limits.max_bytes)
    with warnings.catch_warnings():
        # Pillow warns between its limit and twice that, and raises above; the check in `_open`
        # refuses all of those anyway, so its warning would only be noise. (catch_warnings is
        # process-wide: a concurrent thread may see a warning, but no bomb gets through.)
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = _open(data, name, limits)
            width, height = image.size
            _decode(image, name)
        except _BOMB:
            raise rejections.too_many_pixels(name, None, None, limits.max_pixels) from None
    meta: CaptureMeta = capture_meta_of(image, default_tz)
    fmt = _format_name(image)
    info = PhotoInfo(
        sha256=sha256 or hashlib.sha256(data).hexdigest(),
        format=fmt,
        mime=MIME[fmt],
        byte_size=len(data),
        width=width,
        height=height,
        orientation=1 if fmt == "HEIF" else meta.orientation,
        taken_at=meta.taken_at,
        taken_at_raw=meta.taken_at_raw,
        taken_at_tz_assumed=meta.taken_at_tz_assumed,
        position=meta.position,
        camera_make=meta.camera_make,
        camera_model=meta.camera_model,
    )
    return DecodedPhoto(info, image, reduced=image.size != (width, height))


def read_upload(
    source: bytes | str | os.PathLike[str], limits: PhotoLimits
) -> tuple[bytes, str | None]:
    """The bytes of an upload given as bytes or a path, refusing an oversized file unread."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), None
    path = Path(source)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise rejections.too_large(path.name, size, limits.max_bytes)
    with path.open("rb") as fh:
        return fh.read(limits.max_bytes + 1), path.name


def inspect_photo(
    source: bytes | str | os.PathLike[str],
    *,
    name: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
    default_tz: tzinfo | None = None,
) -> PhotoInfo:
    """Check an upload and read what it says about itself; raises PhotoRejected.
    `name` (the uploaded file name) only appears in error messages."""
    limits = PhotoLimits(max_bytes, max_pixels)
    data, file_name = read_upload(source, limits)
    return decode_photo(data, name=name or file_name, limits=limits, default_tz=default_tz).info
