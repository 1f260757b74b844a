"""The two copies made from an accepted photo, both upright JPEGs without metadata:
the display copy (longest side DISPLAY_SIDE) and the shareable copy (full size).

A JPEG that needs no rotation gets its shareable copy by cutting out the metadata segments
(no decode, no generation loss); anything else is decoded at full size and re-encoded.
"""

from __future__ import annotations

import io

from PIL import Image, JpegImagePlugin

from domain.evidence.jpeg_strip import NotStrippable, stripped_parts
from domain.evidence.photos import DISPLAY_SIDE, DecodedPhoto

DISPLAY_QUALITY = 85
SHAREABLE_QUALITY = 92

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def upright(image: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return image.transpose(method) if method is not None else image


def to_jpeg_mode(image: Image.Image) -> Image.Image:
    """RGB or L, with any transparency laid over white (reports are printed on white)."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode == "P" or "A" in image.mode or "a" in image.mode:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _encode_jpeg(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    # Only what is passed is written, except a source comment, which Pillow carries over.
    image.save(out, "JPEG", comment=b"", **options)
    return out.getvalue()


def display_copy(decoded: DecodedPhoto) -> bytes:
    image = decoded.image
    if max(image.size) > DISPLAY_SIDE:
        ratio = DISPLAY_SIDE / max(image.size)
        size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
        # Hamming: sharp for downscaling at half Lanczos' cost; a full-size source is first
        # box-reduced by an integer factor, as a JPEG draft decode would have done.
        image = image.resize(size, Image.Resampling.HAMMING, reducing_gap=1.5)
    image = to_jpeg_mode(upright(image, decoded.info.orientation))
    return _encode_jpeg(image, quality=DISPLAY_QUALITY)


def shareable_copy(data: bytes, decoded: DecodedPhoto) -> bytes:
    return b"".join(shareable_parts(data, decoded))


def shareable_parts(data: bytes, decoded: DecodedPhoto) -> list[bytes | memoryview]:
    """`shareable_copy` in pieces (views into `data` when it is only cut, not re-encoded)."""
    info = decoded.info
    if info.format == "JPEG" and info.orientation == 1:
        try:
            return stripped_parts(data)
        except NotStrippable:
            pass  # a structure Pillow tolerates but this parser won't cut: re-encode
    source = decoded.image
    if decoded.reduced:
        source = Image.open(io.BytesIO(data), formats=["JPEG"])
        source.load()
    options: dict[str, object] = {"quality": SHAREABLE_QUALITY}
    if isinstance(source, JpegImagePlugin.JpegImageFile) and source.mode in ("RGB", "L"):
        # The camera's own quantisation keeps the loss of a rotation's re-encode small.
        options = {"qtables": source.quantization}
        sampling = JpegImagePlugin.get_sampling(source)
        if sampling in (0, 2):  # 4:4:4 and 4:2:0 survive a quarter turn unchanged
            options["subsampling"] = sampling
    image = to_jpeg_mode(upright(source, info.orientation))
    return [_encode_jpeg(image, **options)]
