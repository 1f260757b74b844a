"""The field API under 50 concurrent clients, against a bare aiohttp handler in the same run.

`shuangsuiji serve` runs in a process of its own on a free loopback port, on a temporary SQLite
database generated first, untimed, as bench/draw.py generates its own: departments, items, 500
inspectors and ~345,000 targets, then a real `draw prepare` + `draw reveal` at 3 % (about
10,000 tasks, teams of two). Each of `--clients` clients is one inspector with a token of their
own (the domain's `issue_token`, as `shuangsuiji token issue` does) and one of their tasks put on
site (untimed) so that it takes evidence. Measured, one endpoint after another, every client
sending its requests one at a time on a kept-alive connection, opened by one untimed request
first (else the burst of 50 connects sets the p99 of a short run):
- GET /api/v1/tasks (the client's own list, first page), GET /api/v1/tasks/{id},
- GET /public/campaigns/{code}/task-notice (JSON; the same for all),
- POST /api/v1/tasks/{id}/notes, POST /api/v1/tasks/{id}/evidence (a ~3 MB camera JPEG, its
  bytes made distinct per upload so that none is a repeat).
Baseline, in the same run: a separate process serving the same routes with a bare aiohttp
handler that reads the request's body and answers the bytes the real server gave for that
endpoint (captured once, untimed). Per endpoint: requests per second and p50/p99 latency of
both, the server's CPU time per request (all its threads, from /proc; on 2 cores the one
process cannot use more than one core for Python), and the ratio real/bare of requests per
second. Bare and real alternate per endpoint,
`--repeat` times; the medians are quoted. Targets: reads >= 50 % of the bare handler with
p99 < 50 ms; note p99 < 100 ms; photo p99 < 300 ms. The machines are shared and noisy: quote
the ratios. Usage:
    .venv/bin/python bench/api.py [--clients 50] [--targets 345000] [--requests 20]
        [--photos 2] [--repeat 1] [--only tasks,task,notice,note,photo]
        [--keep DIR]    # generate into DIR once, reuse its database on the next runs
With --keep, the notes and photos of each run stay in the database and a task's detail (which
lists its evidence) grows with them: compare the detail only between runs on equal data.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

SCRIPT = Path(sys.executable).parent / "shuangsuiji"
SERVING = re.compile(r"serving on http://127\.0\.0\.1:(\d+)/")
CODE = "BENCH-TIME"
ENDPOINTS = ("tasks", "task", "notice", "note", "photo")
ROUTES = {
    "tasks": ("GET", "/api/v1/tasks"),
    "task": ("GET", "/api/v1/tasks/{task_id}"),
    "notice": ("GET", "/public/campaigns/{code}/task-notice"),
    "note": ("POST", "/api/v1/tasks/{task_id}/notes"),
    "photo": ("POST", "/api/v1/tasks/{task_id}/evidence"),
}
TARGETS = {"tasks": (50, 0.5), "task": (50, 0.5), "notice": (50, 0.5), "note": (100, None)}
TARGETS["photo"] = (300, None)


# -- the data, untimed -------------------------------------------------------------------------


async def generate(url: str, db_path: str, targets: int, clients: int) -> list[dict]:
    """The database, and per client: token, a task of theirs on site."""
    import draw as draw_bench
    from tortoise import Tortoise

    from domain import clock
    from domain.campaigns.prepare import prepare_draw
    from domain.campaigns.reveal import reveal_draw
    from domain.people.api_tokens import issue_token
    from domain.rules.access import SYSTEM
    from domain.storage.db import migrate, tortoise_config
    from domain.storage.models import Task, TeamMember
    from domain.storage.wal_checkpoint import checkpoints_done

    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    try:
        ids = await draw_bench.base_rows(500)
        draw_bench.fill_sqlite(db_path, targets, ids, clock.now().isoformat(sep=" "))
        await prepare_draw(SYSTEM, CODE)
        result = await reveal_draw(SYSTEM, CODE, dice=draw_bench.DICE)
        await checkpoints_done()
        members = await TeamMember.filter(task__campaign__code=CODE).order_by("task_id")
        chosen: dict[int, int] = {}  # inspector -> one task of theirs
        for m in members:
            if len(chosen) < clients and m.inspector_id not in chosen:
                if m.task_id not in chosen.values():
                    chosen[m.inspector_id] = m.task_id
        # Evidence is taken on site: the state a check-in leaves, set directly (untimed).
        await Task.filter(id__in=list(chosen.values())).update(state="on_site")
        people = []
        for inspector_id, task_id in chosen.items():
            issued = await issue_token(SYSTEM, "inspector", inspector_id, "bench")
            people.append({"token": issued.token, "task_id": task_id})
        print(f"{result.tasks} tasks, {len(people)} clients", flush=True)
        return people
    finally:
        await Tortoise.close_connections()


def photo_bytes(folder: Path) -> bytes:
    """A camera-like JPEG (bench/evidence.py's), re-encoded to about 3 MB."""
    import evidence as evidence_bench
    from PIL import Image

    source = evidence_bench.generate(folder, 1, 1)[0]
    image = Image.open(source)
    exif = image.info.get("exif", b"")
    for quality in (90, 87, 84, 80, 76, 72):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif)
        if out.tell() <= 3.2 * 2**20:
            break
    return out.getvalue()


