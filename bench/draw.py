"""The whole draw on 1,000,000 targets and 500 inspectors, against consistent_sampler alone.

Per backend (SQLite in a temporary file, PostgreSQL in a database of its own that this script
creates and drops), the data are generated first, untimed: 5 districts x 4 credit-risk classes
= 20 strata, 3 % drawn from each, ~3 % of the targets closed or deregistered, 500 inspectors
with 3 specialties each and a patch (所所交叉 applies). Then, in a child process (so that its
ru_maxrss is the draw's own):
- timed: `prepare_draw` + `reveal_draw`, from reading the candidates to the record, tasks,
  teams, notifications and audit entries committed;
- baseline, in the same run: `consistent_sampler.sampler(ids, seed, take=3 %)` on each
  stratum's eligible ids held in plain Python lists, with the draw's own seed, checked to
  draw the same ids;
- memory: a second draw (another campaign, same data) under tracemalloc for the peak of
  Python allocations, and the child's ru_maxrss.
Target: ratio (draw / baseline) <= 1.0, peak < 400 MB. Usage:
    .venv/bin/python bench/draw.py [--targets 1000000] [--inspectors 500]
        [--backends sqlite,postgres] [--pg-admin postgres://postgres@127.0.0.1:5432/postgres]
        [--profile]     # cProfile the timed draw, print where the time goes
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import datetime as dt
import io
import json
import pstats
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import consistent_sampler
from tortoise import Tortoise

from domain.access import SYSTEM
from domain.credit_code import complete
from domain.db import migrate, tortoise_config
from domain.demo.categories import CATEGORIES
from domain.draw.record import take_count

CITY = "320100"
DISTRICTS = [f"3201{n:02d}" for n in range(2, 7)]
RATIO = "3"
PG_DB = "ssj_bench_draw"
DICE = "27182818284590452353 60287471352662497757"
COLUMNS = (
    "created_at", "updated_at", "credit_code", "name", "categories", "address", "status",
    "complaints", "abnormal_listed", "bad_record", "serious_violation", "risk_class",
    "jurisdiction_id", "region_id",
)  # fmt: skip


def target_rows(count: int, region_ids: dict[str, int], now: str):
    """The n-th target, the same for every backend and for the baseline."""
    rng = random.Random(2026)
    for n in range(count):
        district = DISTRICTS[n % 5]
        status = "closed" if n % 100 == 7 else "deregistered" if n % 100 == 13 else "operating"
        yield (
            now, now, complete(f"91{district}MA{n:07d}"), f"示范人防工程第{n}号有限公司",
            json.dumps([rng.choice(CATEGORIES)], ensure_ascii=False), "", status,
            n % 3, False, False, False, "ABCD"[(n // 5) % 4],
            region_ids[district], region_ids[district],
        )  # fmt: skip


def eligible_strata(count: int) -> dict[str, list[str]]:
    """What the draw should find eligible, per stratum, as plain lists (the baseline's input)."""
    strata: dict[str, list[str]] = {f"{d}:{r}": [] for d in DISTRICTS for r in "ABCD"}
    for row in target_rows(count, dict.fromkeys(DISTRICTS, 0), ""):
        if row[6] == "operating":
            strata[f"{row[2][2:8]}:{row[11]}"].append(row[2])
    return {name: sorted(ids) for name, ids in strata.items()}


async def base_rows(inspectors: int) -> dict[str, int]:
    """Departments, items, inspectors and two campaigns through the ORM (small)."""
    from domain.campaigns.plan import CampaignSpec, create_campaign
    from domain.models import Department, InspectionItem, Inspector

    city = await Department.create(code=CITY, name="示范市人防办", path=f"/{CITY}/")
    ids = {CITY: city.id}
    for code in DISTRICTS:
        d = await Department.create(
            code=code, name=f"{code}区人防办", parent=city, path=f"/{CITY}/{code}/"
        )
        ids[code] = d.id
    for n in range(4):
        await InspectionItem.create(
            code=f"RF-{n + 1:02d}", name=f"事项{n + 1}", legal_basis="《人民防空法》",
            body=city, content="检查", categories=list(CATEGORIES[2 * n : 2 * n + 2]),
            ratio_percent=3,
        )  # fmt: skip
    await Inspector.bulk_create(
        [
            Inspector(
                cert_no=f"RFZF{CITY}{n:05d}",
                name=f"检查员{n}",
                department_id=ids[DISTRICTS[n % 5]],
                patch_id=ids[DISTRICTS[n % 5]],
                cert_valid_until=dt.date(2026, 6, 30) if n % 50 == 3 else dt.date(2030, 1, 1),
                # Three each, every category covered by 3/8 of every district's officers: the
                # fair-share cap leaves little slack, and a lopsided pool fails the draw.
                specialties=[CATEGORIES[(n + k) % 8] for k in (0, 1, 3)],
                active=n % 50 != 5,
            )
            for n in range(inspectors)
        ]
    )
    for code in ("BENCH-TIME", "BENCH-MEMORY"):
        await create_campaign(
            SYSTEM,
            CampaignSpec(
                code=code,
                name=f"基准 {code}",
                department=CITY,
                items=[f"RF-{n + 1:02d}" for n in range(4)],
                start_date=dt.date(2026, 11, 2),
                due_date=dt.date(2026, 12, 18),
                ratios={k: RATIO for k in ("A", "B", "C", "D", "high")},
            ),
        )
    return ids


def fill_sqlite(path: str, count: int, ids: dict[str, int], now: str) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    sql = f"INSERT INTO target ({','.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})"
    rows = target_rows(count, ids, now)
    while batch := [r for _, r in zip(range(100_000), rows, strict=False)]:
        con.executemany(sql, batch)
    con.commit()
    con.execute("ANALYZE")
    con.close()


async def fill_postgres(url: str, count: int, ids: dict[str, int], now: str) -> None:
    import asyncpg

    con = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        rows = target_rows(count, ids, now)
        while batch := [r for _, r in zip(range(100_000), rows, strict=False)]:
            buffer = io.StringIO()
            csv.writer(buffer).writerows(batch)
            await con.copy_to_table(
                "target",
                source=io.BytesIO(buffer.getvalue().encode()),
                columns=list(COLUMNS),
                format="csv",
                force_not_null=["address"],
            )
        # Settled as a database that was not bulk-loaded a moment ago would be: otherwise
        # autovacuum and the checkpoint of a million fresh rows run during the timed draw.
        await con.execute("VACUUM (ANALYZE) target")
        await con.execute("CHECKPOINT")
    finally:
        await con.close()


async def pg_database(admin: str, create: bool) -> None:
    import asyncpg

    con = await asyncpg.connect(admin.replace("postgres://", "postgresql://", 1))
    try:
        await con.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if create:
            await con.execute(f"CREATE DATABASE {PG_DB}")
    finally:
        await con.close()


async def generate(url: str, backend: str, count: int, inspectors: int) -> float:
    start = time.perf_counter()
    await migrate(url)  # the schema as deployed (column storage settings included)
    await Tortoise.init(config=tortoise_config(url))
    ids = await base_rows(inspectors)
    await Tortoise.close_connections()
    now = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    if backend == "sqlite":
        fill_sqlite(url.removeprefix("sqlite://"), count, ids, now)
    else:
        await fill_postgres(url, count, ids, now)
    return time.perf_counter() - start


# -- the child: one draw, timed or traced -------------------------------------------------------


async def child_draw(url: str, code: str, record_out: str) -> dict:
    from domain.campaigns.prepare import prepare_draw
    from domain.campaigns.reveal import reveal_draw
    from domain.models import Draw

    await Tortoise.init(config=tortoise_config(url))
    try:
        start, cpu = time.perf_counter(), time.process_time()
        prepared = await prepare_draw(SYSTEM, code)
        middle = time.perf_counter()
        result = await reveal_draw(SYSTEM, code, dice=DICE)
        end, cpu = time.perf_counter(), time.process_time() - cpu
        draw = await Draw.get(campaign__code=code, status="revealed")
        with open(record_out, "w", encoding="utf-8") as fh:  # noqa: ASYNC230 (untimed)
            fh.write(draw.record)
    finally:
        await Tortoise.close_connections()
    return {
        "prepare_s": middle - start,
        "reveal_s": end - middle,
        "total_s": end - start,
        "cpu_s": cpu,
        "eligible": sum(s.eligible for s in prepared.strata),
        "strata": len(prepared.strata),
        "tasks": result.tasks,
        "exclusions": prepared.exclusions,
    }


def run_child(args: argparse.Namespace) -> None:
    trace, profile = args.mode == "trace", args.mode == "profile"
    if trace:
        tracemalloc.start()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    figures = asyncio.run(child_draw(args.url, args.code, args.record_out))
    if profiler:
        profiler.disable()
        stats = io.StringIO()
        pstats.Stats(profiler, stream=stats).sort_stats("cumulative").print_stats(45)
        figures["profile"] = stats.getvalue()
    if trace:
        figures["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    figures["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def child(url: str, code: str, record_out: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", url, code, str(record_out), mode],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.exit(f"draw failed ({mode}):\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the baseline -------------------------------------------------------------------------------


def baseline(strata: dict[str, list[str]], seed: str) -> dict[str, list[str]]:
    return {
        name: list(
            consistent_sampler.sampler(ids, seed, take=take_count(len(ids), RATIO), output="id")
        )
        for name, ids in strata.items()
    }


def bench_backend(backend: str, args: argparse.Namespace, strata, folder: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite://{folder / 'bench.sqlite3'}"
    else:
        asyncio.run(pg_database(args.pg_admin, create=True))
        url = args.pg_admin.rsplit("/", 1)[0] + f"/{PG_DB}"
    try:
        made = asyncio.run(generate(url, backend, args.targets, args.inspectors))
        print(f"\n[{backend}] data generated in {made:.1f} s (untimed)")
        record_path = folder / f"record-{backend}.json"
        timed = child(url, "BENCH-TIME", record_path, "profile" if args.profile else "time")
        record = json.loads(record_path.read_text(encoding="utf-8"))
        start = time.perf_counter()
        reference = baseline(strata, record["seed"])
        reference_s = time.perf_counter() - start
        same = reference == {s["name"]: [d["id"] for d in s["drawn"]] for s in record["strata"]}
        traced = child(url, "BENCH-MEMORY", folder / f"memory-{backend}.json", "trace")
    finally:
        if backend == "postgres" and not args.keep:
            asyncio.run(pg_database(args.pg_admin, create=False))
    total = timed["total_s"]
    print(
        f"  eligible {timed['eligible']:,} in {timed['strata']} strata, {timed['tasks']:,} tasks"
        f" drawn; excluded {timed['exclusions']}"
    )
    print(f"  whole draw:  {total:6.2f} s  (prepare {timed['prepare_s']:.2f} s + reveal "
          f"{timed['reveal_s']:.2f} s: database read to record saved; "
          f"CPU {timed['cpu_s']:.2f} s in this process)")  # fmt: skip
    print(f"  baseline:    {reference_s:6.2f} s  (consistent_sampler on the same eligible ids)")
    print(f"  ratio:       {total / reference_s:6.3f}  (draw / baseline; target <= 1.0)")
    print(f"  same draw:   {'yes' if same else 'NO'}")
    print(
        f"  memory:      peak Python allocations {traced['traced_peak_mib']:.0f} MiB "
        f"(tracemalloc), max RSS {timed['rss_mib']:.0f} MiB timed / {traced['rss_mib']:.0f} MiB "
        "traced (target < 400 MB)"
    )
    if args.profile:
        print(timed["profile"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-admin", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", nargs=4, metavar=("URL", "CODE", "RECORD", "MODE"))
    args = parser.parse_args()
    if args.child:
        args.url, args.code, args.record_out, args.mode = args.child
        run_child(args)
        return
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if len(backends) > 1:
        # One process per backend: tortoise keeps per-model query state from its first init.
        for backend in backends:
            argv = [f"--targets={args.targets}", f"--inspectors={args.inspectors}"]
            argv += [f"--pg-admin={args.pg_admin}", f"--backends={backend}"]
            argv += ["--keep"] * args.keep + ["--profile"] * args.profile
            subprocess.run([sys.executable, __file__, *argv], check=True)
        return
    start = time.perf_counter()
    strata = eligible_strata(args.targets)
    print(
        f"{args.targets:,} targets ({sum(map(len, strata.values())):,} eligible) in "
        f"{len(strata)} strata at {RATIO} %, {args.inspectors} inspectors "
        f"(baseline lists built in {time.perf_counter() - start:.1f} s)"
    )
    tracemalloc.start()
    baseline(strata, "memory")
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"baseline peak Python allocations while sampling: {peak:.1f} MiB (tracemalloc)")
    with tempfile.TemporaryDirectory(prefix="ssj-bench-draw-") as folder:
        bench_backend(backends[0], args, strata, Path(folder))


if __name__ == "__main__":
    main()
