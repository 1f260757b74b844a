"""PhotoStore: content-addressed originals, the display and shareable copies, refusals that
leave nothing behind, and writes that never show half a file."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import piexif
import pytest
from PIL import Image

from domain.evidence import (
    PhotoRejected,
    PhotoStore,
    StoreIntegrityError,
    Variant,
    decode_photo,
)
from domain.evidence.store import TEMP_PREFIX
from tests.kit.evidence_samples import camera_jpeg, encode, picture, png_bomb

METADATA_MARKERS = (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"inspector")


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file with its content and every directory (None), temp files included."""
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in root.rglob("*")
    }


def open_jpeg(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=["JPEG"])
    image.load()
    return image


def is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def assert_no_metadata(data: bytes) -> None:
    image = open_jpeg(data)
    assert not image.getexif()
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert "xmp" not in image.info and "comment" not in image.info
    found = piexif.load(data)
    assert not any(found[ifd] for ifd in ("0th", "Exif", "GPS", "Interop", "1st"))
    assert found["thumbnail"] is None
    for marker in METADATA_MARKERS:
        assert marker not in data
    assert b"\xff\xe1" not in data.split(b"\xff\xda", 1)[0]  # no APP1 before the first scan


def test_camera_jpeg_is_stored_with_rotated_display_and_clean_shareable_copy(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    data = camera_jpeg(size=(3000, 2000), orientation=6)
    stored = store.put(data, name="IMG_1.jpg")
    sha = stored.info.sha256
    assert not stored.already_stored
    assert stored.original.key == f"originals/{sha[:2]}/{sha}"
    assert stored.original.path.read_bytes() == data == store.read(sha)
    assert not stored.original.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)

    display = open_jpeg(store.read(sha, Variant.DISPLAY))
    assert display.size == (853, 1280)  # portrait: orientation 6 applied, long side 1280
    # The red marker was top-left of the sensor image; after a 90° clockwise turn, top-right.
    assert is_red(display.getpixel((display.width - 20, 20)))
    assert not is_red(display.getpixel((20, 20)))

    shareable_bytes = store.read(sha, "shareable")
    assert_no_metadata(shareable_bytes)
    shareable = open_jpeg(shareable_bytes)
    assert shareable.size == (2000, 3000)
    assert is_red(shareable.getpixel((shareable.width - 20, 20)))
    assert not is_red(shareable.getpixel((20, 20)))
    assert stored.display.mime == stored.shareable.mime == "image/jpeg"


