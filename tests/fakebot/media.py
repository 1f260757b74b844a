"""The sizes Telegram makes of a photo. Telegram recompresses photos and drops their EXIF; the
fake does the same with Pillow when the bytes are an image, so a bot that expects EXIF from a
compressed photo fails here as it would in production."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

# Telegram's usual longest sides: s, m, x, y.
SIDES = (90, 320, 800, 1280)


@dataclass(frozen=True)
class Variant:
    content: bytes
    width: int
    height: int


def photo_variants(content: bytes, recompress: bool = True) -> list[Variant]:
    """Smallest first, as in Message.photo. Bytes that are not an image (or recompress=False)
    are served unchanged at every size, with nominal dimensions."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            img.load()
            image = img.convert("RGB")
    except Exception:
        image = None
    if image is None:
        return [Variant(content, side, side * 3 // 4) for side in SIDES[:3]]
    if not recompress:
        return [Variant(content, image.width, image.height)]
    longest = max(image.width, image.height)
    sides = [s for s in SIDES if s < longest] + [min(longest, SIDES[-1])]
    variants = []
    for side in sorted(set(sides)):
        copy = image.copy()
        copy.thumbnail((side, side))
        out = io.BytesIO()
        copy.save(out, format="JPEG", quality=87)
        variants.append(Variant(out.getvalue(), copy.width, copy.height))
    return variants
