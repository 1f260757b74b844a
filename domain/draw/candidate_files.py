"""The published candidate lists of a draw: a directory with one text file per stratum.

Each file holds that stratum's candidate ids (credit codes), one per line, UTF-8; the file name
is the stratum name percent-encoded (`urllib.parse.quote(name, safe="")`) plus ".txt", e.g.
`419802%3AA.txt` for stratum "419802:A" and `high-risk.txt`. Blank lines and surrounding spaces
are ignored, so the files may be edited by hand or written with Windows line ends; order does
not matter (the digest sorts). The inspector pool is not here: its frozen snapshot is inside the
record, since the team rules need its attributes and it is small.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote

from domain.draw.tickets import duplicates
from domain.errors import UserError


def stratum_file(name: str) -> str:
    return quote(name, safe="") + ".txt"


def read_ids(path: Path) -> list[str]:
    """Ids one per line; refuses duplicates, naming them (consistent_sampler refuses them too)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"找不到文件 {path} (file not found)") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: 应为 UTF-8 文本 (must be UTF-8 text): {exc}") from None
    ids = [line.strip() for line in text.splitlines()]
    ids = [i for i in ids if i]
    dupes = duplicates(ids)
    if dupes:
        shown = "、".join(dupes[:5]) + (" …" if len(dupes) > 5 else "")
        raise UserError(f"{path}: 有重复的编号 {shown} (duplicate ids)")
    return ids


def read_candidates(directory: Path, names: Iterable[str]) -> dict[str, list[str]]:
    if not directory.is_dir():
        raise UserError(f"{directory} 不是目录 (--candidates must be a directory)")
    out = {}
    for name in names:
        path = directory / stratum_file(name)
        if not path.exists():
            raise UserError(f"缺少分层「{name}」的候选名单文件 {path} (candidate file missing)")
        out[name] = read_ids(path)
    return out


def write_file(path: Path, text: str, *, private: bool) -> None:
    """Written beside `path` and renamed over it, so the file is never seen half-written and
    takes the mode it is created with even where an older copy stood (open keeps the mode of
    an existing file). `private`: owner-only (0600) from its creation, never readable by others
    even for an instant; otherwise the umask's usual mode."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def write_candidates(
    directory: Path, strata: Mapping[str, Iterable[str]], *, private: bool = False
) -> list[Path]:
    """`private` while the campaign is sealed: who could be drawn is not public before then."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, ids in sorted(strata.items()):
        path = directory / stratum_file(name)
        write_file(path, "".join(f"{i}\n" for i in sorted(ids)), private=private)
        paths.append(path)
    return paths
