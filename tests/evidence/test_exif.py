"""EXIF parsing: times, offsets, GPS references, and malformed values read as missing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL.TiffImagePlugin import IFDRational

from domain.evidence import inspect_photo
from domain.evidence.exif import parse_exif_datetime, parse_gps, parse_offset
from tests.kit.evidence_samples import camera_jpeg

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_datetime_with_offset_and_subseconds() -> None:
    parsed = parse_exif_datetime("2025:10:01 08:00:00", "+05:30", "25")
    assert parsed == (
        datetime(2025, 10, 1, 8, 0, 0, 250000, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        False,
    )


@pytest.mark.parametrize(
    "raw", ["0000:00:00 00:00:00", "    :  :     :  :  ", "", None, 5, "2025-13-01"]
)
def test_unusable_datetimes_are_missing(raw: object) -> None:
    assert parse_exif_datetime(raw) is None


@pytest.mark.parametrize("raw", ["+8:00", "UTC", "+15:00", b"\x00", None])
def test_unusable_offsets_fall_back_to_the_assumed_zone(raw: object) -> None:
    assert parse_offset(raw) is None
    parsed = parse_exif_datetime("2025:01:02 03:04:05", raw)
    assert parsed == (datetime(2025, 1, 2, 3, 4, 5, tzinfo=SHANGHAI), True)


def _dms(value: float) -> tuple[IFDRational, ...]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = Fraction((value - d - m / 60) * 3600).limit_denominator(100000)
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(s.numerator, s.denominator)


@given(
    st.floats(min_value=-89.9, max_value=89.9).filter(lambda v: abs(v) > 1e-4),
    st.floats(min_value=-179.9, max_value=179.9),
)
def test_gps_round_trip_with_hemisphere_refs(lat: float, lon: float) -> None:
    gps = {1: "S" if lat < 0 else "N", 2: _dms(lat), 3: "W" if lon < 0 else "E", 4: _dms(lon)}
    point = parse_gps(gps)
    assert point is not None
    assert point.lat == pytest.approx(lat, abs=1e-6)
    assert point.lon == pytest.approx(lon, abs=1e-6)


@pytest.mark.parametrize(
    "gps",
    [
        {
            1: "N",
            2: (IFDRational(0, 1), IFDRational(0, 1), IFDRational(0, 1)),
            3: "E",
            4: (IFDRational(0, 1), IFDRational(0, 1), IFDRational(0, 1)),
        },  # "no fix"
        {
            1: "N",
            2: (IFDRational(31, 0), IFDRational(0, 1), IFDRational(0, 1)),
            3: "E",
            4: (IFDRational(121, 1), IFDRational(0, 1), IFDRational(0, 1)),
        },  # zero denominator
        {
            1: "N",
            2: (IFDRational(95, 1), IFDRational(0, 1), IFDRational(0, 1)),
            3: "E",
            4: (IFDRational(121, 1), IFDRational(0, 1), IFDRational(0, 1)),
        },  # out of range
        {1: "N", 2: "31.2", 3: "E", 4: "121.4"},  # wrong types
        {3: "E", 4: (IFDRational(121, 1), IFDRational(0, 1), IFDRational(0, 1))},  # no latitude
    ],
)
def test_unusable_gps_is_missing(gps: dict[int, object]) -> None:
    assert parse_gps(gps) is None


def test_photo_with_garbage_exif_values_is_accepted_without_them() -> None:
    info = inspect_photo(camera_jpeg(taken=b"yesterday", make=b"\x00\x00", lat=0.0, lon=0.0))
    assert info.taken_at is None and info.taken_at_raw == "yesterday"
    assert info.position is None and info.camera_make is None
    assert info.camera_model == "Mate 60 Pro"
