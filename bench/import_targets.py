"""Import of a 100,000-row target CSV through the real CLI: wall time and peak memory.

Baseline in the same run: Python's csv module merely reading the same file, and the same CLI
importing a 1,000-row file (start-up and migration cost). Usage:
    .venv/bin/python bench/import_targets.py [--rows 100000] [--db-url URL]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.rules.credit_code import complete

CATEGORIES = ["人防工程设计", "人防工程监理", "人防工程检测", "人防工程平时使用", "防护设备生产"]


def make_files(folder: Path, rows: int) -> tuple[Path, Path]:
    departments = folder / "departments.csv"
    departments.write_text(
        "编码,名称,上级编码\n3299,示范市,\n329901,东城区,3299\n329902,西城区,3299\n"
    )
    targets = folder / "targets.csv"
    with targets.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["统一社会信用代码", "名称", "对象类别", "区域", "地址", "信用风险分类"])
        for n in range(rows):
            writer.writerow(
                [
                    complete(f"91329901MA{n:07d}"),
                    f"示范市第{n}号人防工程有限公司",
                    CATEGORIES[n % len(CATEGORIES)],
                    "329901" if n % 2 else "329902",
                    f"建设路{n}号",
                    "ABCD"[n % 4],
                ]
            )
    return departments, targets


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one CLI run in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cli.main", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        departments, targets = make_files(folder, args.rows)
        small = folder / "small.csv"
        small.write_text("".join(targets.open(encoding="utf-8").readlines()[:1001]))
        env = dict(os.environ, SSJ_DB_URL=args.db_url or f"sqlite://{folder / 'bench.sqlite3'}")
        env["SSJ_LOG_LEVEL"] = "WARNING"
        run_cli(["import", "departments", str(departments)], env)

        start = time.perf_counter()
        with targets.open(encoding="utf-8") as fh:
            sum(1 for _ in csv.reader(fh))
        read_only = time.perf_counter() - start

        small_time, _ = run_cli(["import", "targets", str(small)], env)
        full_time, peak = run_cli(["import", "targets", str(targets)], env)
        unchanged_time, _ = run_cli(["import", "targets", str(targets)], env)
        renamed = folder / "renamed.csv"
        renamed.write_text(targets.read_text(encoding="utf-8").replace("有限公司", "股份公司"))
        again_time, peak_again = run_cli(["import", "targets", str(renamed)], env)
    print(f"rows: {args.rows}  database: {'given' if args.db_url else 'SQLite file'}")
    print(f"csv.reader alone:          {read_only:7.2f} s")
    print(f"CLI, 1,000 rows (start-up): {small_time:6.2f} s")
    print(f"CLI, first import:         {full_time:7.2f} s  ({full_time / read_only:.0f}x csv read)")
    print(f"CLI, re-import unchanged:  {unchanged_time:7.2f} s")
    print(f"CLI, re-import, all renamed: {again_time:5.2f} s")
    print(f"peak memory of the CLI process: {max(peak, peak_again):.0f} MiB")


if __name__ == "__main__":
    main()
