"""The installed `shuangsuiji` console script in a process of its own: the entry point, the
output and the exit status a shell sees. Everything else about the commands runs in-process
(tests.kit.cli)."""

from __future__ import annotations

from tests.kit.cli import Command


def test_help_lists_every_command(tmp_path):
    out = Command("sqlite://:memory:", cwd=tmp_path).script("--help")
    assert out.returncode == 0
    for command in ("init", "import", "export", "list", "demo", "serve", "draw", "verify"):
        assert command in out.stdout


def test_init_makes_a_new_database(db_url, tmp_path):
    made = Command(db_url, cwd=tmp_path).script("init")
    assert (made.returncode, made.stderr) == (0, "")
    assert made.stdout.startswith("database ready: ")


def test_a_refused_command_exits_1_with_the_reason_on_stderr(shuangsuiji, tmp_path):
    result = shuangsuiji.script("import", "targets", str(tmp_path / "nope.csv"))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("error: ") and "nope.csv" in result.stderr
