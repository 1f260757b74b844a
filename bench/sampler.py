"""The production sampler against Rivest's consistent_sampler on the same ids, in the same run.

1,000,000 synthetic credit codes (valid check characters) in 20 strata, 3 % drawn from each:
`select_targets` (ours) and `consistent_sampler.sampler(ids, seed, take=k)` on each stratum's
plain list. Prints both times, the ratio (ours / reference; target <= 1.0), that both drew the
same ids in the same order, and the peak memory each allocates (tracemalloc, measured in a
separate untimed pass). Then, for information, team assignment for the drawn targets with a
500-inspector pool. Usage:
    .venv/bin/python bench/sampler.py [--ids 1000000] [--strata 20] [--ratio 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import consistent_sampler

from domain.draw.compute import assignment_order, select_targets
from domain.draw.record import take_count
from domain.draw.teams import Inspector, Matcher, TargetFacts, TeamParams, assign_teams
from domain.rules.credit_code import complete

SEED = "9f2c4e6a" * 8
CATEGORIES = (
    "设计",
    "监理",
    "检测",
    "施工图审查",
    "防护设备生产",
    "防护设备安装",
    "平时使用",
    "警报",
)


def make_strata(total: int, strata: int) -> dict[str, list[str]]:
    per = total // strata
    out = {}
    for s in range(strata):
        region = 320100 + s // 4
        out[f"{region}:{'ABCD'[s % 4]}"] = [
            complete(f"91{region}MA{s:02d}{n:05d}") for n in range(per)
        ]
    return out


def reference(strata: dict[str, list[str]], ratios: dict[str, str]) -> dict[str, list[str]]:
    return {
        name: list(
            consistent_sampler.sampler(
                ids, SEED, take=take_count(len(ids), ratios[name]), output="id"
            )
        )
        for name, ids in sorted(strata.items())
    }


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def peak_mib(fn, *args) -> float:
    tracemalloc.start()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def teams_bench(drawn: dict[str, list[tuple[str, str]]]) -> None:
    rng = random.Random(7)
    pool = [
        Inspector(
            f"RFZF-32{n:04d}",
            f"/32/3201/{320100 + n % 5}/",
            dt.date(2028, 1, 1),
            frozenset(rng.sample(CATEGORIES, 3)),
            str(320100 + n % 5),
        )
        for n in range(480)
    ] + [
        Inspector(f"RFZJ-32{n:04d}", "/32/", dt.date(2028, 1, 1), frozenset(CATEGORIES), None, True)
        for n in range(20)
    ]
    codes = assignment_order(drawn)
    facts = [
        TargetFacts(c, frozenset({rng.choice(CATEGORIES)}), c[2:8], frozenset(), frozenset())
        for c in codes
    ]
    params = TeamParams("/32/", dt.date(2026, 9, 30), experts_per_team=1)
    seconds, teams = timed(assign_teams, SEED, facts, pool, params)
    matcher = Matcher(pool, params)
    # Each target ranks everyone who passes its fixed rules: one hash per such pair.
    pairs = sum(len(matcher.fit(f, e)[0]) for f in facts for e in (False, True))
    print(
        f"teams:      {len(teams):,} teams of 2 + 1 expert from 500 inspectors in "
        f"{seconds:.2f} s ({seconds / len(codes) * 1e6:.0f} µs per target, "
        f"{seconds / pairs * 1e9:.0f} ns per ranked target × inspector pair, at most {pairs:,})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=1_000_000)
    parser.add_argument("--strata", type=int, default=20)
    parser.add_argument("--ratio", default="3")
    args = parser.parse_args()
    strata = make_strata(args.ids, args.strata)
    ratios = {name: args.ratio for name in strata}
    total = sum(map(len, strata.values()))
    print(f"{total:,} ids in {len(strata)} strata, {args.ratio} % each, seed {SEED[:16]}…")

    ours_s, ours = timed(select_targets, strata, ratios, SEED)
    ref_s, ref = timed(reference, strata, ratios)
    same = {name: [i for i, _ in pairs] for name, pairs in ours.items()} == ref
    drawn = sum(map(len, ours.values()))
    print(f"ours:       {ours_s:6.2f} s  ({ours_s / total * 1e9:5.0f} ns per id), {drawn:,} drawn")
    print(f"reference:  {ref_s:6.2f} s  ({ref_s / total * 1e9:5.0f} ns per id), consistent_sampler")
    print(f"ratio:      {ours_s / ref_s:.3f}  (ours / reference; target <= 1.0)")
    print(f"same draw:  {'yes' if same else 'NO'}")
    ours_peak = peak_mib(select_targets, strata, ratios, SEED)
    ref_peak = peak_mib(reference, strata, ratios)
    print(f"peak alloc: ours {ours_peak:.1f} MiB, reference {ref_peak:.1f} MiB (tracemalloc)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS:    {rss:.0f} MiB for the whole process (ids included)")
    teams_bench(ours)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