def distinct(photo: bytes, n: int) -> bytes:
    """The same picture with a JPEG comment of its own: other bytes, not a repeat."""
    comment = f"bench upload {n}".encode()
    return photo[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + photo[2:]


# -- the load ----------------------------------------------------------------------------------


class Load:
    def __init__(self, base: str, people: list[dict], photo: bytes, args) -> None:
        self.base, self.people, self.photo, self.args = base, people, photo, args
        self.sent = 0

    def request(self, endpoint: str, person: dict, n: int) -> tuple[str, str, dict]:
        method, route = ROUTES[endpoint]
        path = route.format(task_id=person["task_id"], code=CODE)
        headers = {"Authorization": f"Bearer {person['token']}"}
        kwargs: dict = {"headers": headers}
        self.sent += 1
        key = f"{os.getpid()}-{self.base[-5:]}-{self.sent}"
        if endpoint == "note":
            headers["Idempotency-Key"] = key
            kwargs["json"] = {"text": f"消防通道畅通 {n}", "kind": "condition"}
        elif endpoint == "photo":
            headers["Idempotency-Key"] = key
            form = aiohttp.FormData()
            body = distinct(self.photo, self.sent)
            form.add_field("file", body, filename="p.jpg", content_type="image/jpeg")
            kwargs["data"] = form
        return method, self.base + path, kwargs

    async def run(self, endpoint: str, count: int) -> dict:
        latencies: list[float] = []
        failures: list[str] = []
        connector = aiohttp.TCPConnector(limit=0)
        warmed, go = [0], asyncio.Event()
        async with aiohttp.ClientSession(connector=connector) as session:

            async def send(person: dict, n: int, timed: bool = True) -> None:
                method, url, kwargs = self.request(endpoint, person, n)
                start = time.perf_counter()
                async with session.request(method, url, **kwargs) as response:
                    await response.read()
                if timed:
                    latencies.append(time.perf_counter() - start)
                if response.status >= 300:
                    failures.append(f"{response.status} {url}")

            async def client(person: dict) -> None:
                # One untimed request first, so that every client has its connection open:
                # otherwise the burst of 50 connects lands in the first requests' latencies
                # and sets the p99 of a short run.
                try:
                    await send(person, -1, timed=False)
                finally:
                    warmed[0] += 1
                    if warmed[0] == len(self.people):
                        go.set()
                await go.wait()
                for n in range(count):
                    await send(person, n)

            clients = [asyncio.ensure_future(client(p)) for p in self.people]
            await go.wait()
            start = time.perf_counter()
            await asyncio.gather(*clients)
            wall = time.perf_counter() - start
        if failures:
            raise SystemExit(f"{endpoint}: {len(failures)} failed, e.g. {failures[0]}")
        latencies.sort()
        return {
            "rps": len(latencies) / wall,
            "p50_ms": 1000 * latencies[len(latencies) // 2],
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        }

    async def sample(self, endpoint: str) -> dict:
        """One answer of the real server, as the bare handler will give it."""
        async with aiohttp.ClientSession() as session:
            method, url, kwargs = self.request(endpoint, self.people[0], 0)
            async with session.request(method, url, **kwargs) as response:
                body = await response.read()
                assert response.status < 300, (endpoint, response.status, body[:300])
                return {
                    "status": response.status,
                    "content_type": response.headers["Content-Type"],
                    "body": body.hex(),
                }


# -- the bare handler, in a process of its own ---------------------------------------------------


def run_bare(samples_path: str) -> None:
    samples = json.loads(Path(samples_path).read_text())
    app = web.Application(client_max_size=64 * 2**20)

    def handler(sample: dict):
        body = bytes.fromhex(sample["body"])

        async def answer(request: web.Request) -> web.Response:
            await request.read()
            return web.Response(
                body=body, status=sample["status"], headers={"Content-Type": sample["content_type"]}
            )

        return answer

    for endpoint, sample in samples.items():
        method, route = ROUTES[endpoint]
        app.router.add_route(method, route, handler(sample))

    async def start() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(f"serving on http://127.0.0.1:{runner.addresses[0][1]}/", flush=True)
        await asyncio.Event().wait()

    asyncio.run(start())


async def started(args: list[str], env: dict[str, str]) -> tuple[asyncio.subprocess.Process, str]:
    proc = await asyncio.create_subprocess_exec(
        *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    line = (await asyncio.wait_for(proc.stdout.readline(), 120)).decode()
    found = SERVING.search(line)
    if not found:
        proc.kill()
        raise SystemExit(f"did not start: {args}: {line}")
    return proc, f"http://127.0.0.1:{found.group(1)}"


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, all its threads (Linux: /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measured(load: Load, proc, endpoint: str, count: int) -> dict:
    """`load.run`, with the server's CPU time per request (the untimed first request of each
    client included): what the machine spends on each answer, whatever the concurrency."""
    before = cpu_seconds(proc.pid)
    result = await load.run(endpoint, count)
    requests = (count + 1) * len(load.people)
    result["cpu_ms"] = 1000 * (cpu_seconds(proc.pid) - before) / requests
    return result


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    await proc.communicate()


def figures(run: dict) -> str:
    return f"{run['rps']:9.0f} {run['p50_ms']:7.1f} {run['p99_ms']:7.1f} {run['cpu_ms']:7.2f}"


def verdict(endpoint: str, ratio: float, p99: float) -> str:
    p99_target, ratio_target = TARGETS[endpoint]
    ok = p99 < p99_target and (ratio_target is None or ratio >= ratio_target)
    wanted = f"p99 < {p99_target} ms" + (
        f", ratio >= {ratio_target:.0%}" if ratio_target is not None else ""
    )
    return ("ok" if ok else "MISSED") + f" ({wanted})"


async def bench(args: argparse.Namespace, folder: Path) -> None:
    db_path = folder / "bench.sqlite3"
    url = f"sqlite://{db_path}"
    saved = folder / "people.json"
    start = time.perf_counter()
    if saved.exists():  # --keep: the database of an earlier run
        people = json.loads(saved.read_text())[: args.clients]
    else:
        print(f"generating {args.targets} targets and the draw (not timed)...", flush=True)
        people = await generate(url, str(db_path), args.targets, args.clients)
        saved.write_text(json.dumps(people))
    photo = photo_bytes(ROOT / "bench" / "out")
    print(f"generated in {time.perf_counter() - start:.0f} s; photo {len(photo) / 2**20:.1f} MB")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSJ_")}
    env.update(SSJ_DB_URL=url, SSJ_DATA_DIR=str(folder), SSJ_LOG_LEVEL="WARNING")
    env.update(NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    server, base = await started([str(SCRIPT), "serve", "--host", "127.0.0.1", "--port", "0"], env)
    bare = None
    try:
        real = Load(base, people, photo, args)
        samples = {e: await real.sample(e) for e in args.only}
        samples_path = folder / "samples.json"
        samples_path.write_text(json.dumps(samples))
        bare, bare_base = await started(
            [sys.executable, __file__, "--bare", str(samples_path)], env
        )
        baseline = Load(bare_base, people, photo, args)
        rows = []
        for endpoint in args.only:
            count = args.photos if endpoint == "photo" else args.requests
            runs = {"real": [], "bare": []}
            for _ in range(args.repeat):
                runs["bare"].append(await measured(baseline, bare, endpoint, count))
                runs["real"].append(await measured(real, server, endpoint, count))
            rows.append((endpoint, runs))
    finally:
        await stop(server)
        if bare is not None:
            await stop(bare)
    print(f"\n{args.clients} clients; medians of {args.repeat} run(s)")
    columns = f"{'rps':>9} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7}"
    print(
        f"{'endpoint':8} {columns.replace('      rps', ' real rps')}   "
        f"{columns.replace('      rps', ' bare rps')}   {'ratio':>6}  target"
    )
    for endpoint, runs in rows:
        r = {k: statistics.median(x[k] for x in runs["real"]) for k in runs["real"][0]}
        b = {k: statistics.median(x[k] for x in runs["bare"]) for k in runs["bare"][0]}
        ratio = statistics.median(x["rps"] / y["rps"] for x, y in zip(*runs.values(), strict=True))
        print(
            f"{endpoint:8} {figures(r)}   {figures(b)}   {ratio:6.1%}  "
            + verdict(endpoint, ratio, r["p99_ms"])
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--targets", type=int, default=345_000)
    parser.add_argument("--requests", type=int, default=20, help="per client, per read or note")
    parser.add_argument("--photos", type=int, default=2, help="per client")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", default=",".join(ENDPOINTS))
    parser.add_argument("--keep", help="generate into (or reuse the database of) this folder")
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        run_bare(args.bare)
        return
    args.only = [e for e in args.only.split(",") if e]
    if unknown := set(args.only) - set(ENDPOINTS):
        raise SystemExit(f"unknown endpoints: {sorted(unknown)}")
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        asyncio.run(bench(args, Path(args.keep).resolve()))
        return
    folder = Path(tempfile.mkdtemp(prefix="ssj-bench-api-"))
    try:
        asyncio.run(bench(args, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
