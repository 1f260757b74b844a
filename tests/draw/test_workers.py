"""A big draw's hashing in worker processes gives exactly what the in-process code gives.

Real child processes run here (two of them, forced on a small draw): the draw's answer must not
depend on the machine's core count."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from domain.draw import compute, ranking, tickets, workers
from domain.draw.record import take_count
from domain.draw.teams import Inspector, TargetFacts, TeamParams, assign_teams, rank_job
from domain.draw.workers import WorkerError, Workers

SEED = "ab" * 32
DUE = dt.date(2026, 6, 30)
CATEGORIES = ("设计", "监理", "检测")


def _world(rng: random.Random) -> tuple[list[Inspector], list[TargetFacts]]:
    pool = [
        Inspector(
            cert_no=f"RF-{n:04d}",
            department_path=rng.choice(("/41/", "/41/4198/")),
            cert_valid_until=DUE + dt.timedelta(days=rng.randint(-5, 300)),
            specialties=frozenset(rng.sample(CATEGORIES, rng.randint(1, 3))),
            patch_code=rng.choice((None, "419802", "419803")),
            is_expert=rng.random() < 0.15,
        )
        for n in range(60)
    ]
    certs = [p.cert_no for p in pool]
    targets = [
        TargetFacts(
            credit_code=f"91419800MA{n:07d}X",
            categories=frozenset(rng.sample(CATEGORIES, rng.randint(1, 2))),
            jurisdiction_code=rng.choice((None, "419802", "419803")),
            conflicts=frozenset(rng.sample(certs, rng.randint(0, 3))),
            previous_team=frozenset(rng.sample(certs, rng.randint(0, 2))),
        )
        for n in range(40)
    ]
    return pool, targets


async def parts_of(strata: dict[str, list[str]], size: int):
    """The strata as a reveal reads big ones: consecutive parts of `size` ids."""
    for name, ids in sorted(strata.items()):
        for start in range(0, max(len(ids), 1), size):
            yield name, "\n".join(ids[start : start + size])


@pytest.mark.parametrize("accelerated", [False, True])
async def test_targets_selected_in_parts_equal_the_selection_of_whole_strata(
    monkeypatch, accelerated
):
    # Parts of 11 ids read, parts of 7 sent to workers: each stratum's smallest tickets must
    # survive being found part by part.
    monkeypatch.setattr(workers, "PART_IDS", 7)
    monkeypatch.setattr(tickets, "ACCELERATED", accelerated and tickets.ACCELERATED)
    strata = {
        "A/419802": [f"91419800MA{n:07d}A" for n in range(50)],
        "B/419802": [f"91419800MA{n:07d}B" for n in range(23)],
        "C/419803": [f"91419800MA{n:07d}C" for n in range(3)],
        "empty": [],
    }
    ratios = {"A/419802": "10", "B/419802": "30", "C/419803": "50", "empty": "50"}
    takes = {name: take_count(len(ids), ratios[name]) for name, ids in strata.items()}
    async with Workers(2) as pair:
        drawn = await workers.select_targets(pair, parts_of(strata, 11), takes, SEED)
    assert drawn == compute.select_targets(strata, ratios, SEED)
    assert [len(v) for v in drawn.values()] == [5, 7, 2, 0]


async def test_teams_ranked_by_workers_equal_teams_ranked_in_process(monkeypatch):
    monkeypatch.setattr(workers, "SLICE", 7)  # frames sent and read in many slices
    pool, targets = _world(random.Random(3))
    params = TeamParams(department_path="/41/", due_date=DUE, team_size=2, experts_per_team=1)
    job = rank_job(SEED, targets, pool, params)
    async with Workers(2) as pair:
        ranked = await workers.rankings(pair, job)
    assert list(ranked) == ranking.rank(job)
    teams = assign_teams(SEED, targets, pool, params, ranked)
    assert teams == assign_teams(SEED, targets, pool, params)
    assert len(teams) == len(targets)


def test_unpacked_rankings_index_like_the_list_they_stand_for():
    pool, targets = _world(random.Random(4))
    params = TeamParams(department_path="/41/", due_date=DUE)
    job = rank_job(SEED, targets, pool, params)
    whole = ranking.rank(job)
    unpacked = ranking.Unpacked([ranking.rank_packed(part) for part in job.parts(3)])
    assert len(unpacked) == len(whole) == len(targets)
    assert list(unpacked) == whole
    assert unpacked[-1] == whole[-1] and unpacked[2:5] == whole[2:5]
    with pytest.raises(IndexError):
        unpacked[len(whole)]
    unpacked.clear()
    assert len(unpacked) == 0


async def test_a_failing_call_names_the_error_and_the_worker_keeps_serving():
    async with Workers(1) as one:
        with pytest.raises(WorkerError, match="TypeError"):
            await one.map("smallest", [(["x"], SEED, "not a number")])
        assert await one.map("smallest", [(["x", "y"], SEED, 2)]) == [
            compute.select_targets({"s": ["x", "y"]}, {"s": "100"}, SEED)["s"]
        ]


async def test_a_worker_that_died_is_an_error_not_a_hang():
    async with Workers(1) as one:
        one._procs[0].kill()
        await one._procs[0].wait()
        with pytest.raises((WorkerError, ConnectionError)):
            await one.map("smallest", [(["x"], SEED, 1)])


def test_small_draws_stay_in_process():
    assert Workers.for_work(workers.MIN_HASHES - 1) is None
