"""A big draw's hashing spread over worker processes.

A million-target draw hashes about a million ids to select targets and some five million
(target, inspector) pairs to rank teams. SHA-256 of a short id holds the GIL, so threads don't
help; processes do. The workers are plain `python -m domain.draw.workers` children fed pickled
calls on stdin, one at a time: no fork of a process that has threads (the database driver's),
no re-import of the caller's `__main__` (which `multiprocessing`'s spawn would do, and the CLI's
imports every command), and the caller's event loop stays free while they work.

    async with Workers.for_work(pairs) as workers:     # None-safe: small work runs here
        drawn = await select_targets(workers, strata, ratios, seed)

Results do not depend on where the work ran: workers run the same pure functions.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import struct
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from domain.draw import compute, ranking, tickets

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "smallest": tickets.smallest,
    "rank": ranking.rank_packed,
}
FRAME = struct.Struct("!Q")
# Below this many hashes the cost of starting processes (~0.1 s) outweighs their help.
MIN_HASHES = 400_000
MAX_WORKERS = 8
SLICE = 1 << 20  # bytes of a frame sent or read at once
# Ids per selection job: enough jobs to keep every worker busy.
PART_IDS = 100_000
# Workers import `domain` from where this process did, installed or not.
PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


class WorkerError(RuntimeError):
    pass


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Workers:
    def __init__(self, count: int) -> None:
        self.count = count
        self._procs: list[asyncio.subprocess.Process] = []
        self._idle: asyncio.Queue[asyncio.subprocess.Process] = asyncio.Queue()

    @classmethod
    def for_work(cls, hashes: int) -> Workers | None:
        count = min(cpu_count(), MAX_WORKERS)
        return cls(count) if count > 1 and hashes >= MIN_HASHES else None

    async def __aenter__(self) -> Workers:
        path = [PROJECT_ROOT, os.environ.get("PYTHONPATH")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))}
        try:
            for _ in range(self.count):
                proc = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "domain.draw.workers",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    env=env,
                )
                self._procs.append(proc)
                self._idle.put_nowait(proc)
        except BaseException:
            await self._stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stop()

    async def _stop(self) -> None:
        for proc in self._procs:
            if proc.stdin and not proc.stdin.is_closing():
                proc.stdin.close()
        for proc in self._procs:
            try:
                await asyncio.wait_for(proc.wait(), 5)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        self._procs = []
        self._idle = asyncio.Queue()

    async def call(self, function: str, args: tuple) -> Any:
        """`FUNCTIONS[function](*args)` in the next free worker."""
        proc = await self._idle.get()
        try:
            return await _call(proc, function, args)
        finally:
            self._idle.put_nowait(proc)

    async def map(self, function: str, calls: Sequence[tuple]) -> list[Any]:
        """`call` for each args in `calls`; the results in order."""
        return list(await asyncio.gather(*(self.call(function, args) for args in calls)))


async def _call(proc: asyncio.subprocess.Process, function: str, args: tuple) -> Any:
    assert proc.stdin is not None and proc.stdout is not None
    body = memoryview(pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL))
    # A frame of a big draw's record is tens of MB: written and read a slice at a time, so that
    # no second copy of it waits in a buffer (the memory budget counts every copy).
    proc.stdin.write(FRAME.pack(len(body)))
    for start in range(0, len(body), SLICE):
        proc.stdin.write(body[start : start + SLICE])
        await proc.stdin.drain()
    del body
    try:
        (size,) = FRAME.unpack(await proc.stdout.readexactly(FRAME.size))
        reply = bytearray(size)
        for start in range(0, size, SLICE):
            reply[start : start + SLICE] = await proc.stdout.readexactly(min(SLICE, size - start))
        ok, value = pickle.loads(reply)
    except asyncio.IncompleteReadError:
        raise WorkerError(f"draw worker {proc.pid} exited (code {proc.returncode})") from None
    if not ok:
        raise WorkerError(f"draw worker failed:\n{value}")
    return value


async def select_targets(
    workers: Workers | None,
    texts: AsyncIterator[tuple[str, str]],
    takes: dict[str, int],
    seed: str,
) -> dict[str, list[tuple[str, str]]]:
    """`compute.select_targets` of strata given as texts of ids one per line, a stratum whole
    or in parts (as `domain.campaigns.frozen.stratum_texts` reads them): each part's `take`
    smallest hold the stratum's, so only those are kept from one part to the next."""
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in sorted(takes)}
    async for name, text in texts:
        take = takes[name]
        if not take:
            continue
        if workers is None or tickets.ACCELERATED:
            # C tickets select a million ids in about the time the workers take to start (they
            # start meanwhile, for the rankings) and to receive the ids.
            found[name] += tickets.smallest_in_lines(text, seed, take)
        else:
            ids = compute.line_ids(text)
            calls = [(ids[s : s + PART_IDS], seed, take) for s in range(0, len(ids), PART_IDS)]
            for pairs in await workers.map("smallest", calls):
                found[name] += pairs
        found[name] = _first(found[name], take)
    return found


def _first(pairs: list[tuple[str, str]], take: int) -> list[tuple[str, str]]:
    """The `take` (id, ticket) pairs of smallest ticket, in ticket order."""
    return [(i, t) for t, i in sorted((t, i) for i, t in pairs)[:take]]


async def rankings(
    workers: Workers | None, job: ranking.RankJob
) -> list[ranking.Ranking] | ranking.Unpacked:
    if workers is None:
        return ranking.rank(job)
    return ranking.Unpacked(
        await workers.map("rank", [(part,) for part in job.parts(workers.count * 4)])
    )


def _serve() -> None:
    """The worker's loop: a call in, its result out, until stdin closes."""
    import traceback

    read, write = sys.stdin.buffer, sys.stdout.buffer
    while header := read.read(FRAME.size):
        (size,) = FRAME.unpack(header)
        function, args = pickle.loads(read.read(size))
        try:
            reply = (True, FUNCTIONS[function](*args))
        except Exception:
            reply = (False, traceback.format_exc())
        body = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        write.write(FRAME.pack(len(body)) + body)
        write.flush()


if __name__ == "__main__":
    _serve()
