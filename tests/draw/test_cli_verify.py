"""`shuangsuiji verify` and `shuangsuiji sample`, run in-process (tests.kit.cli)."""

from __future__ import annotations

import copy

import consistent_sampler
import pytest

from domain.draw.amend import amend_record
from domain.draw.candidate_files import stratum_file, write_candidates
from domain.draw.record import dumps, hash_of, sealed
from tests.kit.cli import Command
from tests.kit.draw_builders import make_draw


@pytest.fixture(scope="module")
def draw():
    return make_draw(seed_text="cli")


@pytest.fixture
def cli(tmp_path) -> Command:
    return Command("sqlite://:memory:", cwd=tmp_path)  # no database needed: files only


@pytest.fixture
def published(draw, tmp_path):
    record_path = tmp_path / "record.json"
    record_path.write_bytes(dumps(draw.record))
    write_candidates(tmp_path / "candidates", draw.strata)
    return record_path, tmp_path / "candidates"


def test_verify_against_the_published_hash_prints_one_line(draw, published, cli):
    record_path, candidates = published
    published_hash = draw.record["record_hash"]
    ran = cli("verify", str(record_path), "--candidates", str(candidates), "--expect-hash",
              published_hash)  # fmt: skip
    assert ran.returncode == 0
    out = ran.stdout
    assert out.count("\n") == 1 and out.startswith("OK") and "已核对候选名单" in out
    assert published_hash in out and "matches the published hash" in out
    # As read off a notice: in groups of eight, in capitals.
    grouped = " ".join(published_hash[i : i + 8] for i in range(0, 64, 8)).upper()
    assert cli("verify", str(record_path), "--expect-hash", grouped).returncode == 0


def test_without_the_published_hash_verify_says_what_it_left_unchecked(draw, published, cli):
    record_path, _ = published
    ran = cli("verify", str(record_path))
    assert ran.returncode == 0
    first, second = ran.stdout.splitlines()
    assert "仅记录本身" in first and draw.record["record_hash"] in first
    assert "internal consistency only" in second and "--expect-hash" in second


def test_a_malformed_expected_hash_is_refused(published, cli):
    record_path, _ = published
    ran = cli("verify", str(record_path), "--expect-hash", "abc123")
    assert ran.returncode == 1 and ran.stdout == ""
    assert "--expect-hash" in ran.stderr and "abc123" in ran.stderr


def _rename(r):
    r["campaign"]["name"] += "（修订）"


def _exclude_more(r):
    r["exclusions"]["status_closed"] += 1


def _reorder_strata(r):
    r["strata"].reverse()


def _reorder_pool(r):
    r["pool"]["members"].reverse()


def _add_field(r):
    r["note"] = "已复核"


TAMPERING = [_rename, _exclude_more, _reorder_strata, _reorder_pool, _add_field]


@pytest.mark.parametrize("change", TAMPERING, ids=lambda f: f.__name__.strip("_"))
def test_a_resealed_forgery_fails_against_the_published_hash(draw, published, cli, change):
    record_path, candidates = published
    forged = copy.deepcopy(draw.record)
    change(forged)
    forged = sealed(forged)  # record_hash recomputed: internally the forgery is consistent
    assert forged["record_hash"] != draw.record["record_hash"]
    record_path.write_bytes(dumps(forged))
    ran = cli("verify", str(record_path), "--candidates", str(candidates), "--expect-hash",
              draw.record["record_hash"])  # fmt: skip
    assert ran.returncode == 1
    out = ran.stdout
    assert "MISMATCH" in out and "hash mismatch" in out
    assert f"expected {draw.record['record_hash']}, computed {hash_of(forged)}" in out


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (_reorder_strata, "strata out of order"),
        (_reorder_pool, "pool members out of order"),
        (_add_field, "note"),
    ],
)
def test_a_reordered_or_extended_record_is_refused_even_without_the_hash(
    draw, published, cli, change, named
):
    record_path, _ = published
    forged = copy.deepcopy(draw.record)
    change(forged)
    record_path.write_bytes(dumps(sealed(forged)))
    ran = cli("verify", str(record_path))
    assert ran.returncode == 1
    assert "MISMATCH" in ran.stdout and named in ran.stdout


