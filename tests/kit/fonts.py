"""Fonts built in the tests: a Latin-only one (must be refused) and one covering CJK, so the
renderer is tested on any machine, with or without a system CJK font."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

CJK_RANGES = (
    (0x20, 0x7F),
    (0xB7, 0xB8),
    (0x2014, 0x2015),
    (0x2018, 0x201A),
    (0x201C, 0x201E),
    (0x2026, 0x2027),
    (0x3000, 0x3040),
    (0x4E00, 0xA000),
    (0xFF00, 0xFF60),
)


def _box():
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((800, 700))
    pen.lineTo((800, 0))
    pen.closePath()
    return pen.glyph()


def build_font(path: Path, codepoints: list[int], family: str) -> Path:
    # One glyph per character: a shared glyph would make the PDF's text extract wrongly.
    names = [".notdef"] + [f"u{cp:04X}" for cp in codepoints]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({cp: f"u{cp:04X}" for cp in codepoints})
    box = _box()
    fb.setupGlyf({n: box for n in names})
    widths = {n: 500 for n in names}
    widths.update({f"u{cp:04X}": 1000 for cp in codepoints if cp >= 0x2000})
    fb.setupHorizontalMetrics({n: (w, 100) for n, w in widths.items()})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))
    return path


def latin_only_font(path: Path) -> Path:
    return build_font(path, list(range(0x20, 0x7F)), "Latin Only Test")


def cjk_test_font(path: Path) -> Path:
    cps = [cp for lo, hi in CJK_RANGES for cp in range(lo, hi)]
    return build_font(path, cps, "Test CJK")


@functools.cache
def shared_cjk_test_font() -> str:
    """One CJK test font for the whole run (building it takes a while), removed at exit."""
    folder = tempfile.mkdtemp(prefix="ssj-font-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return str(cjk_test_font(Path(folder) / "test-cjk.ttf"))
