"""Sample files for tests and benches: a JPEG carrying EXIF like a phone's photo."""

from __future__ import annotations

import io

from PIL import Image

EXIF_ARTIST = 0x013B
EXIF_DATETIME = 0x0132


def jpeg(
    width: int = 1000,
    height: int = 750,
    *,
    color: tuple[int, int, int] = (200, 80, 40),
    exif: dict[int, str] | None = None,
) -> bytes:
    """A JPEG with the given EXIF tags (by default an artist and a date); exif={} for none."""
    tags = (
        {EXIF_ARTIST: "inspector", EXIF_DATETIME: "2025:03:14 09:30:00"} if exif is None else exif
    )
    data = Image.Exif()
    for tag, value in tags.items():
        data[tag] = value
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", exif=data)
    return out.getvalue()


def exif_of(content: bytes) -> dict[int, object]:
    with Image.open(io.BytesIO(content)) as img:
        return dict(img.getexif())
