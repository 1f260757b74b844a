"""Finding a font that really draws Chinese: configured path, then fontconfig, then known paths."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError

from domain.errors import UserError

ENV_VAR = "SSJ_FONT_PATH"

# Characters every notice prints; a font lacking any of them would draw empty boxes.
CJK_PROBE = "行政检查通知书统一社会信用代码年月日，。"

# Searched when fontconfig is missing or finds nothing (macOS and Windows have no fc-list
# by default; some containers have fonts but no fontconfig cache).
WELL_KNOWN_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)

HOW_TO_INSTALL = (
    "请安装一种免费中文字体（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk，"
    "或 fonts-wqy-zenhei；也可运行 make fonts），"
    f"或将环境变量 {ENV_VAR} 设为一个含中文字形的 .ttf/.otf/.ttc 字体文件路径。"
)


@dataclass(frozen=True)
class CjkFont:
    """One face of a font file: `index` is the face inside a .ttc collection (0 otherwise)."""

    path: str
    index: int
    family: str
    bold_path: str | None = None
    bold_index: int = 0

    def missing(self, text: str) -> str:
        """The characters of `text` this face has no glyph for, each once, in order."""
        cmap = _face(self.path, self.index, _stamp(self.path)).cmap
        seen: dict[str, None] = {}
        for ch in text:
            if not ch.isspace() and ord(ch) not in cmap:
                seen[ch] = None
        return "".join(seen)


@dataclass(frozen=True)
class _Face:
    family: str
    cmap: frozenset[int]


def _stamp(path: str) -> tuple[float, int]:
    st = os.stat(path)
    return (st.st_mtime, st.st_size)


def _face_score(family: str) -> int:
    # Collections such as Noto CJK hold JP/KR/SC/TC/HK faces sharing one cmap; the SC face
    # has the mainland glyph shapes a Chinese document needs.
    upper = f" {family.upper()} "
    if " SC " in upper or " GB" in upper or " CN " in upper:
        return 0
    if any(tag in upper for tag in (" JP ", " KR ", " TC ", " HK ", " MONO ")):
        return 2
    return 1


@lru_cache(maxsize=32)
def _pick_index(path: str, stamp: tuple[float, int]) -> int:
    """Best face of a collection by name alone: reading every face's cmap costs seconds."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    collection = TTCollection(path, lazy=True)
    names = [f["name"].getDebugName(1) or "" for f in collection.fonts]
    return min(range(len(names)), key=lambda i: (_face_score(names[i]), i))


@lru_cache(maxsize=32)
def _face(path: str, index: int, stamp: tuple[float, int]) -> _Face:
    with TTFont(path, fontNumber=index, lazy=True) as font:
        family = font["name"].getDebugName(1) or Path(path).stem
        return _Face(family=family, cmap=frozenset(font.getBestCmap() or {}))


def _load(path: str) -> CjkFont:
    """The font at `path` if it opens and covers the probe characters; UserError otherwise."""
    stamp = _stamp(path)
    try:
        index = _pick_index(path, stamp)
        face = _face(path, index, stamp)
    except (TTLibError, OSError, KeyError, AssertionError, ValueError) as exc:
        raise UserError(f"字体文件 {path} 无法读取（{exc}）。{HOW_TO_INSTALL}") from exc
    lacking = [ch for ch in CJK_PROBE if ord(ch) not in face.cmap]
    if lacking:
        raise UserError(
            f"字体 {path}（{face.family}）不含中文字形（缺少“{''.join(lacking)}”），"
            f"用它生成的通知书将是空白方框。{HOW_TO_INSTALL}"
        )
    return CjkFont(path=path, index=index, family=face.family)


def _with_bold(font: CjkFont) -> CjkFont:
    """Add the Bold sibling file (Noto: *-Regular → *-Bold) for the title, when present."""
    name = Path(font.path).name
    if "Regular" not in name:
        return font
    sibling = str(Path(font.path).with_name(name.replace("Regular", "Bold")))
    if not os.path.isfile(sibling):
        return font
    try:
        bold = _load(sibling)
    except UserError:
        return font
    return CjkFont(font.path, font.index, font.family, bold.path, bold.index)


def _rank(path: str) -> tuple[int, str]:
    # Song (serif) faces are the customary body face of administrative documents.
    low = Path(path).name.lower()
    if "bold" in low or "black" in low or "light" in low or "thin" in low:
        return (9, low)
    if "serif" in low or "song" in low or "sun" in low or "ming" in low:
        return (0, low)
    if "sans" in low or "hei" in low:
        return (1, low)
    return (2, low)


def fontconfig_candidates() -> list[str]:
    """Font files fontconfig says cover Chinese, best-suited first; [] without fontconfig."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(
            [fc_list, "--format", "%{file}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = {line.strip() for line in out.splitlines() if line.strip()}
    supported = (".ttf", ".otf", ".ttc", ".otc")
    return sorted((f for f in files if f.lower().endswith(supported)), key=_rank)


def _first_usable(paths: Iterable[str]) -> CjkFont | None:
    for path in paths:
        if not os.path.isfile(path):
            continue
        try:
            return _load(path)
        except UserError:
            continue
    return None


def find_cjk_font(configured: str = "", environ: Mapping[str, str] | None = None) -> CjkFont:
    """The font to print notices with.

    A configured path (`Settings.font_path`, else `SSJ_FONT_PATH`) wins and is never silently
    replaced: a wrong setting is an error. Otherwise fontconfig, then well-known paths.
    """
    env = os.environ if environ is None else environ
    chosen = configured or env.get(ENV_VAR, "")
    if chosen:
        path = os.path.expanduser(chosen)
        if not os.path.isfile(path):
            raise UserError(f"{ENV_VAR} 指定的字体文件不存在：{chosen}。{HOW_TO_INSTALL}")
        return _with_bold(_load(path))
    found = _first_usable(fontconfig_candidates()) or _first_usable(WELL_KNOWN_PATHS)
    if found is None:
        raise UserError(f"找不到可用的中文字体，无法生成《行政检查通知书》。{HOW_TO_INSTALL}")
    return _with_bold(found)
