"""The installed `shuangsuiji` command, run as a user would, in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.directory import files

ROOT = Path(__file__).resolve().parents[1]


def run(db_url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, SSJ_DB_URL=db_url, SSJ_LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        env=env,
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_every_command():
    out = run("sqlite://:memory:", "--help")
    assert out.returncode == 0
    for command in ("init", "import", "export", "list", "demo", "serve"):
        assert command in out.stdout
    for command in ("init", "import", "export", "list", "serve"):
        sub = run("sqlite://:memory:", command, "--help")
        assert sub.returncode == 0 and "usage:" in sub.stdout, command


async def test_import_list_export_through_the_command(db_url, tmp_path):
    assert run(db_url, "init").returncode == 0
    departments = files.write(tmp_path / "d", files.DEPARTMENTS)
    assert run(db_url, "import", "departments", str(departments)).returncode == 0
    targets = files.write(tmp_path / "t", files.target_rows(30), "gb18030")
    imported = run(db_url, "import", "targets", str(targets))
    assert imported.returncode == 0, imported.stderr
    assert "新增 30" in imported.stdout
    listed = run(db_url, "list", "targets", "--limit", "0")
    assert listed.stdout.count("\n") == 30 and files.code(7) in listed.stdout
    out = tmp_path / "out.xlsx"
    exported = run(db_url, "export", "targets", str(out))
    assert exported.returncode == 0 and out.is_file()


async def test_a_rejected_import_exits_non_zero_naming_rows(db_url, tmp_path):
    run(db_url, "init")
    run(db_url, "import", "departments", str(files.write(tmp_path / "d", files.DEPARTMENTS)))
    rows = files.target_rows(4)
    rows[2][3] = "火星区"
    result = run(db_url, "import", "targets", str(files.write(tmp_path / "bad", rows)))
    assert result.returncode == 1
    assert "第 3 行" in result.stderr and "火星区" in result.stderr
    assert run(db_url, "list", "targets").stdout == ""


@pytest.mark.parametrize("missing", ["nope.csv"])
def test_missing_file_is_named(tmp_path, missing):
    result = run(f"sqlite://{tmp_path / 'x.sqlite3'}", "import", "targets", str(tmp_path / missing))
    assert result.returncode == 1 and missing in result.stderr
