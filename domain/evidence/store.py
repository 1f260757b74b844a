"""Content-addressed photo storage on the local file system.

Layout under `root`: originals/ab/<sha256> (the uploaded bytes, read-only, never rewritten),
display/ab/<sha256>.jpg and shareable/ab/<sha256>.jpg. Every file is written to a hidden temp
file in its final directory, fsynced, then linked into place (link, unlike rename, never
replaces an existing file) and the directory fsynced: after a crash a name either holds the
whole file or does not exist. Leftover temp files are removed by `remove_stale_temp_files`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import tzinfo
from enum import StrEnum
from pathlib import Path

from domain.evidence.exif import SHANGHAI
from domain.evidence.photos import PhotoInfo, PhotoLimits, decode_photo, read_upload
from domain.evidence.variants import display_copy, shareable_copy

TEMP_PREFIX = ".tmp-"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Variant(StrEnum):
    ORIGINAL = "original"
    DISPLAY = "display"
    SHAREABLE = "shareable"


_FOLDER = {
    Variant.ORIGINAL: "originals",
    Variant.DISPLAY: "display",
    Variant.SHAREABLE: "shareable",
}
_SUFFIX = {Variant.ORIGINAL: "", Variant.DISPLAY: ".jpg", Variant.SHAREABLE: ".jpg"}


class StoreIntegrityError(RuntimeError):
    """A stored original no longer matches its hash: the store was altered behind our back."""


@dataclass(frozen=True)
class StoredFile:
    key: str  # path relative to the store root, with forward slashes
    path: Path
    size: int
    mime: str


@dataclass(frozen=True)
class StoredPhoto:
    info: PhotoInfo
    original: StoredFile
    display: StoredFile
    shareable: StoredFile
    already_stored: bool  # the original was there before this call (same bytes uploaded again)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class PhotoStore:
    def __init__(
        self,
        root: str | os.PathLike[str],
        limits: PhotoLimits = PhotoLimits(),
        default_tz: tzinfo = SHANGHAI,
    ) -> None:
        self.root = Path(root)
        self.limits = limits
        self.default_tz = default_tz

    def key(self, sha256: str, variant: Variant | str = Variant.ORIGINAL) -> str:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
        variant = Variant(variant)
        return f"{_FOLDER[variant]}/{sha256[:2]}/{sha256}{_SUFFIX[variant]}"

    def path(self, sha256: str, variant: Variant | str = Variant.ORIGINAL) -> Path:
        return self.root / self.key(sha256, variant)

    def exists(self, sha256: str, variant: Variant | str = Variant.ORIGINAL) -> bool:
        return self.path(sha256, variant).is_file()

    def read(self, sha256: str, variant: Variant | str = Variant.ORIGINAL) -> bytes:
        """The stored bytes; FileNotFoundError when that photo or copy is not stored."""
        return self.path(sha256, variant).read_bytes()

    def verify(self, sha256: str) -> bool:
        """Whether the stored original still hashes to its name."""
        return _sha256_of_file(self.path(sha256)) == sha256

    def put(
        self, source: bytes | str | os.PathLike[str], *, name: str | None = None
    ) -> StoredPhoto:
        """Inspect and store a photo with its two copies; raises PhotoRejected (and writes
        nothing) for a refused file. Storing the same bytes again re-uses the stored files."""
        data, file_name = read_upload(source, self.limits)
        decoded = decode_photo(
            data, name=name or file_name, limits=self.limits, default_tz=self.default_tz
        )
        info = decoded.info
        sha = info.sha256
        targets = {v: self.path(sha, v) for v in Variant}
        copies: dict[Variant, bytes] = {}
        if not targets[Variant.DISPLAY].is_file():
            copies[Variant.DISPLAY] = display_copy(decoded)
        if not targets[Variant.SHAREABLE].is_file():
            copies[Variant.SHAREABLE] = shareable_copy(data, decoded)
        already = not self._write_once(targets[Variant.ORIGINAL], data, read_only=True)
        if already and not self.verify(sha):
            raise StoreIntegrityError(f"stored original {targets[Variant.ORIGINAL]} is altered")
        for variant, content in copies.items():
            self._write_once(targets[variant], content)
        mimes = {
            Variant.ORIGINAL: info.mime,
            Variant.DISPLAY: "image/jpeg",
            Variant.SHAREABLE: "image/jpeg",
        }
        files = {
            v: StoredFile(self.key(sha, v), p, p.stat().st_size, mimes[v])
            for v, p in targets.items()
        }
        return StoredPhoto(
            info,
            files[Variant.ORIGINAL],
            files[Variant.DISPLAY],
            files[Variant.SHAREABLE],
            already_stored=already,
        )

    def _write_once(self, final: Path, content: bytes, read_only: bool = False) -> bool:
        """Write `content` under `final` unless a file is there; True if this call wrote it."""
        if final.exists():
            return False
        self._make_dirs(final.parent)
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=final.parent)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(temp, 0o444 if read_only else 0o644)
            written = self._link_into_place(temp, final)
            _fsync_dir(final.parent)
            return written
        finally:
            temp.unlink(missing_ok=True)

    @staticmethod
    def _link_into_place(temp: Path, final: Path) -> bool:
        try:
            os.link(temp, final)
        except FileExistsError:
            return False  # a concurrent put of the same bytes won
        except OSError:
            if final.exists():  # a file system without hard links: rename
                return False
            os.rename(temp, final)
        return True

    def _make_dirs(self, folder: Path) -> None:
        missing = []
        current = folder
        while not current.exists():
            missing.append(current)
            current = current.parent
        if not missing:
            return
        folder.mkdir(parents=True, exist_ok=True)
        for created in reversed(missing):  # make each new directory entry durable
            _fsync_dir(created.parent)

    def remove_stale_temp_files(self, older_than_s: float = 3600, now: float | None = None) -> int:
        """Delete temp files left by a crash (older than `older_than_s`); the count removed."""
        cutoff = (time.time() if now is None else now) - older_than_s
        removed = 0
        for temp in self.root.glob(f"*/*/{TEMP_PREFIX}*"):
            try:
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
