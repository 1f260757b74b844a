"""Capture metadata read from EXIF: when, where and with what a photo was taken.

EXIF written by phones and cameras is often incomplete or malformed; a bad field is read as
missing, never as a reason to refuse the photo.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from PIL import ExifTags, Image

from domain import clock

_TAG_MAKE = 0x010F
_TAG_MODEL = 0x0110
_TAG_ORIENTATION = 0x0112
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_OFFSET_TIME_ORIGINAL = 0x9011
_TAG_SUBSEC_TIME_ORIGINAL = 0x9291
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_GPS_ALT_REF, _GPS_ALT = 5, 6
_GPS_H_ERROR = 0x1F

_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class GeoPoint:
    """WGS 84 decimal degrees (north and east positive), as phones write them into EXIF."""

    lat: float
    lon: float
    altitude_m: float | None = None
    accuracy_m: float | None = None


@dataclass(frozen=True)
class CaptureMeta:
    """What the EXIF says about the capture. `taken_at` is always timezone-aware; when the
    photo carries no OffsetTimeOriginal the local time is assumed to be `default_tz`
    (the office's time zone unless given) and `taken_at_tz_assumed` is True."""

    taken_at: datetime | None = None
    taken_at_raw: str | None = None
    taken_at_tz_assumed: bool = False
    position: GeoPoint | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    orientation: int = 1


def _text(value: object, limit: int = 100) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value[:limit] or None


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None


def parse_offset(raw: object) -> tzinfo | None:
    """'+08:00' → UTC+8; anything else → None."""
    match = _OFFSET.match(_text(raw) or "")
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)


def parse_exif_datetime(
    raw: object, offset: object = None, subsec: object = None, default_tz: tzinfo | None = None
) -> tuple[datetime, bool] | None:
    """EXIF 'YYYY:MM:DD HH:MM:SS' → (aware datetime, whether the zone was assumed)."""
    text = _text(raw, 40)
    if not text:
        return None
    try:
        naive = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    digits = re.sub(r"\D", "", _text(subsec, 12) or "")
    if digits:
        naive = naive.replace(microsecond=int(digits[:6].ljust(6, "0")))
    tz = parse_offset(offset)
    if tz is not None:
        return naive.replace(tzinfo=tz), False
    return naive.replace(tzinfo=default_tz or clock.office_tz()), True


def _degrees(value: object, ref: object, negative: str) -> float | None:
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    d, m, s = (_number(v) for v in value)
    if d is None or m is None or s is None or min(d, m, s) < 0:
        return None
    degrees = d + m / 60 + s / 3600
    ref_text = (_text(ref, 4) or "").upper()
    return -degrees if ref_text == negative else degrees


def parse_gps(gps: dict[int, object]) -> GeoPoint | None:
    lat = _degrees(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "S")
    lon = _degrees(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "W")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    if lat == 0 and lon == 0:  # receivers without a fix write 0,0
        return None
    altitude = _number(gps.get(_GPS_ALT))
    if altitude is not None and gps.get(_GPS_ALT_REF) in (1, b"\x01"):
        altitude = -altitude
    accuracy = _number(gps.get(_GPS_H_ERROR))
    return GeoPoint(lat, lon, altitude, accuracy)


def read_capture_meta(exif: Image.Exif, default_tz: tzinfo | None = None) -> CaptureMeta:
    try:
        ifd = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:
        ifd = {}
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:
        gps = {}
    taken = parse_exif_datetime(
        ifd.get(_TAG_DATETIME_ORIGINAL),
        ifd.get(_TAG_OFFSET_TIME_ORIGINAL),
        ifd.get(_TAG_SUBSEC_TIME_ORIGINAL),
        default_tz,
    )
    orientation = exif.get(_TAG_ORIENTATION)
    return CaptureMeta(
        taken_at=taken[0] if taken else None,
        taken_at_raw=_text(ifd.get(_TAG_DATETIME_ORIGINAL), 40),
        taken_at_tz_assumed=taken[1] if taken else False,
        position=parse_gps(gps) if gps else None,
        camera_make=_text(exif.get(_TAG_MAKE)),
        camera_model=_text(exif.get(_TAG_MODEL)),
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1,
    )


def capture_meta_of(image: Image.Image, default_tz: tzinfo | None = None) -> CaptureMeta:
    try:
        return read_capture_meta(image.getexif(), default_tz)
    except Exception:
        return CaptureMeta()
