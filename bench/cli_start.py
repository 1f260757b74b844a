"""How long the `shuangsuiji` command takes to start, against the interpreter starting at all.

Each command runs N times as a process of its own (the installed console script), the
commands taking turns so that a busy machine slows them alike; prints the median and the
fastest run of each, and each median over `python -c pass` measured in the same run. The
listing commands read a database loaded once with the demo data (not timed): `list KIND` reads
the SQLite file without the ORM, `campaign list` through it. For reference,
`import domain.storage.db` alone: what a command that goes through the ORM pays for it before
doing anything. With `--compare DIR` (a checkout of another revision, e.g.
`git worktree add /tmp/before main`), the same commands from that tree's code, in the same turns.
Usage:
    .venv/bin/python bench/cli_start.py [--runs 15] [--compare DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = str(Path(sys.executable).with_name("shuangsuiji"))

CASES = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("shuangsuiji --help", [SCRIPT, "--help"]),
    ("shuangsuiji list --help", [SCRIPT, "list", "--help"]),
    ("shuangsuiji campaign --help", [SCRIPT, "campaign", "--help"]),
    ("shuangsuiji list departments", [SCRIPT, "list", "departments"]),
    ("shuangsuiji list targets --json", [SCRIPT, "list", "targets", "--json"]),
    ("shuangsuiji campaign list", [SCRIPT, "campaign", "list"]),
    ("python -c 'import domain.storage.db'", [sys.executable, "-c", "import domain.storage.db"]),
]


def from_tree(tree: str, args: list[str]) -> list[str]:
    """The command as DIR's code runs it, with this environment's packages."""
    code = f"import sys; sys.path.insert(0, {tree!r}); from cli.main import main; sys.exit(main())"
    return [sys.executable, "-c", code, *args]


def timed(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--compare", metavar="DIR", help="also time the CLI of this checkout")
    args = parser.parse_args()
    cases = list(CASES)
    if args.compare:
        tree = str(Path(args.compare).resolve())
        cases += [
            (f"{name.split(' ', 1)[1]} (DIR)", from_tree(tree, argv[1:]))
            for name, argv in CASES
            if argv[0] == SCRIPT
        ]
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SSJ_")}
        env |= {"SSJ_DB_URL": f"sqlite://{folder}/bench.sqlite3", "SSJ_LOG_LEVEL": "WARNING"}
        for setup in (["init"], ["demo"]):
            subprocess.run([SCRIPT, *setup], env=env, cwd=folder, check=True, capture_output=True)
        times: dict[str, list[float]] = {name: [] for name, _ in cases}
        for _, argv in cases:  # once each, untimed: files into the page cache
            timed(argv, env, folder)
        for _ in range(args.runs):
            for name, argv in cases:
                times[name].append(timed(argv, env, folder))
    base = statistics.median(times["python -c pass"])
    print(f"{args.runs} runs each, taking turns; load average {os.getloadavg()[0]:.2f}")
    print(f"{'command':<40} {'median':>8} {'fastest':>8} {'× pass':>7}")
    for name, _ in cases:
        median = statistics.median(times[name])
        print(f"{name:<40} {median:8.3f} {min(times[name]):8.3f} {median / base:7.1f}")


if __name__ == "__main__":
    main()
