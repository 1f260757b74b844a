"""Warning signs on a photo, for the approving coordinator: was it taken there, then, for this
task? Pure functions over plain values; a flag is a question to ask, not a verdict."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain import clock
from domain.evidence.exif import GeoPoint

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
DEFAULT_TIME_TOLERANCE = timedelta(minutes=30)
DEFAULT_MAX_DISTANCE_M = 500.0

TIME_OUTSIDE_VISIT = "time_outside_visit"
FAR_FROM_TARGET = "far_from_target"
DUPLICATE_PHOTO = "duplicate_photo"
NO_CAPTURE_METADATA = "no_capture_metadata"


@dataclass(frozen=True)
class Anomaly:
    code: str
    message: str  # Simplified Chinese, for the coordinator
    message_en: str = ""  # the same in English, for whoever chose English

    def as_dict(self) -> dict[str, str]:
        """As stored with the photo."""
        return {"code": self.code, "message": self.message, "message_en": self.message_en}


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _local(moment: datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%d %H:%M")


def _distance_text(metres: float) -> str:
    return f"{metres / 1000:.1f} 公里" if metres >= 1000 else f"{metres:.0f} 米"


def _distance_en(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


def _require_aware(**moments: datetime | None) -> None:
    for label, moment in moments.items():
        if moment is not None and moment.utcoffset() is None:
            raise ValueError(f"{label} must be timezone-aware")


def find_anomalies(
    *,
    taken_at: datetime | None,
    position: GeoPoint | tuple[float, float] | None,
    on_site_from: datetime | None,
    on_site_until: datetime | None = None,
    target_position: tuple[float, float] | None = None,
    other_task_ids: Iterable[int] = (),
    time_tolerance: timedelta = DEFAULT_TIME_TOLERANCE,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
) -> list[Anomaly]:
    """The anomalies of one photo of a task.

    The on-site window runs from the check-in (`on_site_from`) to the end of the visit
    (`on_site_until`; open-ended while the team is still on site), widened by `time_tolerance`
    on both sides for clock drift. `other_task_ids`: other tasks already holding a photo with
    the same SHA-256. A check whose reference is unknown (no check-in, no target location) is
    skipped rather than guessed. All datetimes must be timezone-aware.
    """
    _require_aware(taken_at=taken_at, on_site_from=on_site_from, on_site_until=on_site_until)
    found: list[Anomaly] = []
    if taken_at is None and position is None:
        found.append(
            Anomaly(
                NO_CAPTURE_METADATA,
                "照片没有拍摄时间和拍摄位置（EXIF 信息缺失或已被清除），无法核对是否在现场拍摄。",
                "The photo has no capture time or place (its EXIF data is missing or removed): "
                "whether it was taken on site cannot be checked.",
            )
        )
    if taken_at is not None and on_site_from is not None:
        start = on_site_from - time_tolerance
        end = on_site_until + time_tolerance if on_site_until is not None else None
        if taken_at < start or (end is not None and taken_at > end):
            until = _local(on_site_until) if on_site_until is not None else None
            window = f"{_local(on_site_from)} 至 {until or '现场检查结束'}"
            window_en = f"{_local(on_site_from)} to {until or 'the end of the visit'}"
            minutes = round(time_tolerance.total_seconds() / 60)
            found.append(
                Anomaly(
                    TIME_OUTSIDE_VISIT,
                    f"拍摄时间 {_local(taken_at)}（北京时间）不在现场检查时段 {window} 内"
                    f"（允许前后误差 {minutes} 分钟）。",
                    f"Taken at {_local(taken_at)} (Beijing time), outside the on-site period "
                    f"{window_en} ({minutes} minutes either side allowed).",
                )
            )
    if position is not None and target_position is not None:
        point = (position.lat, position.lon) if isinstance(position, GeoPoint) else position
        distance = haversine_m(point, target_position)
        if distance > max_distance_m:
            found.append(
                Anomaly(
                    FAR_FROM_TARGET,
                    f"拍摄位置距检查对象所在地约 {_distance_text(distance)}，"
                    f"超过允许的 {_distance_text(max_distance_m)}。",
                    f"Taken about {_distance_en(distance)} from the target's location, more than "
                    f"the {_distance_en(max_distance_m)} allowed.",
                )
            )
    others = sorted(set(other_task_ids))
    if others:
        listed = "、".join(f"#{task_id}" for task_id in others)
        found.append(
            Anomaly(
                DUPLICATE_PHOTO,
                f"同一张照片（SHA-256 相同）已用于其他检查任务：{listed}。",
                "The same photo (same SHA-256) is already used for other inspection tasks: "
                + ", ".join(f"#{task_id}" for task_id in others)
                + ".",
            )
        )
    return found
