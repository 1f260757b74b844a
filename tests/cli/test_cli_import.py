"""`shuangsuiji import` with an office's own spreadsheet: --ignore, --map, the defaults it took,
and a refusal that points at the file holding every error."""

from __future__ import annotations

import csv

from tests.kit import directory_files as files


def renamed(rows: list[list[str]], old: str, new: str) -> list[list[str]]:
    return [[new if c == old else c for c in rows[0]], *rows[1:]]


def test_unknown_column_refused_then_mapped_or_ignored(shuangsuiji, tmp_path):
    shuangsuiji("import", "departments", str(files.write(tmp_path / "d", files.DEPARTMENTS)))
    rows = renamed(files.target_rows(8), "信用风险分类", "风险级别")
    path = str(files.write(tmp_path / "t", rows))
    refused = shuangsuiji("import", "targets", path)
    assert refused.returncode == 1 and "风险级别" in refused.stderr
    assert "--map '风险级别=字段'" in refused.stderr and "--ignore '风险级别'" in refused.stderr
    assert shuangsuiji("list", "targets", "--json").stdout == "[]\n"

    mapped = shuangsuiji("import", "targets", path, "--map", "风险级别=risk_class")
    assert mapped.returncode == 0, mapped.stderr
    assert "按 --map 读作字段 (read as): 风险级别 → risk_class (信用风险分类)" in mapped.stdout
    assert "每行都由文件给出 (no defaults taken)" in mapped.stdout

    ignored = shuangsuiji("import", "targets", path, "--ignore", "风险级别")
    assert ignored.returncode == 0, ignored.stderr
    assert "按 --ignore 忽略的列 (ignored): 风险级别" in ignored.stdout
    assert "注意: 8 行的「信用风险分类」为空或缺列，取默认值 B" in ignored.stdout
    assert "更新 6" in ignored.stdout  # the six of eight not already class B

    bad = shuangsuiji("import", "targets", path, "--map", "风险级别")
    assert bad.returncode == 2 and "旧列=字段" in bad.stderr


def test_an_office_risk_header_keeps_its_classes(shuangsuiji, tmp_path):
    shuangsuiji("import", "departments", str(files.write(tmp_path / "d", files.DEPARTMENTS)))
    rows = renamed(files.target_rows(4), "信用风险分类", "风险等级")
    imported = shuangsuiji("import", "targets", str(files.write(tmp_path / "t", rows, "xlsx")))
    assert imported.returncode == 0, imported.stderr
    assert "忽略" not in imported.stdout and "注意" not in imported.stdout
    exported = tmp_path / "out.csv"
    assert shuangsuiji("export", "targets", str(exported)).returncode == 0
    with exported.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [r["信用风险分类"] for r in table] == ["A", "B", "C", "D"]


def test_many_errors_are_grouped_and_written_to_a_csv_beside_the_file(shuangsuiji, tmp_path):
    shuangsuiji("import", "departments", str(files.write(tmp_path / "d", files.DEPARTMENTS)))
    rows = files.target_rows(60)
    region = rows[0].index("区域")
    for n, row in enumerate(rows[1:]):
        row[region] = f"3299{n % 30 + 10}"  # 30 districts not in the department list
    path = files.write(tmp_path / "targets", rows)
    refused = shuangsuiji("import", "targets", str(path))
    assert refused.returncode == 1
    report = tmp_path / "targets.errors.csv"
    lines = refused.stderr.splitlines()
    assert "60 个错误, 60 行有误, 分为 30 类" in lines[0]
    assert sum(line.startswith("  「区域」") for line in lines) == 20
    assert "另有 10 类错误未显示" in refused.stderr
    assert "shuangsuiji import departments" in refused.stderr
    assert lines[-1].endswith(str(report))
    assert report.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(report.read_text(encoding="utf-8-sig").splitlines()) == 61
    elsewhere = tmp_path / "all-errors.csv"
    again = shuangsuiji("import", "targets", str(path), "--errors", str(elsewhere))
    assert again.returncode == 1 and str(elsewhere) in again.stderr and elsewhere.is_file()
