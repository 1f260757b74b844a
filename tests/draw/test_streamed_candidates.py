"""A draw's candidates go to disk as they are read, are sorted stratum by stratum (in runs
merged from disk when a stratum is bigger than the sort budget), stored in pieces, and read
back in parts at the reveal: whatever the sizes of runs, pieces and parts, the lists, digests
and draw are those of whole, in-memory lists."""

from __future__ import annotations

import json
import random

import pytest

from domain.campaigns import frozen, spill
from domain.campaigns.frozen import frozen_candidates, frozen_strata
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.draw.record import ids_digest
from domain.draw.verify import verify_record
from domain.storage.models import Draw, DrawCandidateChunk
from tests.kit.draw_demo import CODE, DICE, demo

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


def ids(n: int, rng: random.Random) -> list[str]:
    return [f"91{rng.randrange(10**16):016d}" for _ in range(n)]


def spilled(codes: list[str], rng: random.Random) -> spill.Spill:
    """`codes` added in pieces of random sizes, in a random order."""
    put = spill.Spill()
    shuffled = codes[:]
    rng.shuffle(shuffled)
    while shuffled:
        n = rng.randint(1, 40)
        piece, shuffled = shuffled[:n], shuffled[n:]
        put.add("419802:A", "\n".join(piece), len(piece))
    return put


def test_a_stratum_bigger_than_the_sort_budget_is_sorted_in_runs_as_in_memory(monkeypatch):
    rng = random.Random(7)
    codes = sorted(set(ids(2_000, rng)))
    leave_out = frozenset(rng.sample(codes, 5))
    kept = [c for c in codes if c not in leave_out]
    results = []
    for budget in (spill.SORT_CHARS, 1_000):  # in memory; in runs of ~50 ids
        monkeypatch.setattr(spill, "SORT_CHARS", budget)
        monkeypatch.setattr(spill, "FLUSH_CHARS", 500)
        put = spilled(codes, rng)
        try:
            if budget == 1_000:
                assert len(put._runs("419802:A")) > 10
                put = spilled(codes, rng)
            done = put.sort("419802:A", leave_out)
            results.append((done.count, done.digest, done.path.read_text()))
            assert sorted(p.name for p in put.folder.iterdir()) == [done.path.name]
        finally:
            put.close()
        assert not put.folder.exists()
    assert (
        results[0] == results[1] == (len(kept), ids_digest(kept), "".join(f"{c}\n" for c in kept))
    )


def test_the_spill_folder_is_private(tmp_path):
    put = spill.Spill()
    try:
        put.add("high-risk", "91A\n91B", 2)
        assert put.sort("high-risk").path.read_text() == "91A\n91B\n"
        assert put.folder.stat().st_mode & 0o077 == 0
    finally:
        put.close()


def test_pieces_cut_a_sorted_file_without_losing_or_doubling_an_id(tmp_path):
    path = tmp_path / "sorted"
    path.write_text("".join(f"{n:03d}\n" for n in range(23)))
    got = list(spill.pieces(path, 5))
    assert [len(p.split("\n")) for p in got] == [5, 5, 5, 5, 3]
    assert "\n".join(got).split("\n") == [f"{n:03d}" for n in range(23)]


async def test_a_draw_stored_in_small_pieces_and_read_in_parts_is_the_same_draw(db, monkeypatch):
    actor = await demo()
    monkeypatch.setattr(frozen, "CHUNK", 3)
    monkeypatch.setattr("domain.campaigns.prepare.CHUNK", 3)
    monkeypatch.setattr(spill, "SORT_CHARS", 200)  # every stratum sorted in runs
    prepared = await prepare_draw(actor, CODE)
    draw = await Draw.get(campaign__code=CODE)
    chunks = await DrawCandidateChunk.filter(draw_id=draw.id).count()
    assert chunks > len(prepared.strata) + 5  # strata in several pieces
    lists = frozen_strata(await frozen_candidates(draw.id))
    assert {s.name: (s.eligible, s.digest) for s in prepared.strata} == {
        name: (len(codes), ids_digest(codes)) for name, codes in lists.items()
    }
    assert all(codes == sorted(codes) for codes in lists.values())

    monkeypatch.setattr(frozen, "SELECT_BUDGET", 4)  # the reveal ranks parts of 3 ids
    await reveal_draw(actor, CODE, dice=DICE)
    draw = await Draw.get(campaign__code=CODE, status="revealed")
    # verify recomputes the selection from the whole lists.
    verified = verify_record(json.loads(draw.record), lists)
    assert verified.candidates_checked and verified.record_hash == draw.record_hash
