"""Remove metadata from a JPEG without decoding it: the pixels stay bit for bit identical.

A JPEG is a chain of marker segments. Metadata lives in APP0–APP15 (JFIF, EXIF with GPS and
a thumbnail, XMP, ICC, MPF, maker data...) and COM segments, and phones append more after EOI
(MPF secondary images, depth maps, vendor trailers). What remains: the tables, the frame and
the scans, and an Adobe APP14 segment, which is not metadata but tells decoders how to read
CMYK/YCCK colour (without it those images decode with wrong colours).
"""

from __future__ import annotations

import re

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"
_SOS = 0xDA
_APP14 = 0xEE
# "Adobe", version, flags0, flags1, transform: shorter, the segment tells a decoder nothing
# (and Pillow refuses the whole file), so it goes as the junk it is.
_ADOBE_SIZE = 12
# In entropy-coded data 0xFF is followed by 0x00 (stuffing) or RST0–7; anything else is a marker.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


class NotStrippable(ValueError):
    """The file's marker structure is not one this parser can rewrite safely."""


def _is_metadata(marker: int, payload: memoryview) -> bool:
    if marker == 0xFE:
        return True
    if 0xE0 <= marker <= 0xEF:
        adobe = bytes(payload[:5]) == b"Adobe" and len(payload) >= _ADOBE_SIZE
        return not (marker == _APP14 and adobe)
    return False


def strip_jpeg_metadata(data: bytes) -> bytes:
    """`data` without APPn/COM segments (Adobe APP14 kept) and without bytes after EOI."""
    return b"".join(stripped_parts(data))


def stripped_parts(data: bytes) -> list[bytes | memoryview]:
    """The pieces of `strip_jpeg_metadata(data)` in order, as views into `data` where they
    are long (the scans), so a writer need not copy them into one buffer first."""
    view = memoryview(data)
    size = len(data)
    if data[:2] != SOI:
        raise NotStrippable("no SOI marker")
    parts: list[bytes | memoryview] = [SOI]
    pos = 2
    seen_scan = False
    while True:
        if pos >= size or data[pos] != 0xFF:
            raise NotStrippable(f"expected a marker at byte {pos}")
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            raise NotStrippable("file ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            if not seen_scan:
                raise NotStrippable("EOI before any scan")
            parts.append(EOI)
            return parts
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers carry no length
            parts.append(bytes((0xFF, marker)))
            continue
        if marker in (0x00, 0xD8):
            raise NotStrippable(f"invalid marker 0x{marker:02X} at byte {pos - 1}")
        if pos + 2 > size:
            raise NotStrippable("file ends inside a segment length")
        length = int.from_bytes(data[pos : pos + 2], "big")
        end = pos + length
        if length < 2 or end > size:
            raise NotStrippable(f"segment 0x{marker:02X} at byte {pos - 2} overruns the file")
        if not _is_metadata(marker, view[pos + 2 : end]):
            parts.append(bytes((0xFF, marker)))
            parts.append(view[pos:end])
        pos = end
        if marker == _SOS:
            seen_scan = True
            found = _SCAN_END.search(data, pos)
            if found is None:
                raise NotStrippable("scan data runs to the end of the file (no EOI)")
            parts.append(view[pos : found.start()])
            pos = found.start()