def test_an_amended_record_verifies_against_the_hash_published_before_the_recusal(
    draw, published, cli
):
    record_path, _ = published
    team = draw.record["teams"][0]
    leader = team["members"][0]["cert_no"]
    amended, _ = amend_record(
        draw.record, target=team["target"], replaced=leader, reason="配偶任职", by="c:1", at="t1"
    )
    record_path.write_bytes(dumps(amended))
    ran = cli("verify", str(record_path), "--expect-hash", draw.record["record_hash"])
    assert ran.returncode == 0 and amended["record_hash"] in ran.stdout, ran
    assert "published at the reveal; the 1 later amendments recomputed" in ran.stdout
    ran = cli("verify", str(record_path), "--expect-hash", amended["record_hash"])
    assert ran.returncode == 0 and "matches the published hash" in ran.stdout, ran
    other = hash_of({**draw.record, "campaign": {**draw.record["campaign"], "name": "x"}})
    ran = cli("verify", str(record_path), "--expect-hash", other)
    assert ran.returncode == 1 and f"expected {other}" in ran.stdout


def test_verify_names_the_first_difference(draw, published, cli):
    record_path, candidates = published
    name = draw.record["strata"][2]["name"]
    path = candidates / stratum_file(name)
    path.write_text(path.read_text().replace(draw.strata[name][5], "91AAAAAAAAAAAAAAAA"))
    ran = cli("verify", str(record_path), "--candidates", str(candidates))
    assert ran.returncode == 1
    out = ran.stdout
    assert "MISMATCH" in out and name in out and "摘要" in out

    forged = copy.deepcopy(draw.record)
    forged["teams"][0]["members"].reverse()
    record_path.write_bytes(dumps(sealed(forged)))
    ran = cli("verify", str(record_path))
    assert ran.returncode == 1
    assert draw.record["teams"][0]["target"] in ran.stdout


def test_verify_explains_unusable_input(tmp_path, published, cli):
    record_path, _ = published
    ran = cli("verify", str(tmp_path / "missing.json"))
    assert ran.returncode == 1
    assert "无法读取" in ran.stderr
    (tmp_path / "x.json").write_text("[1, 2")
    ran = cli("verify", str(tmp_path / "x.json"))
    assert ran.returncode == 1
    assert "JSON" in ran.stderr
    ran = cli("verify", str(record_path), "--candidates", str(tmp_path / "none"))
    assert ran.returncode == 1
    assert "不是目录" in ran.stderr


def test_sample_matches_consistent_sampler(tmp_path, cli):
    ids = [f"9132010{n:04d}MA1XYZ{n % 10}" for n in range(500)]
    (tmp_path / "ids.txt").write_text("\ufeff" + "\r\n".join(ids) + "\r\n\r\n")
    ran = cli("sample", "--seed", "20260303", "--take", "7", str(tmp_path / "ids.txt"))
    assert ran.returncode == 0
    lines = ran.stdout.splitlines()
    want = list(consistent_sampler.sampler(ids, "20260303", take=7, output="tuple", digits=100))
    assert [tuple(line.split("\t")) for line in lines] == [(t, i) for t, i, _ in want]

    args = ["sample", "--seed", "x", "--take", "3", "--digits", "9", str(tmp_path / "ids.txt")]
    ran = cli(*args)
    assert ran.returncode == 0
    short = [line.split("\t") for line in ran.stdout.splitlines()]
    assert [t for t, _ in short] == [t for t, _, _ in consistent_sampler.sampler(ids, "x", take=3)]


def test_sample_refuses_duplicates_naming_them(tmp_path, cli):
    (tmp_path / "ids.txt").write_text("A\nB\nA\n")
    ran = cli("sample", "--seed", "s", "--take", "1", str(tmp_path / "ids.txt"))
    assert ran.returncode == 1
    err = ran.stderr
    assert "重复" in err and "ids.txt" in err and " A" in err
