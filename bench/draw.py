"""The whole draw on 1,000,000 targets and 500 inspectors, against consistent_sampler alone.

Per backend (SQLite in a temporary file, PostgreSQL in a database of its own that this script
creates and drops), the data are generated first, untimed: 5 districts x 4 credit-risk classes
= 20 strata, 3 % drawn from each, ~3 % of the targets closed or deregistered, 500 inspectors
with 3 specialties each and a patch (所所交叉 applies). Then, each in a child process of its
own (so that its ru_maxrss is its own, and this process, which stays small, holds nothing that
would tilt the comparison; on a virtual machine a process that holds a lot of memory makes
another's fresh allocations markedly slower):
- timed: `prepare_draw` + `reveal_draw`, from reading the candidates to the record, tasks,
  teams, notifications and audit entries committed (on SQLite the copy of the committed log
  into the database file follows in a background thread, as PostgreSQL's checkpointer does
  it: how long after the reveal it ends is printed, untimed); `--repeat` times (3), each on a
  fresh copy of the generated database, each followed by its baseline; the ratio quoted is the
  median of the runs' ratios, all of them printed (the machines are noisy: a single run's
  baseline has varied from 5.7 to 9.3 s on one machine in one hour);
- baseline, in the same run: `consistent_sampler.sampler(ids, seed, take=3 %)` on each
  stratum's eligible ids held in plain Python lists (built untimed), with that draw's seed,
  checked to draw the same ids; the first once more under tracemalloc;
- memory: a second draw (another campaign, same data) under tracemalloc for the peak of
  Python allocations, and the child's ru_maxrss; both read once the reveal and its checkpoint
  are over, before the child reads the record back to compare it.
The team assignment's share of the timed draw is printed with each run (the matching in this
process; the ranking of each drawn target's inspectors runs in worker processes while the tasks
are written). Memory must not grow with the directory: run it again with `--targets 5000000`.
Target: ratio (draw / baseline) <= 1.0, peak RSS < 400 MB at 1 M and at 5 M targets. Usage:
    .venv/bin/python bench/draw.py [--targets 1000000] [--inspectors 500]
        [--backends sqlite,postgres] [--pg-admin postgres://postgres@127.0.0.1:5432/postgres]
        [--repeat 3] [--profile]     # cProfile the timed draws, print where the time goes
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
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import consistent_sampler
from tortoise import Tortoise

from demo.categories import CATEGORIES
from domain import clock
from domain.draw.record import take_count
from domain.rules.access import SYSTEM
from domain.rules.credit_code import complete
from domain.storage.db import migrate, tortoise_config

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
    from domain.storage.models import Department, InspectionItem, Inspector

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
                ratio_reason="benchmark: one ratio in every class",
                # The memory run is the same draw again: a second campaign on the same items.
                beyond_frequency="" if code == "BENCH-TIME" else "benchmark: the same draw again",
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
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone is the database: copied
    con.close()


async def pg_connect(url: str):
    """An asyncpg connection to `url` (tortoise's postgres:// scheme)."""
    import asyncpg

    return await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))


async def fill_postgres(url: str, count: int, ids: dict[str, int], now: str) -> None:
    con = await pg_connect(url)
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
    finally:
        await con.close()
    await pg_settle(url)


async def pg_settle(url: str) -> None:
    """Settled as a database that was not bulk-loaded (or copied) a moment ago would be:
    otherwise autovacuum and the checkpoint of a million fresh rows run during the timed draw,
    and its tables are read from disk rather than from the server's cache."""
    con = await pg_connect(url)
    try:
        await con.execute("VACUUM (ANALYZE) target")
        await con.execute("CHECKPOINT")
    finally:
        await con.close()


async def pg_database(admin: str, create: bool) -> None:
    con = await pg_connect(admin)
    try:
        await con.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if create:
            await con.execute(f"CREATE DATABASE {PG_DB}")
    finally:
        await con.close()


async def pg_copy(admin: str, source: str, copy: str | None, drop: str | None = None) -> None:
    """CREATE DATABASE `copy` as a file copy of `source` (a fresh, identical database per timed
    draw), after dropping `drop`."""
    con = await pg_connect(admin)
    try:
        if drop:
            await con.execute(f"DROP DATABASE IF EXISTS {drop} WITH (FORCE)")
        if copy:
            await con.execute(f"CREATE DATABASE {copy} TEMPLATE {source} STRATEGY FILE_COPY")
    finally:
        await con.close()


