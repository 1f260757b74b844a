"""`shuangsuiji verify` and `shuangsuiji sample`, run in-process through cli.main.main."""

from __future__ import annotations

import copy

import consistent_sampler
import pytest

from cli.main import main
from domain.draw.candidate_files import stratum_file, write_candidates
from domain.draw.record import dumps, sealed
from tests.draw.builders import make_draw


@pytest.fixture(scope="module")
def draw():
    return make_draw(seed_text="cli")


@pytest.fixture
def published(draw, tmp_path):
    record_path = tmp_path / "record.json"
    record_path.write_bytes(dumps(draw.record))
    write_candidates(tmp_path / "candidates", draw.strata)
    return record_path, tmp_path / "candidates"


def test_verify_ok_prints_one_line(published, capsys):
    record_path, candidates = published
    assert main(["verify", str(record_path), "--candidates", str(candidates)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("OK") and "已核对候选名单" in out
    assert main(["verify", str(record_path)]) == 0
    assert "仅记录本身" in capsys.readouterr().out


def test_verify_names_the_first_difference(draw, published, capsys):
    record_path, candidates = published
    name = draw.record["strata"][2]["name"]
    path = candidates / stratum_file(name)
    path.write_text(path.read_text().replace(draw.strata[name][5], "91AAAAAAAAAAAAAAAA"))
    assert main(["verify", str(record_path), "--candidates", str(candidates)]) == 1
    out = capsys.readouterr().out
    assert "MISMATCH" in out and name in out and "摘要" in out

    forged = copy.deepcopy(draw.record)
    forged["teams"][0]["members"].reverse()
    record_path.write_bytes(dumps(sealed(forged)))
    assert main(["verify", str(record_path)]) == 1
    assert draw.record["teams"][0]["target"] in capsys.readouterr().out


def test_verify_explains_unusable_input(tmp_path, published, capsys):
    record_path, _ = published
    assert main(["verify", str(tmp_path / "missing.json")]) == 1
    assert "无法读取" in capsys.readouterr().err
    (tmp_path / "x.json").write_text("[1, 2")
    assert main(["verify", str(tmp_path / "x.json")]) == 1
    assert "JSON" in capsys.readouterr().err
    assert main(["verify", str(record_path), "--candidates", str(tmp_path / "none")]) == 1
    assert "不是目录" in capsys.readouterr().err


def test_sample_matches_consistent_sampler(tmp_path, capsys):
    ids = [f"9132010{n:04d}MA1XYZ{n % 10}" for n in range(500)]
    (tmp_path / "ids.txt").write_text("\ufeff" + "\r\n".join(ids) + "\r\n\r\n")
    assert main(["sample", "--seed", "20260303", "--take", "7", str(tmp_path / "ids.txt")]) == 0
    lines = capsys.readouterr().out.splitlines()
    want = list(consistent_sampler.sampler(ids, "20260303", take=7, output="tuple", digits=100))
    assert [tuple(line.split("\t")) for line in lines] == [(t, i) for t, i, _ in want]

    args = ["sample", "--seed", "x", "--take", "3", "--digits", "9", str(tmp_path / "ids.txt")]
    assert main(args) == 0
    short = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [t for t, _ in short] == [t for t, _, _ in consistent_sampler.sampler(ids, "x", take=3)]


def test_sample_refuses_duplicates_naming_them(tmp_path, capsys):
    (tmp_path / "ids.txt").write_text("A\nB\nA\n")
    assert main(["sample", "--seed", "s", "--take", "1", str(tmp_path / "ids.txt")]) == 1
    err = capsys.readouterr().err
    assert "重复" in err and "ids.txt" in err and " A" in err
