"""strip_jpeg_metadata: metadata gone, pixels bit for bit the same, odd structures handled."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from domain.evidence import NotStrippable, PhotoStore, strip_jpeg_metadata
from tests.kit.evidence_samples import camera_exif, camera_jpeg, encode, picture


def pixels(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data), formats=["JPEG"])
    image.load()
    return image.tobytes()


def segments_before_scan(data: bytes) -> list[int]:
    markers, pos = [], 2
    while data[pos + 1] != 0xDA:
        markers.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="baseline"),
        pytest.param({"progressive": True}, id="progressive"),
        pytest.param({"restart_marker_rows": 1}, id="restart-markers"),
        pytest.param({"subsampling": 0, "quality": 100}, id="444-q100"),
    ],
)
def test_pixels_identical_and_only_coding_segments_left(options: dict[str, object]) -> None:
    data = encode(
        picture((333, 251)), "JPEG", exif=camera_exif(orientation=1), comment=b"note", **options
    )
    clean = strip_jpeg_metadata(data)
    assert pixels(clean) == pixels(data)
    assert not {m for m in segments_before_scan(clean) if 0xE0 <= m <= 0xEF or m == 0xFE}
    assert clean.endswith(b"\xff\xd9") and b"Exif" not in clean


def test_adobe_segment_kept_so_cmyk_colours_survive() -> None:
    data = encode(picture((120, 80)).convert("CMYK"), "JPEG", exif=camera_exif(orientation=1))
    clean = strip_jpeg_metadata(data)
    assert 0xEE in segments_before_scan(clean) and b"Exif" not in clean
    assert pixels(clean) == pixels(data)


def test_a_truncated_adobe_segment_is_dropped_and_the_photo_still_opens() -> None:
    # Found by the property test below: Pillow cannot open a file whose Adobe segment is short.
    truncated = b"\xff\xee\x00\x07Adobe"
    clean = strip_jpeg_metadata(BASE[:2] + truncated + BASE[2:])
    assert b"Adobe" not in clean and pixels(clean) == pixels(BASE)


def test_data_after_eoi_is_dropped_mpo_second_frame_included() -> None:
    frames = [picture((200, 150)), picture((100, 75), seed=3)]
    out = io.BytesIO()
    frames[0].save(
        out, "MPO", save_all=True, append_images=frames[1:], exif=camera_exif(orientation=1)
    )
    mpo = out.getvalue()
    clean = strip_jpeg_metadata(mpo)
    assert len(clean) < len(mpo) - 1000 and clean.count(b"\xff\xd8") == 1
    assert Image.open(io.BytesIO(clean)).format == "JPEG"  # no MPF left: a plain JPEG
    assert pixels(clean) == pixels(mpo)


def test_mpo_upload_is_accepted_as_jpeg_and_shared_as_one_frame(tmp_path) -> None:
    out = io.BytesIO()
    picture((300, 200)).save(out, "MPO", save_all=True, append_images=[picture((300, 200))])
    stored = PhotoStore(tmp_path).put(out.getvalue())
    assert stored.info.format == "JPEG"
    assert stored.shareable.path.read_bytes().count(b"\xff\xd8") == 1


@pytest.mark.parametrize(
    "broken",
    [b"", b"\x89PNG", b"\xff\xd8\xff\xe1\xff\xff", b"\xff\xd8\xff\xd9", b"\xff\xd8\x00\x00"],
)
def test_malformed_structure_is_refused(broken: bytes) -> None:
    with pytest.raises(NotStrippable):
        strip_jpeg_metadata(broken)


def test_missing_eoi_is_refused() -> None:
    with pytest.raises(NotStrippable):
        strip_jpeg_metadata(camera_jpeg(size=(64, 64), orientation=1)[:-2])


_app = st.tuples(st.sampled_from([*range(0xE0, 0xF0), 0xFE]), st.binary(max_size=300)).map(
    lambda s: bytes((0xFF, s[0])) + (len(s[1]) + 2).to_bytes(2, "big") + s[1]
)

BASE = encode(picture((64, 48)), "JPEG")


@settings(max_examples=60, deadline=None)
@given(st.lists(_app, max_size=6), st.binary(max_size=200))
def test_inserted_metadata_and_trailers_are_removed(extra: list[bytes], trailer: bytes) -> None:
    data = BASE[:2] + b"".join(extra) + BASE[2:] + trailer
    clean = strip_jpeg_metadata(data)
    kept = [m for m in segments_before_scan(clean) if 0xE0 <= m <= 0xEF or m == 0xFE]
    # An Adobe segment too short to hold its colour transform is junk: dropped.
    adobe = [s for s in extra if s[1] == 0xEE and s[4:9] == b"Adobe" and len(s) >= 4 + 12]
    assert len(kept) == len(adobe)
    assert clean.endswith(b"\xff\xd9") and pixels(clean) == pixels(BASE)