async def generate(url: str, backend: str, count: int, inspectors: int) -> float:
    start = time.perf_counter()
    await migrate(url)  # the schema as deployed (column storage settings included)
    await Tortoise.init(config=tortoise_config(url))
    ids = await base_rows(inspectors)
    await Tortoise.close_connections()
    now = clock.now().isoformat(sep=" ")
    if backend == "sqlite":
        fill_sqlite(url.removeprefix("sqlite://"), count, ids, now)
    else:
        await fill_postgres(url, count, ids, now)
    return time.perf_counter() - start


# -- the child: one draw, timed or traced -------------------------------------------------------


async def child_draw(url: str, code: str, record_out: str) -> dict:
    from domain.campaigns.prepare import prepare_draw
    from domain.campaigns.reveal import reveal_draw
    from domain.storage.models import Draw
    from domain.storage.wal_checkpoint import checkpoints_done

    await Tortoise.init(config=tortoise_config(url))
    assigning = _time_assignment()
    try:
        start, cpu = time.perf_counter(), time.process_time()
        prepared = await prepare_draw(SYSTEM, code)
        middle = time.perf_counter()
        result = await reveal_draw(SYSTEM, code, dice=DICE)
        end, cpu = time.perf_counter(), time.process_time() - cpu
        await checkpoints_done()  # SQLite: the log copied into the file, in the background
        settled = time.perf_counter()
        # The draw's peaks, before this process reads the record back to compare it (as a
        # string, a record of 5 M targets' draw takes 160 MB more).
        peaks = {
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "traced_peak_mib": tracemalloc.get_traced_memory()[1] / 2**20,
        }
        draw = await Draw.get(campaign__code=code, status="revealed")
        with open(record_out, "w", encoding="utf-8") as fh:  # noqa: ASYNC230 (untimed)
            fh.write(draw.record)
    finally:
        await Tortoise.close_connections()
    return {
        "prepare_s": middle - start,
        "reveal_s": end - middle,
        "total_s": end - start,
        "checkpoint_s": settled - end,
        "cpu_s": cpu,
        "assign_s": assigning["assign"],
        "rank_s": assigning["rank"],
        "eligible": sum(s.eligible for s in prepared.strata),
        "strata": len(prepared.strata),
        "tasks": result.tasks,
        "exclusions": prepared.exclusions,
        **peaks,
    }


def _time_assignment() -> dict[str, float]:
    """Seconds spent in the team assignment (the matching, in this process) and in ranking the
    candidate inspectors of each drawn target (in the workers, while the tasks are written)."""
    from domain.campaigns import reveal

    spent = {"assign": 0.0, "rank": 0.0}
    assign, rank = reveal.assign_teams, reveal.rankings

    def timed_assign(*args, **kwargs):
        start = time.perf_counter()
        try:
            return assign(*args, **kwargs)
        finally:
            spent["assign"] += time.perf_counter() - start

    async def timed_rank(*args, **kwargs):
        start = time.perf_counter()
        try:
            return await rank(*args, **kwargs)
        finally:
            spent["rank"] += time.perf_counter() - start

    reveal.assign_teams, reveal.rankings = timed_assign, timed_rank
    return spent


def run_child(args: argparse.Namespace) -> None:
    if args.mode.startswith("baseline"):
        traced = args.mode == "baseline-traced"
        print(json.dumps(run_baseline(args.targets, Path(args.record_out), traced)))
        return
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
        tracemalloc.stop()
    print(json.dumps(figures))


