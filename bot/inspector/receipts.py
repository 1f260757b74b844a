"""The words of a receipt: what the domain's receipt of a photo says, in the reader's language,
and the one message that confirms a photo, a file or an album's items as they arrive."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.i18n import anomaly_text, t, zone_text
from domain.evidence.receipt import FirstCopy, PhotoReceipt

HASH_SHOWN = 12
TIME_SHOWN = "%Y-%m-%d %H:%M"


@dataclass
class Receipt:
    """What one message confirms: a photo or file, or an album's items as they arrive."""

    name: str = ""  # of the task
    lines: list[str] = field(default_factory=list)
    count: int = 0
    compressed: bool = False
    chat_id: int | None = None
    message_id: int | None = None

    def text(self, lang: str, album: bool) -> str:
        if album:
            head = t(lang, "album.header", name=self.name, count=self.count)
        else:
            head = t(lang, "photo.header", name=self.name)
        parts = [head, *self.lines]
        if self.compressed:
            parts.append(t(lang, "photo.compressed"))
        return "\n".join(parts)


def photo_lines(lang: str, receipt: PhotoReceipt) -> list[str]:
    """A recorded photo: its hash, what it says of its capture, and its anomalies."""
    lines = [t(lang, "photo.saved", id=receipt.evidence_id, hash=receipt.sha256[:HASH_SHOWN])]
    if receipt.taken_at is None:
        lines.append(t(lang, "photo.taken_at_none"))
    else:
        time = receipt.taken_at.strftime(TIME_SHOWN)
        lines.append(t(lang, "photo.taken_at", time=time, zone=zone_text(lang, receipt.zone)))
    where = receipt.position
    if where is None:
        lines.append(t(lang, "photo.place_none"))
    elif where.accuracy_m is not None:
        lines.append(
            t(lang, "photo.place_accuracy", lat=where.lat, lon=where.lon, accuracy=where.accuracy_m)
        )
    else:
        lines.append(t(lang, "photo.place", lat=where.lat, lon=where.lon))
    lines += [t(lang, "photo.anomaly", message=anomaly_text(lang, a)) for a in receipt.anomalies]
    return lines


def already_line(lang: str, receipt: PhotoReceipt, first: FirstCopy) -> str:
    """A photo the task holds already: which one, since when and from whom."""
    return t(
        lang,
        "photo.already_own" if first.by_sender else "photo.already_mate",
        id=first.evidence_id,
        hash=receipt.sha256[:HASH_SHOWN],
        who=first.by_name,
        when=first.received_at.strftime(TIME_SHOWN),
    )