def test_upright_jpeg_shareable_copy_is_cut_not_reencoded(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    data = camera_jpeg(size=(3000, 2000), orientation=1)
    assert decode_photo(data).reduced  # inspected through a reduced-scale decode
    stored = store.put(data)
    shareable = store.read(stored.info.sha256, Variant.SHAREABLE)
    assert_no_metadata(shareable)
    assert len(shareable) < len(data)
    assert open_jpeg(shareable).tobytes() == open_jpeg(data).tobytes()  # same pixels exactly
    display = open_jpeg(store.read(stored.info.sha256, Variant.DISPLAY))
    assert display.size == (1280, 853) and is_red(display.getpixel((20, 20)))


@pytest.mark.parametrize("fmt", ["HEIF", "PNG", "WEBP"])
def test_other_formats_get_jpeg_copies(tmp_path, fmt: str) -> None:
    from tests.kit.evidence_samples import camera_exif

    image = picture((1500, 1000))
    options = {"exif": camera_exif(orientation=1)}
    if fmt == "PNG":
        image = image.convert("RGBA")
    stored = PhotoStore(tmp_path).put(encode(image, fmt, **options))
    assert stored.info.format == fmt
    assert open_jpeg(stored.display.path.read_bytes()).size == (1280, 853)
    shareable = stored.shareable.path.read_bytes()
    assert_no_metadata(shareable)
    assert open_jpeg(shareable).size == (1500, 1000)


def test_same_photo_twice_is_stored_once(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    data = camera_jpeg()
    first = store.put(data)
    before = tree(tmp_path)
    second = store.put(data, name="again.jpg")
    assert second.already_stored and second.info == first.info
    assert second.original == first.original
    assert tree(tmp_path) == before
    assert len(list((tmp_path / "originals").rglob("*"))) == 2  # one fan-out folder, one file


def test_a_missing_copy_is_remade_on_the_next_put(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    data = camera_jpeg()
    stored = store.put(data)
    expected = stored.display.path.read_bytes()
    stored.display.path.unlink()
    again = store.put(data)
    assert again.already_stored and again.display.path.read_bytes() == expected


def test_an_altered_original_is_detected_not_overwritten(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    data = camera_jpeg()
    stored = store.put(data)
    os.chmod(stored.original.path, 0o644)
    stored.original.path.write_bytes(b"tampered")
    assert not store.verify(stored.info.sha256)
    with pytest.raises(StoreIntegrityError):
        store.put(data)
    assert stored.original.path.read_bytes() == b"tampered"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda: camera_jpeg()[:50_000], id="truncated"),
        pytest.param(lambda: png_bomb(10000, 10000), id="bomb"),
        pytest.param(lambda: "这不是照片".encode() * 100, id="text-named-jpg"),
        pytest.param(lambda: camera_jpeg() + b"\0" * (30 << 20), id="30MB"),
        pytest.param(lambda: encode(picture((64, 64)), "GIF"), id="gif"),
        pytest.param(lambda: encode(picture((64, 64)), "BMP"), id="bmp"),
        pytest.param(lambda: b"", id="empty"),
    ],
)
def test_refused_photos_store_nothing(tmp_path, bad) -> None:
    store = PhotoStore(tmp_path)
    store.put(encode(picture((64, 48)), "PNG"))  # the store already holds something
    before = tree(tmp_path)
    with pytest.raises(PhotoRejected):
        store.put(bad(), name="现场.jpg")
    assert tree(tmp_path) == before


def test_oversized_file_on_disk_is_refused_from_its_size(tmp_path) -> None:
    big = tmp_path / "big.jpg"
    with big.open("wb") as fh:
        fh.write(camera_jpeg())
        fh.truncate(30 << 20)
    store = PhotoStore(tmp_path / "store")
    with pytest.raises(PhotoRejected) as caught:
        store.put(big)
    assert caught.value.code == "too_large" and "big.jpg" in str(caught.value)
    assert not (tmp_path / "store").exists()


def test_final_name_appears_only_after_the_data_is_synced(tmp_path, monkeypatch) -> None:
    store = PhotoStore(tmp_path)
    data = camera_jpeg()
    sha = __import__("hashlib").sha256(data).hexdigest()
    final = store.path(sha)
    seen: list[tuple[bool, int]] = []
    real_fsync = os.fsync

    def watching_fsync(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode) and os.fstat(fd).st_size == len(data):
            seen.append((final.exists(), os.fstat(fd).st_size))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", watching_fsync)
    store.put(data)
    assert seen == [(False, len(data))]  # synced in full while the name was still absent
    assert not [p for p in tmp_path.rglob(f"{TEMP_PREFIX}*")]


def test_failed_write_leaves_neither_final_file_nor_temp(tmp_path, monkeypatch) -> None:
    store = PhotoStore(tmp_path)
    data = camera_jpeg()

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        store.put(data)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


CRASH = """
import os, signal, stat, sys
sys.path.insert(0, {repo!r})
from domain.evidence import PhotoStore
real = os.fsync
def die(fd):
    if stat.S_ISREG(os.fstat(fd).st_mode):  # the original's data is written: crash now
        os.kill(os.getpid(), signal.SIGKILL)
    real(fd)
os.fsync = die
PhotoStore({root!r}).put(open({photo!r}, "rb").read())
"""


def test_crash_mid_write_leaves_only_a_temp_file(tmp_path) -> None:
    photo = tmp_path / "photo.jpg"
    data = camera_jpeg()
    photo.write_bytes(data)
    root = tmp_path / "store"
    repo = str(Path(__file__).resolve().parents[2])
    code = CRASH.format(repo=repo, root=str(root), photo=str(photo))
    result = subprocess.run([sys.executable, "-c", code], check=False)
    assert result.returncode == -9
    files = [p for p in root.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].name.startswith(TEMP_PREFIX)

    store = PhotoStore(root)
    # Ages against the file system's own clock: under a faked process clock (faketime) the
    # process's time and a file's modification time disagree.
    written = files[0].stat().st_mtime
    assert store.remove_stale_temp_files(older_than_s=3600, now=written) == 0  # may be live
    os.utime(files[0], (written - 7200, written - 7200))
    assert store.remove_stale_temp_files(older_than_s=3600, now=written) == 1
    stored = store.put(data)
    assert stored.original.path.read_bytes() == data and not stored.already_stored


def test_keys_reject_anything_but_a_sha256(tmp_path) -> None:
    store = PhotoStore(tmp_path)
    with pytest.raises(ValueError):
        store.read("../../etc/passwd")
    with pytest.raises(FileNotFoundError):
        store.read("0" * 64, Variant.DISPLAY)


def test_concurrent_puts_of_one_photo_store_it_once(tmp_path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = PhotoStore(tmp_path)
    data = camera_jpeg()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: store.put(data), range(4)))
    assert sorted(r.already_stored for r in results).count(False) == 1
    assert store.verify(results[0].info.sha256)
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 3


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(Image.new("I;16", (300, 200), 40000), id="16-bit grey"),
        pytest.param(picture((300, 200)).convert("P"), id="palette"),
        pytest.param(Image.new("LA", (300, 200), (10, 0)), id="transparent grey"),
    ],
    ids=str,
)
def test_unusual_png_modes_give_plain_jpeg_copies(tmp_path, image: Image.Image) -> None:
    stored = PhotoStore(tmp_path).put(encode(image, "PNG"))
    for copy in (stored.display, stored.shareable):
        assert open_jpeg(copy.path.read_bytes()).mode in ("RGB", "L")
    if image.mode == "LA":  # fully transparent: laid over white
        assert open_jpeg(stored.display.path.read_bytes()).getpixel((5, 5)) in (255, (255,) * 3)
