"""Content-addressed photo storage on the local file system.

Layout under `root`: originals/ab/<sha256> (the uploaded bytes, read-only, never rewritten),
display/ab/<sha256>.jpg and shareable/ab/<sha256>.jpg. Every file is written to a hidden temp
file in its final directory, fsynced, then linked into place (link, unlike rename, never
replaces an existing file) and the directory fsynced: after a crash a name either holds the
whole file or does not exist. Temp files left by a crash are removed by
`remove_stale_temp_files`; a refused photo leaves no file and no new directory behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import tzinfo
from enum import StrEnum
from pathlib import Path

from domain import clock
from domain.evidence import rejections
from domain.evidence.photos import (
    DecodedPhoto,
    PhotoInfo,
    PhotoLimits,
    decode_photo,
    read_upload,
)
from domain.evidence.variants import display_copy, shareable_parts

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


@dataclass
class _Staged:
    temp: Path | None  # None: the final file already exists
    created_dirs: list[Path] = field(default_factory=list)

    def discard(self, remove_dirs: bool = True) -> None:
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
        for folder in self.created_dirs if remove_dirs else ():
            try:
                folder.rmdir()
            except OSError:
                break  # another writer put something there meanwhile


def _discard(job: Future[_Staged]) -> None:
    if job.cancel():
        return
    try:
        staged = job.result()
    except BaseException:
        return  # the staging failed and cleaned up after itself
    staged.discard()


class PhotoStore:
    def __init__(
        self,
        root: str | os.PathLike[str],
        limits: PhotoLimits = PhotoLimits(),
        default_tz: tzinfo | None = None,
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
        """Inspect and store a photo with its two copies; raises PhotoRejected (leaving the
        store as it was) for a refused file. Storing the same bytes again re-uses the files.

        Disk writes overlap the image work: the original is staged (written and fsynced under
        a temp name) while it is being inspected, and only linked into place once accepted.
        """
        data, file_name = read_upload(source, self.limits)
        if not data:  # refused before anything is staged
            raise rejections.empty(name or file_name)
        sha = hashlib.sha256(data).hexdigest()
        targets = {v: self.path(sha, v) for v in Variant}
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="photo-store") as pool:
            jobs: dict[Variant, Future[_Staged]] = {}
            try:
                if len(data) <= self.limits.max_bytes:
                    jobs[Variant.ORIGINAL] = pool.submit(
                        self._stage, targets[Variant.ORIGINAL], data, True
                    )
                decoded = decode_photo(
                    data,
                    name=name or file_name,
                    limits=self.limits,
                    default_tz=self.default_tz,
                    sha256=sha,
                )
                self._make_copies(pool, jobs, data, decoded, targets)
                staged = {v: job.result() for v, job in jobs.items()}
            except BaseException:
                for job in jobs.values():
                    _discard(job)
                raise
        try:
            already = not self._commit(targets[Variant.ORIGINAL], staged[Variant.ORIGINAL])
            if already and not self.verify(sha):
                raise StoreIntegrityError(f"stored original {targets[Variant.ORIGINAL]} is altered")
            for variant in (Variant.DISPLAY, Variant.SHAREABLE):
                self._commit(targets[variant], staged[variant])
        finally:
            for leftover in staged.values():  # committed ones are gone already
                leftover.discard(remove_dirs=False)
        info = decoded.info
        mimes = {Variant.ORIGINAL: info.mime}
        files = {
            v: StoredFile(self.key(sha, v), p, p.stat().st_size, mimes.get(v, "image/jpeg"))
            for v, p in targets.items()
        }
        return StoredPhoto(
            info,
            files[Variant.ORIGINAL],
            files[Variant.DISPLAY],
            files[Variant.SHAREABLE],
            already_stored=already,
        )

    def _make_copies(
        self,
        pool: ThreadPoolExecutor,
        jobs: dict[Variant, Future[_Staged]],
        data: bytes,
        decoded: DecodedPhoto,
        targets: dict[Variant, Path],
    ) -> None:
        """Stage both copies. A JPEG's shareable copy is cut from the bytes or encoded from the
        decoded pixels, only reading them, so it is made in the pool while this thread makes
        the display copy; other formats' copies are made one after the other (converting a
        palette image can touch the source)."""

        def shareable() -> _Staged:
            if targets[Variant.SHAREABLE].exists():
                return _Staged(None)
            return self._stage(targets[Variant.SHAREABLE], shareable_parts(data, decoded))

        from_bytes = decoded.info.format == "JPEG"
        if from_bytes:
            jobs[Variant.SHAREABLE] = pool.submit(shareable)
        display = b"" if targets[Variant.DISPLAY].exists() else display_copy(decoded)
        jobs[Variant.DISPLAY] = pool.submit(self._stage, targets[Variant.DISPLAY], display)
        if not from_bytes:
            jobs[Variant.SHAREABLE] = pool.submit(shareable)

    def _stage(
        self, final: Path, content: bytes | list[bytes | memoryview], read_only: bool = False
    ) -> _Staged:
        """Write and fsync `content` under a temp name next to `final` (unless `final` exists)."""
        if final.exists():
            return _Staged(None)
        created = self._make_dirs(final.parent)
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=final.parent)
        staged = _Staged(Path(temp_name), created)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.writelines([content] if isinstance(content, bytes) else content)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(temp_name, 0o444 if read_only else 0o644)
        except BaseException:
            staged.discard()
            raise
        return staged

    @staticmethod
    def _commit(final: Path, staged: _Staged) -> bool:
        """Give the staged file its final name; True if this call put it there."""
        if staged.temp is None:
            return False
        try:
            try:
                os.link(staged.temp, final)
            except FileExistsError:
                return False  # a concurrent put of the same bytes won
            except OSError:
                if final.exists():
                    return False
                os.rename(staged.temp, final)  # a file system without hard links
            _fsync_dir(final.parent)
            return True
        finally:
            staged.temp.unlink(missing_ok=True)

    @staticmethod
    def _make_dirs(folder: Path) -> list[Path]:
        """Create `folder` and its missing parents durably; the ones created, deepest first."""
        missing = []
        current = folder
        while not current.exists():
            missing.append(current)
            current = current.parent
        if missing:
            folder.mkdir(parents=True, exist_ok=True)
            for created in reversed(missing):
                _fsync_dir(created.parent)
        return missing

    def remove_stale_temp_files(self, older_than_s: float = 3600, now: float | None = None) -> int:
        """Delete temp files left by a crash (older than `older_than_s`); the count removed."""
        cutoff = (clock.now().timestamp() if now is None else now) - older_than_s
        removed = 0
        for temp in self.root.glob(f"*/*/{TEMP_PREFIX}*"):
            try:
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
