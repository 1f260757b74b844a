"""Photo ingest speed: inspect + store original + display copy + shareable copy, per photo.

Baseline in the same run: Pillow alone decoding each file at full size and re-encoding it as
JPEG (default settings) to memory. Target: ingest <= 1.0x baseline. The photos are 4000x3000
camera-like JPEGs with EXIF (time, GPS, camera, thumbnail), generated once into bench/out/
(not timed). Baseline and ingest alternate photo by photo so both see the same machine state;
the store is a fresh folder on the same disk, with real fsyncs. Usage:
    .venv/bin/python bench/evidence.py [--count 200] [--orientation 1|6] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import piexif
from PIL import Image, ImageChops, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.evidence import PhotoStore, decode_photo, display_copy, shareable_copy

WIDTH, HEIGHT = 4000, 3000
FLIPS = [
    Image.Transpose.FLIP_LEFT_RIGHT,
    Image.Transpose.FLIP_TOP_BOTTOM,
    Image.Transpose.ROTATE_180,
]


def exif_for(n: int, orientation: int) -> bytes:
    stamp = f"2025:06:12 10:{n // 60 % 60:02}:{n % 60:02}"
    thumb = io.BytesIO()
    Image.new("RGB", (160, 120), (n % 256, 90, 160)).save(thumb, "JPEG")
    return piexif.dump(
        {
            "0th": {
                piexif.ImageIFD.Make: b"Xiaomi",
                piexif.ImageIFD.Model: b"14 Ultra",
                piexif.ImageIFD.Orientation: orientation,
            },
            "Exif": {
                piexif.ExifIFD.DateTimeOriginal: stamp.encode(),
                piexif.ExifIFD.OffsetTimeOriginal: b"+08:00",
            },
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((31, 1), (13, 1), (5000 + n, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((121, 1), (28, 1), (3000 + n, 100)),
            },
            "1st": {},
            "thumbnail": thumb.getvalue(),
        }
    )


def generate(folder: Path, count: int, orientation: int) -> list[Path]:
    """Photo-like content (gradients, soft texture, sensor noise, shapes): ~4-5 MB at q92."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"o{orientation}_{n:03}.jpg" for n in range(count)]
    missing = [(n, p) for n, p in enumerate(paths) if not p.exists()]
    if not missing:
        return paths
    print(f"generating {len(missing)} photos into {folder} (not timed)...", flush=True)
    fine = [Image.effect_noise((WIDTH, HEIGHT), 10) for _ in range(3)]
    coarse = [
        Image.effect_noise((WIDTH // 8, HEIGHT // 8), 60).resize(
            (WIDTH, HEIGHT), Image.Resampling.BICUBIC
        )
        for _ in range(3)
    ]
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    for n, path in missing:
        rnd = random.Random(n * 10 + orientation)
        channels = []
        for c in range(3):
            texture = ImageChops.offset(coarse[c], rnd.randrange(WIDTH), rnd.randrange(HEIGHT))
            grain = ImageChops.offset(
                fine[(c + n) % 3], rnd.randrange(WIDTH), rnd.randrange(HEIGHT)
            )
            base = ImageChops.blend(gradient.transpose(rnd.choice(FLIPS)), texture, 0.5)
            channels.append(ImageChops.add(base, grain, scale=1.0, offset=-128))
        image = Image.merge("RGB", channels)
        draw = ImageDraw.Draw(image)
        for _ in range(30):
            x, y = rnd.randrange(WIDTH), rnd.randrange(HEIGHT)
            box = (x, y, x + rnd.randrange(50, 600), y + rnd.randrange(50, 600))
            draw.ellipse(box, fill=tuple(rnd.randrange(256) for _ in range(3)))
        tmp = path.with_suffix(".part")
        image.save(tmp, "JPEG", quality=92, exif=exif_for(n, orientation))
        tmp.rename(path)
    return paths


def timed(fn, *args) -> tuple[float, float]:
    """(wall, CPU of the whole process) seconds: ingest uses threads to overlap disk writes."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def baseline(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.load()
    image.save(io.BytesIO(), "JPEG")


def rotate_baseline(data: bytes) -> None:
    """Context for rotated photos: the least Pillow must do to make an upright full copy."""
    image = Image.open(io.BytesIO(data))
    image.load()
    image.transpose(Image.Transpose.ROTATE_270).save(io.BytesIO(), "JPEG")


def breakdown(data: bytes) -> dict[str, float]:
    marks = [time.perf_counter()]
    decoded = decode_photo(data)
    marks.append(time.perf_counter())
    display_copy(decoded)
    marks.append(time.perf_counter())
    shareable_copy(data, decoded)
    marks.append(time.perf_counter())
    return {
        "inspect (hash, EXIF, decode)": marks[1] - marks[0],
        "display copy": marks[2] - marks[1],
        "shareable copy": marks[3] - marks[2],
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument(
        "--orientation",
        type=int,
        default=1,
        choices=range(1, 9),
        help="EXIF orientation of the photos (1: upright, 6: portrait phone shot)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "out" / "evidence"
    )
    args = parser.parse_args()

    paths = generate(args.out, args.count, args.orientation)
    sizes = [p.stat().st_size for p in paths]
    store_root = Path(tempfile.mkdtemp(prefix="store-", dir=args.out))
    rows: dict[str, list[tuple[float, float]]] = {"baseline: Pillow decode+encode": []}
    if args.orientation != 1:
        rows["(Pillow decode+rotate+encode)"] = []
    rows["ingest (PhotoStore.put)"] = []
    parts: dict[str, list[float]] = {}
    try:
        store = PhotoStore(store_root)
        for path in paths:
            data = path.read_bytes()  # upload bytes arrive in memory; reading is not timed
            rows["baseline: Pillow decode+encode"].append(timed(baseline, data))
            if args.orientation != 1:
                rows["(Pillow decode+rotate+encode)"].append(timed(rotate_baseline, data))
            rows["ingest (PhotoStore.put)"].append(timed(store.put, data))
        for path in paths[: min(20, len(paths))]:
            for label, seconds in breakdown(path.read_bytes()).items():
                parts.setdefault(label, []).append(seconds)
        stored = sum(1 for _ in store_root.glob("originals/*/*"))
    finally:
        shutil.rmtree(store_root, ignore_errors=True)

    print(
        f"{len(paths)} photos {WIDTH}x{HEIGHT}, orientation {args.orientation}, "
        f"JPEG {statistics.mean(sizes) / 1e6:.1f} MB average "
        f"({min(sizes) / 1e6:.1f}-{max(sizes) / 1e6:.1f}); {stored} originals stored"
    )
    print(f"{'per photo':32} {'wall median':>11} {'wall mean':>10} {'CPU median':>11}")
    for label, times in rows.items():
        walls = [w for w, _ in times]
        cpus = [c for _, c in times]
        print(
            f"{label:32} {ms(statistics.median(walls))} {ms(statistics.mean(walls))} "
            f"{ms(statistics.median(cpus))}"
        )
    for label, samples in parts.items():
        print(f"  of which {label:28} {ms(statistics.median(samples))} (median of {len(samples)})")
    base, done = rows["baseline: Pillow decode+encode"], rows["ingest (PhotoStore.put)"]
    for kind, index in (("wall", 0), ("CPU", 1)):
        ratio = statistics.median(t[index] for t in done) / statistics.median(
            t[index] for t in base
        )
        print(f"ratio ingest/baseline, {kind:4}: {ratio:.2f}x median (target <= 1.0x)")


if __name__ == "__main__":
    main()
