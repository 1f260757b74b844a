"""The `shuangsuiji` command, run in this process as a user would run it from a shell."""

from __future__ import annotations

import os
from pathlib import Path

from domain import clock
from tests.kit import directory_files as files
from tests.kit.cli import Command


def test_help_lists_every_command(tmp_path):
    shuangsuiji = Command("sqlite://:memory:", cwd=tmp_path)
    out = shuangsuiji("--help")
    assert out.returncode == 0
    for command in ("init", "import", "export", "list", "demo", "serve"):
        assert command in out.stdout
    for command in ("init", "import", "export", "list", "serve"):
        sub = shuangsuiji(command, "--help")
        assert sub.returncode == 0 and "usage:" in sub.stdout, command


def test_a_usage_error_exits_2_naming_the_choices(tmp_path):
    wrong = Command("sqlite://:memory:", cwd=tmp_path)("list", "nothing")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr and "targets" in wrong.stderr


def test_import_list_export_through_the_command(shuangsuiji, tmp_path):
    assert shuangsuiji("init").returncode == 0  # safe to run again
    departments = files.write(tmp_path / "d", files.DEPARTMENTS)
    assert shuangsuiji("import", "departments", str(departments)).returncode == 0
    targets = files.write(tmp_path / "t", files.target_rows(30), "gb18030")
    imported = shuangsuiji("import", "targets", str(targets))
    assert imported.returncode == 0, imported.stderr
    assert "新增 30" in imported.stdout
    listed = shuangsuiji("list", "targets", "--limit", "0")
    assert listed.stdout.count("\n") == 1 + 30 and files.code(7) in listed.stdout
    out = tmp_path / "out.xlsx"
    exported = shuangsuiji("export", "targets", str(out))
    assert exported.returncode == 0 and out.is_file()


def test_a_rejected_import_exits_non_zero_naming_rows(shuangsuiji, tmp_path):
    shuangsuiji("import", "departments", str(files.write(tmp_path / "d", files.DEPARTMENTS)))
    rows = files.target_rows(4)
    rows[2][3] = "火星区"
    result = shuangsuiji("import", "targets", str(files.write(tmp_path / "bad", rows)))
    assert result.returncode == 1
    assert "第 3 行" in result.stderr and "火星区" in result.stderr
    assert shuangsuiji("list", "targets", "--json").stdout == "[]\n"


def test_missing_file_is_named(shuangsuiji, tmp_path):
    result = shuangsuiji("import", "targets", str(tmp_path / "nope.csv"))
    assert result.returncode == 1 and "nope.csv" in result.stderr


def test_the_in_process_command_leaves_the_process_as_it_found_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SSJ_FONT_PATH", "/kept.ttf")
    (tmp_path / "ids.txt").write_text("A\nB\n")
    before = (Path.cwd(), clock.office_tz(), dict(os.environ))
    command = Command("sqlite://:memory:", cwd=tmp_path, SSJ_TIMEZONE="America/New_York")
    assert command("sample", "--seed", "s", "--take", "1", "ids.txt").returncode == 0
    assert (Path.cwd(), clock.office_tz(), dict(os.environ)) == before


def test_a_command_on_a_new_database_brings_it_up_to_date_first(db_url, tmp_path):
    shuangsuiji = Command(db_url, cwd=tmp_path)
    listed = shuangsuiji("campaign", "list")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout == "还没有抽查计划 (no campaigns)\n"
    assert shuangsuiji("list", "departments", "--json").stdout == "[]\n"
