"""A refused import a person can act on: its errors grouped by (column, reason, value), each
with its count, first rows and fix; the printout capped; every error in a CSV for Excel."""

from __future__ import annotations

import csv

import pytest

from domain.directory import ImportRejected, import_file
from domain.directory import report as report_module
from domain.directory.errors import SHOWN_GROUPS, RowError
from domain.rules.credit_code import complete
from domain.storage.models import AuditEntry, Target
from tests.kit import directory_files as files

ROWS = 100_000
DISTRICTS = [f"3299{n:02d}" for n in range(11, 20)]  # 9 districts not in the department list


async def load_departments(tmp_path):
    await import_file("departments", files.write(tmp_path / "d", files.DEPARTMENTS))


def unknown_districts_csv(path, count: int):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["统一社会信用代码", "企业名称", "行业", "所属区域"])
        for n in range(count):
            code = complete(f"913299MA{n:09d}"[:17])
            writer.writerow([code, f"公司{n}", "人防工程设计", DISTRICTS[n % len(DISTRICTS)]])
    return path


async def test_a_hundred_thousand_rows_in_unknown_districts_are_nine_groups(db, tmp_path):
    await load_departments(tmp_path)
    path = unknown_districts_csv(tmp_path / "targets.csv", ROWS)
    report = tmp_path / "targets.errors.csv"
    with pytest.raises(ImportRejected) as caught:
        await import_file("targets", path, report=report)
    refused = caught.value
    assert len(refused.errors) == ROWS and len(refused.groups) == 9
    lines = str(refused).splitlines()
    # A summary, a line per group, their fix (the same for all nine: said once), then where
    # the full list is.
    assert len(lines) == 1 + 9 + 1 + 1, lines
    assert "100000 个错误, 100000 行有误, 分为 9 类" in lines[0]
    assert report_module.HEADERS[0] == "行号 (row)"
    first = lines[1]
    assert first.startswith("  「区域」 = 「329911」: 部门名录中没有这个部门/区域")
    assert "11112 行 (rows): 第 2, 11, 20, 29, 38 … 行" in first
    assert lines[10].startswith("      → 先导入部门/区域：`shuangsuiji import departments")
    assert lines[-1].endswith(str(report)) and "Excel" in lines[-1]
    # The full list: every error, one per row, UTF-8 with a BOM.
    raw = report.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + ROWS
    table = list(csv.reader(lines[:2]))
    assert table[0] == list(report_module.HEADERS)
    assert table[1][:2] == ["2", "区域"] and table[1][3] == "329911"
    assert "import departments" in table[1][4]
    assert await Target.all().count() == 0
    assert not await AuditEntry.filter(action="directory.import", object_id="targets").exists()


def test_the_printout_is_capped_at_twenty_groups():
    errors = [RowError(n + 2, "区域", "未知", f"R{n % 25}") for n in range(60)]
    refused = ImportRejected("f.csv", errors)
    shown = [line for line in str(refused).splitlines() if line.startswith("  「")]
    assert len(refused.groups) == 25 and len(shown) == SHOWN_GROUPS
    assert "另有 5 类错误未显示" in str(refused)
    # Biggest first: R0..R9 hold three rows each, R10..R24 two.
    assert [g.value for g in refused.groups[:3]] == ["R0", "R1", "R2"]
    assert refused.groups[0].rows == (2, 27, 52)


async def test_a_short_list_is_printed_whole_and_no_file_written(db, tmp_path):
    await load_departments(tmp_path)
    rows = files.target_rows(6)
    rows[2][3] = "火星区"
    rows[3][3] = "火星区"
    rows[4][1] = ""
    report = tmp_path / "t.errors.csv"
    with pytest.raises(ImportRejected) as caught:
        await import_file("targets", files.write(tmp_path / "t", rows), report=report)
    message = str(caught.value)
    assert "「区域」 = 「火星区」: 部门名录中没有这个部门/区域" in message
    assert "2 行 (rows): 第 3, 4 行" in message and "「名称」: 必填项为空" in message
    assert caught.value.report is None and not report.exists()


async def test_conflicts_with_people_not_yet_imported_say_which_import_comes_first(db, tmp_path):
    await load_departments(tmp_path)
    rows = [["执法证号", "统一社会信用代码"], ["ZF404", files.code(0)], ["ZF404", files.code(1)]]
    with pytest.raises(ImportRejected) as caught:
        await import_file("conflicts", files.write(tmp_path / "c", rows))
    message = str(caught.value)
    assert "「执法证号」 = 「ZF404」" in message and "2 行 (rows): 第 2, 3 行" in message
    assert "shuangsuiji import inspectors" in message and "shuangsuiji import targets" in message
