"""`shuangsuiji verify` and `shuangsuiji sample`, run in-process (tests.kit.cli)."""

from __future__ import annotations

import copy

import consistent_sampler
import pytest

from domain.draw.candidate_files import stratum_file, write_candidates
from domain.draw.record import dumps, sealed
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


def test_verify_ok_prints_one_line(published, cli):
    record_path, candidates = published
    ran = cli("verify", str(record_path), "--candidates", str(candidates))
    assert ran.returncode == 0
    out = ran.stdout
    assert out.count("\n") == 1 and out.startswith("OK") and "已核对候选名单" in out
    ran = cli("verify", str(record_path))
    assert ran.returncode == 0
    assert "仅记录本身" in ran.stdout


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
