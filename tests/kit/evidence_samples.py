"""Test photos made on the spot: a phone-like JPEG with full EXIF, and the formats around it."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction

import piexif
from PIL import Image, ImageCms, ImageDraw

# 上海人民广场附近 (31°13'50.4"N, 121°28'30.0"E)
LAT, LON = 31 + 13 / 60 + 50.4 / 3600, 121 + 28 / 60 + 30.0 / 3600


def _rational(value: float, denominator: int = 10000) -> tuple[int, int]:
    f = Fraction(value).limit_denominator(denominator)
    return f.numerator, f.denominator


def dms(value: float) -> tuple[tuple[int, int], ...]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (degrees, 1), (minutes, 1), _rational(seconds, 1000)


def picture(size: tuple[int, int] = (1600, 1200), seed: int = 0) -> Image.Image:
    """A non-uniform picture with a marker in the top-left corner, to see rotations."""
    width, height = size
    base = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 30 + seed % 7)
    image = Image.merge("RGB", (base, noise, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 4, height // 4), fill=(255, 0, 0))
    return image


def camera_exif(
    *,
    orientation: int = 6,
    taken: bytes | None = b"2025:06:12 10:15:30",
    offset: bytes | None = b"+08:00",
    lat: float | None = LAT,
    lon: float | None = LON,
    make: bytes = b"Huawei",
    model: bytes = b"Mate 60 Pro",
) -> bytes:
    zeroth = {
        piexif.ImageIFD.Make: make,
        piexif.ImageIFD.Model: model,
        piexif.ImageIFD.Orientation: orientation,
        piexif.ImageIFD.Software: b"HarmonyOS 4.0",
    }
    exif_ifd: dict[int, object] = {}
    if taken is not None:
        exif_ifd[piexif.ExifIFD.DateTimeOriginal] = taken
        exif_ifd[piexif.ExifIFD.DateTimeDigitized] = taken
    if offset is not None:
        exif_ifd[piexif.ExifIFD.OffsetTimeOriginal] = offset
    gps: dict[int, object] = {}
    if lat is not None and lon is not None:
        gps = {
            piexif.GPSIFD.GPSVersionID: (2, 3, 0, 0),
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: dms(lat),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: dms(lon),
            piexif.GPSIFD.GPSAltitudeRef: 0,
            piexif.GPSIFD.GPSAltitude: (45, 1),
        }
    thumb = io.BytesIO()
    picture((160, 120)).save(thumb, "JPEG")
    return piexif.dump(
        {"0th": zeroth, "Exif": exif_ifd, "GPS": gps, "1st": {}, "thumbnail": thumb.getvalue()}
    )


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="31,13.84N"/></rdf:RDF></x:xmpmeta>'
)


def camera_jpeg(
    size: tuple[int, int] = (1600, 1200), orientation: int = 6, **exif: object
) -> bytes:
    """What a phone sends as a file: EXIF (time, GPS, camera, thumbnail), XMP, ICC, comment."""
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture(size).save(
        out,
        "JPEG",
        quality=90,
        exif=camera_exif(orientation=orientation, **exif),  # type: ignore[arg-type]
        xmp=XMP,
        icc_profile=icc,
        comment=b"shot by inspector Zhang at Renmin Square",
    )
    return out.getvalue()


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    if fmt == "HEIF":
        # x265's default preset takes seconds per photo; a fast-encoded HEIF is read the same.
        options.setdefault("enc_params", {"preset": "ultrafast"})
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_bomb(width: int, height: int, *, header_only: bool = False) -> bytes:
    """A valid greyscale PNG of one colour: ~100 KB that decode to width×height bytes.
    `header_only`: the same header with a token IDAT, for sizes refused at the header."""
    compressor = zlib.compressobj(9)
    rows = b"\x00" * (width + 1) * (1 if header_only else 64)
    count = 1 if header_only else height // 64
    body = b"".join(compressor.compress(rows) for _ in range(count)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def small_jpeg(taken: str, lat: float, lon: float) -> bytes:
    """A 64×48 phone photo with just its time, place and camera in EXIF."""

    def rational(value: float):
        d = int(value)
        m = int((value - d) * 60)
        s = round(((value - d) * 60 - m) * 60 * 100)
        return ((d, 1), (m, 1), (s, 100))

    exif = {
        "0th": {piexif.ImageIFD.Make: b"Huawei", piexif.ImageIFD.Model: b"P60"},
        "Exif": {piexif.ExifIFD.DateTimeOriginal: taken.encode()},
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: rational(lat),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: rational(lon),
        },
    }
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(buffer, "JPEG", exif=piexif.dump(exif))
    return buffer.getvalue()
