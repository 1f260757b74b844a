"""What the sender of a photo is told it recorded: the same for every adapter.

The receipt shows what will be judged later, so the inspector can see it while still on site:
the hash that fixes the bytes, the capture time and place read from the photo's EXIF (or that
none was found), and the anomalies the approver will see. A photo already on the task is not
stored again: its receipt names the first copy, when it arrived and who sent it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from domain import clock
from domain.evidence.exif import GeoPoint
from domain.storage.models import Evidence


@dataclass(frozen=True)
class FirstCopy:
    """The photo as first received on the task, when the same bytes come again."""

    evidence_id: int
    received_at: dt.datetime  # office time
    by_id: int
    by_name: str
    by_sender: bool  # the same inspector sent it both times

    def as_dict(self) -> dict[str, Any]:
        return {
            "evidence_id": self.evidence_id,
            "received_at": self.received_at.isoformat(),
            "by": {"id": self.by_id, "name": self.by_name},
            "by_sender": self.by_sender,
        }


@dataclass(frozen=True)
class PhotoReceipt:
    evidence_id: int
    task_id: int
    sha256: str
    # When the photo says it was taken, as the office's wall-clock time; None: no EXIF time.
    taken_at: dt.datetime | None
    # The photo gave no zone with its time: the office's was assumed.
    taken_at_tz_assumed: bool
    position: GeoPoint | None  # from the EXIF GPS; None: none found
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    already_there: FirstCopy | None = None  # set when this upload stored nothing new

    @property
    def zone(self) -> str:
        """The office's time zone, in which `taken_at` is given (an IANA name)."""
        return clock.office_tz().key

    def as_dict(self) -> dict[str, Any]:
        """As an API answers it."""
        return {
            "evidence_id": self.evidence_id,
            "task_id": self.task_id,
            "sha256": self.sha256,
            "taken_at": self.taken_at.isoformat() if self.taken_at else None,
            "taken_at_zone": self.zone,
            "taken_at_tz_assumed": self.taken_at_tz_assumed,
            "position": (
                {
                    "lat": self.position.lat,
                    "lon": self.position.lon,
                    "altitude_m": self.position.altitude_m,
                    "accuracy_m": self.position.accuracy_m,
                }
                if self.position
                else None
            ),
            "anomalies": self.anomalies,
            "already_there": self.already_there.as_dict() if self.already_there else None,
        }


def _taken_at(facts: dict[str, Any]) -> dt.datetime | None:
    raw = facts.get("taken_at")
    if not raw:
        return None
    try:
        return clock.local(dt.datetime.fromisoformat(str(raw)))
    except ValueError:
        return None  # stored facts are the store's own; an oddity reads as no time


def _position(facts: dict[str, Any]) -> GeoPoint | None:
    raw = facts.get("position")
    if not isinstance(raw, dict) or raw.get("lat") is None or raw.get("lon") is None:
        return None
    return GeoPoint(
        float(raw["lat"]), float(raw["lon"]), raw.get("altitude_m"), raw.get("accuracy_m")
    )


def photo_receipt(evidence: Evidence, already_there: FirstCopy | None = None) -> PhotoReceipt:
    """The receipt of a recorded photo, from what was stored with it (so that a redelivered
    upload, or a later reader, gets the same receipt as the first answer)."""
    facts = evidence.photo or {}
    return PhotoReceipt(
        evidence_id=evidence.id,
        task_id=evidence.task_id,
        sha256=evidence.photo_sha256 or "",
        taken_at=_taken_at(facts),
        taken_at_tz_assumed=bool(facts.get("taken_at_tz_assumed")),
        position=_position(facts),
        anomalies=list(evidence.anomalies or ()),
        already_there=already_there,
    )
