"""`shuangsuiji … | head`: a reader that stops reading ends the command quietly, as SIGPIPE
ends `cat`, with no traceback; the installed console script in a process of its own."""

from __future__ import annotations

import subprocess

from tests.kit.cli import SCRIPT

BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE, what a shell reports for a writer its reader left


def started(args: list[str], cwd) -> subprocess.Popen:
    return subprocess.Popen(
        [str(SCRIPT), *args],
        cwd=cwd,
        env={"SSJ_DB_URL": f"sqlite://{cwd / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_reader_that_closes_after_the_first_line(tmp_path):
    # Far more than a pipe holds, so the command is still writing when the reader leaves.
    (tmp_path / "ids.txt").write_text("".join(f"ID-{n:06d}\n" for n in range(20000)))
    command = started(["sample", "--seed", "s", "--take", "20000", "ids.txt"], tmp_path)
    assert command.stdout.readline().decode().count("\t") == 1  # `head -n 1`
    command.stdout.close()
    err = command.stderr.read().decode()
    assert command.wait(timeout=120) == BROKEN_PIPE_EXIT
    assert err == ""


def test_a_reader_gone_before_the_help_is_written(tmp_path):
    """Short output stays in the buffer until the end: the pipe breaks at the last flush."""
    command = started(["--help"], tmp_path)
    command.stdout.close()
    err = command.stderr.read().decode()
    assert command.wait(timeout=120) == BROKEN_PIPE_EXIT
    assert err == ""


def test_a_reader_that_reads_everything_sees_a_normal_exit(tmp_path):
    command = started(["--help"], tmp_path)
    out, err = command.communicate(timeout=120)
    assert (command.returncode, err) == (0, b"")
    assert "用法 usage: shuangsuiji" in out.decode()
