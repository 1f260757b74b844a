"""Candidate ids put aside on disk stratum by stratum while the directory is read, then sorted
one stratum at a time: memory holds a few read chunks and one sort's budget, never the whole
directory (a province's holds tens of millions of businesses).

The files are in a private temporary directory (0700: who may be drawn is sealed until the
reveal) removed by `close`.
"""

from __future__ import annotations

import hashlib
import heapq
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from domain.draw.compute import line_count, sorted_lines
from domain.draw.record import lines_digest

FLUSH_CHARS = 1 << 20  # a stratum's ids kept in memory before they are appended to its file
# Characters of ids sorted in memory at once (about 900,000 credit codes); a bigger stratum is
# sorted in runs of this size, merged from disk.
SORT_CHARS = 16 << 20
WRITE_LINES = 20_000


@dataclass(frozen=True)
class SortedStratum:
    name: str
    count: int
    digest: str  # `lines_digest` of the sorted ids
    path: Path  # the sorted ids, each followed by a line end


class Spill:
    def __init__(self) -> None:
        self._folder: Path | None = None
        self.counts: Counter = Counter()
        self._buffers: dict[str, list[str]] = {}
        self._buffered: Counter = Counter()

    def add(self, name: str, ids: str, count: int) -> None:
        """`count` ids of stratum `name`, one per line (no final line end), in any order."""
        self.counts[name] += count
        self._buffers.setdefault(name, []).append(ids)
        self._buffered[name] += len(ids)
        if self._buffered[name] >= FLUSH_CHARS:
            self._flush(name)

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="ssj-candidates-"))
        return self._folder

    def _file(self, name: str, kind: str = "in") -> Path:
        return self.folder / f"{kind}-{quote(name, safe='')}"

    def _flush(self, name: str) -> None:
        texts = self._buffers.pop(name, [])
        self._buffered.pop(name, None)
        if texts:
            with open(self._file(name), "a", encoding="utf-8") as out:
                out.write("\n".join(texts) + "\n")

    def sort(self, name: str, leave_out: frozenset[str] = frozenset()) -> SortedStratum:
        """The stratum's ids sorted (as Python sorts strings) into a file of their own, without
        those in `leave_out`."""
        self._flush(name)
        source, target = self._file(name), self._file(name, "sorted")
        if source.stat().st_size <= SORT_CHARS:
            text = sorted_lines(source.read_text(encoding="utf-8")[:-1])
            if leave_out:
                text = "\n".join(i for i in text.split("\n") if i not in leave_out)
            with open(target, "w", encoding="utf-8") as out:
                out.write(text + "\n" if text else "")
            digest = lines_digest(text)
            count = line_count(text)
        else:
            count, digest = self._merge(name, self._runs(name), target, leave_out)
        source.unlink()
        return SortedStratum(name, count, digest, target)

    def _runs(self, name: str) -> list[Path]:
        runs: list[Path] = []
        with open(self._file(name), encoding="utf-8") as source:
            while part := source.read(SORT_CHARS):
                part += source.readline()  # to the end of the line
                run = self._file(name, f"run{len(runs)}")
                with open(run, "w", encoding="utf-8") as out:
                    out.write(sorted_lines(part[:-1]) + "\n")
                runs.append(run)
                del part
        return runs

    @staticmethod
    def _merge(
        name: str, runs: list[Path], target: Path, leave_out: frozenset[str]
    ) -> tuple[int, str]:
        digest, count = hashlib.sha256(), 0
        with ExitStack() as stack, open(target, "w", encoding="utf-8") as out:
            merged = heapq.merge(*(stack.enter_context(open(r, encoding="utf-8")) for r in runs))
            batch: list[str] = []
            for line in merged:
                if leave_out and line[:-1] in leave_out:
                    continue
                batch.append(line)
                if len(batch) >= WRITE_LINES:
                    count += _write(out, digest, batch)
            count += _write(out, digest, batch)
        for run in runs:
            run.unlink()
        return count, digest.hexdigest()

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def _write(out, digest, batch: list[str]) -> int:
    text = "".join(batch)
    out.write(text)
    digest.update(text.encode())
    written = len(batch)
    batch.clear()
    return written


def pieces(path: Path, size: int) -> Iterator[str]:
    """The ids of a sorted file in pieces of `size`, one per line (no final line end)."""
    with open(path, encoding="utf-8") as source:
        while True:
            lines = [line for _, line in zip(range(size), source, strict=False)]
            if not lines:
                return
            yield "".join(lines)[:-1]