def child(url: str, code: str, record_out: Path, mode: str, targets: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, f"--targets={targets}", "--child", url, code,
         str(record_out), mode],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if out.returncode != 0:
        sys.exit(f"{mode} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the baseline -------------------------------------------------------------------------------


def baseline(strata: dict[str, list[str]], seed: str) -> dict[str, list[str]]:
    return {
        name: list(
            consistent_sampler.sampler(ids, seed, take=take_count(len(ids), RATIO), output="id")
        )
        for name, ids in strata.items()
    }


def run_baseline(targets: int, record_path: Path, traced: bool) -> dict:
    """The baseline with a timed draw's seed, in a process of its own, as the draw ran. The
    eligible lists are built (untimed) once and kept in a file for the next repetitions."""
    start = time.perf_counter()
    lists = record_path.parent / "eligible.json"
    if lists.exists():
        strata = json.loads(lists.read_text(encoding="utf-8"))
    else:
        strata = eligible_strata(targets)
        lists.write_text(json.dumps(strata), encoding="utf-8")
    built = time.perf_counter() - start
    record = json.loads(record_path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    reference = baseline(strata, record["seed"])
    seconds = time.perf_counter() - start
    drawn = {s["name"]: [d["id"] for d in s["drawn"]] for s in record["strata"]}
    figures = {
        "seconds": seconds,
        "same": reference == drawn,
        "eligible": sum(map(len, strata.values())),
        "built_s": built,
    }
    if traced:
        tracemalloc.start()
        baseline(strata, "memory")
        figures["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return figures


def timed_runs(backend: str, args: argparse.Namespace, url: str, folder: Path) -> list:
    """(draw figures, baseline figures) per repetition, each draw on a fresh copy of the
    generated database, each followed by its baseline."""
    runs = []
    for n in range(args.repeat):
        record_path = folder / f"record-{backend}-{n}.json"
        mode = "profile" if args.profile else "time"
        if backend == "sqlite":
            run_url = f"sqlite://{folder / f'run-{n}.sqlite3'}"
            shutil.copyfile(url.removeprefix("sqlite://"), run_url.removeprefix("sqlite://"))
        else:
            run_url = url + "_run"
            asyncio.run(pg_copy(args.pg_admin, PG_DB, PG_DB + "_run", drop=PG_DB + "_run"))
            asyncio.run(pg_settle(run_url))
        try:
            timed = child(run_url, "BENCH-TIME", record_path, mode, args.targets)
        finally:
            if backend == "sqlite":
                Path(run_url.removeprefix("sqlite://")).unlink()
            else:
                asyncio.run(pg_copy(args.pg_admin, PG_DB, None, drop=PG_DB + "_run"))
        mode = "baseline-traced" if n == 0 else "baseline"
        runs.append((timed, child(url, "", record_path, mode, args.targets)))
    return runs


def bench_backend(backend: str, args: argparse.Namespace, folder: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite://{folder / 'bench.sqlite3'}"
    else:
        asyncio.run(pg_database(args.pg_admin, create=True))
        url = args.pg_admin.rsplit("/", 1)[0] + f"/{PG_DB}"
    try:
        made = asyncio.run(generate(url, backend, args.targets, args.inspectors))
        print(f"\n[{backend}] data generated in {made:.1f} s (untimed)")
        runs = timed_runs(backend, args, url, folder)
        traced = child(
            url, "BENCH-MEMORY", folder / f"memory-{backend}.json", "trace", args.targets
        )
    finally:
        if backend == "postgres" and not args.keep:
            asyncio.run(pg_database(args.pg_admin, create=False))
    timed, reference = runs[0]
    print(
        f"  eligible {timed['eligible']:,} in {timed['strata']} strata, {timed['tasks']:,} tasks"
        f" drawn; excluded {timed['exclusions']}; baseline: consistent_sampler on the same "
        f"{reference['eligible']:,} eligible ids in plain lists (built untimed in "
        f"{reference['built_s']:.1f} s), peak Python allocations "
        f"{reference['traced_peak_mib']:.1f} MiB"
    )
    ratios = []
    for n, (timed, reference) in enumerate(runs, start=1):
        total, reference_s = timed["total_s"], reference["seconds"]
        ratios.append(total / reference_s)
        print(
            f"  run {n}: whole draw {total:5.2f} s (prepare {timed['prepare_s']:.2f} s + "
            f"reveal {timed['reveal_s']:.2f} s; CPU {timed['cpu_s']:.2f} s in its process"
            + (
                f"; checkpoint done {timed['checkpoint_s']:.2f} s later"
                if backend == "sqlite"
                else ""
            )
            + "), "
            f"team assignment {timed['assign_s']:.2f} s "
            f"({timed['assign_s'] / total:.1%} of the draw) + ranking {timed['rank_s']:.2f} s "
            f"in the workers alongside the writes ({timed['rank_s'] / total:.1%}), "
            f"baseline {reference_s:5.2f} s, ratio {ratios[-1]:.3f}, same draw: "
            f"{'yes' if reference['same'] else 'NO'}, max RSS {timed['rss_mib']:.0f} MiB"
        )
        if args.profile:
            print(timed["profile"])
    print(
        f"  ratio:       {statistics.median(ratios):6.3f}  median of {len(ratios)} "
        "(draw / baseline; target <= 1.0)"
    )
    print(
        f"  memory:      peak Python allocations {traced['traced_peak_mib']:.0f} MiB "
        f"(tracemalloc), max RSS {max(t['rss_mib'] for t, _ in runs):.0f} MiB timed / "
        f"{traced['rss_mib']:.0f} MiB traced (target < 400 MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-admin", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="timed draws, each with its baseline")
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
            argv += [f"--repeat={args.repeat}"]
            subprocess.run([sys.executable, __file__, *argv], check=True)
        return
    print(
        f"{args.targets:,} targets in {len(DISTRICTS) * 4} strata at {RATIO} %, "
        f"{args.inspectors} inspectors"
    )
    with tempfile.TemporaryDirectory(prefix="ssj-bench-draw-") as folder:
        bench_backend(backends[0], args, Path(folder))


if __name__ == "__main__":
    main()
