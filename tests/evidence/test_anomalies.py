"""find_anomalies: time window, distance, duplicates, missing metadata."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.evidence import GeoPoint, find_anomalies, haversine_m
from domain.evidence.anomalies import (
    DUPLICATE_PHOTO,
    EARTH_RADIUS_M,
    FAR_FROM_TARGET,
    NO_CAPTURE_METADATA,
    TIME_OUTSIDE_VISIT,
)

CST = timezone(timedelta(hours=8))
CHECK_IN = datetime(2025, 6, 12, 9, 30, tzinfo=CST)
LEAVE = datetime(2025, 6, 12, 11, 0, tzinfo=CST)
TARGET = (31.2304, 121.4737)


def codes(**kwargs: object) -> list[str]:
    defaults: dict[str, object] = {
        "taken_at": CHECK_IN + timedelta(minutes=10),
        "position": GeoPoint(*TARGET),
        "on_site_from": CHECK_IN,
        "on_site_until": LEAVE,
        "target_position": TARGET,
    }
    defaults.update(kwargs)
    return [a.code for a in find_anomalies(**defaults)]  # type: ignore[arg-type]


def test_photo_taken_there_then_has_no_anomaly() -> None:
    assert codes() == []


@pytest.mark.parametrize(
    ("taken", "flagged"),
    [
        (CHECK_IN - timedelta(minutes=29), False),
        (CHECK_IN - timedelta(minutes=31), True),
        (LEAVE + timedelta(minutes=30), False),
        (LEAVE + timedelta(minutes=31), True),
        (datetime(2025, 6, 11, 10, 0, tzinfo=CST), True),
        (datetime(2025, 6, 12, 2, 0, tzinfo=UTC), False),  # 10:00 Beijing time
    ],
)
def test_time_window_with_tolerance(taken: datetime, flagged: bool) -> None:
    assert (TIME_OUTSIDE_VISIT in codes(taken_at=taken)) is flagged


def test_open_visit_and_custom_tolerance() -> None:
    late = LEAVE + timedelta(hours=5)
    assert codes(taken_at=late, on_site_until=None) == []
    early = CHECK_IN - timedelta(minutes=10)
    assert codes(taken_at=early, time_tolerance=timedelta(minutes=5)) == [TIME_OUTSIDE_VISIT]
    message = find_anomalies(
        taken_at=early, position=None, on_site_from=CHECK_IN, time_tolerance=timedelta(minutes=5)
    )[0]
    assert "2025-06-12 09:20" in message.message and "09:30" in message.message
    assert "5 分钟" in message.message and "5 minutes" in message.message_en
    assert "Taken at 2025-06-12 09:20 (Beijing time)" in message.message_en
    assert "the end of the visit" in message.message_en


def test_distance_from_target() -> None:
    # 0.004° of latitude is about 445 m; 0.006° about 667 m.
    assert codes(position=(TARGET[0] + 0.004, TARGET[1])) == []
    assert codes(position=(TARGET[0] + 0.006, TARGET[1])) == [FAR_FROM_TARGET]
    assert codes(position=(TARGET[0] + 0.006, TARGET[1]), max_distance_m=1000) == []
    far = find_anomalies(
        taken_at=None,
        position=GeoPoint(31.3, 121.4737),
        on_site_from=None,
        target_position=TARGET,
    )
    assert [a.code for a in far] == [FAR_FROM_TARGET] and "7.7 公里" in far[0].message
    assert "about 7.7 km" in far[0].message_en and "the 500 m allowed" in far[0].message_en


def test_unknown_references_skip_their_checks() -> None:
    assert codes(target_position=None, position=(0.0, 0.0)) == []
    assert codes(on_site_from=None, taken_at=datetime(2000, 1, 1, tzinfo=CST)) == []


def test_duplicate_and_missing_metadata() -> None:
    found = find_anomalies(
        taken_at=None, position=None, on_site_from=CHECK_IN, other_task_ids=[15, 12, 15]
    )
    assert [a.code for a in found] == [NO_CAPTURE_METADATA, DUPLICATE_PHOTO]
    assert "#12、#15" in found[1].message and "#12, #15" in found[1].message_en
    assert "no capture time or place" in found[0].message_en
    assert found[0].as_dict() == {
        "code": NO_CAPTURE_METADATA,
        "message": found[0].message,
        "message_en": found[0].message_en,
    }


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="taken_at"):
        codes(taken_at=datetime(2025, 6, 12, 10, 0))


def test_haversine_known_distance() -> None:
    beijing, shanghai = (39.9042, 116.4074), (31.2304, 121.4737)
    assert haversine_m(beijing, shanghai) == pytest.approx(1_067_000, rel=0.005)


points = st.tuples(st.floats(-90, 90), st.floats(-180, 180))


@given(points, points)
def test_haversine_is_symmetric_and_bounded(a: tuple[float, float], b: tuple[float, float]) -> None:
    assert haversine_m(a, b) == pytest.approx(haversine_m(b, a), abs=1e-6)
    assert 0 <= haversine_m(a, b) <= math.pi * EARTH_RADIUS_M + 1e-6
    assert haversine_m(a, a) == pytest.approx(0, abs=1e-6)
