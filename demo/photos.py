"""Small site photos for the demo, made on the spot: a JPEG with the EXIF a phone writes (time
taken with its offset, GPS position, camera), so that the evidence checks see a real photo."""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction

from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL, SOFTWARE = 0x010F, 0x0110, 0x0131
TAKEN, DIGITIZED, OFFSET = 0x9003, 0x9004, 0x9011
GPS_VERSION, LAT_REF, LAT, LON_REF, LON = 0x0000, 0x0001, 0x0002, 0x0003, 0x0004


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction((value - degrees - minutes / 60) * 3600).limit_denominator(1000)
    return (
        IFDRational(degrees, 1),
        IFDRational(minutes, 1),
        IFDRational(seconds.numerator, seconds.denominator),
    )


def site_photo(taken: dt.datetime, lat: float, lon: float, label: str, seed: int = 0) -> bytes:
    """A 320×240 JPEG taken at `taken` (aware: its office-time wall clock and offset go into
    the EXIF) at (`lat`, `lon`)."""
    shade = 90 + (seed * 37) % 120
    image = Image.new("RGB", (320, 240), (shade, 120, 200 - shade // 2))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 150, 300, 220), fill=(70, 70, 70))  # a door, a wall: something to see
    draw.rectangle((120, 60, 200, 220), outline=(230, 230, 230), width=4)
    draw.text((10, 10), label, fill=(255, 255, 255))
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[SOFTWARE] = "Huawei", "Mate 60 Pro", "shuangsuiji demo"
    offset = taken.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    exif.get_ifd(EXIF_IFD).update(
        {
            TAKEN: taken.strftime("%Y:%m:%d %H:%M:%S"),
            DIGITIZED: taken.strftime("%Y:%m:%d %H:%M:%S"),
            OFFSET: f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
        }
    )
    exif.get_ifd(GPS_IFD).update(
        {
            GPS_VERSION: b"\x02\x03\x00\x00",
            LAT_REF: "N" if lat >= 0 else "S",
            LAT: _dms(lat),
            LON_REF: "E" if lon >= 0 else "W",
            LON: _dms(lon),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()
