"""The `shuangsuiji` command in the tests.

Called in this process through `cli.main.main`, a command costs what its work costs; a process
of its own first spends a second or more importing the program. So the CLI tests run it here,
as a shell would have it run: with exactly the `SSJ_*` variables given, in a working directory
of its own, its output and exit code captured. `Command.script` runs the installed console
script in its own process instead, for the few tests about the program as installed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from cli.main import main
from domain import clock

SCRIPT = Path(sys.executable).with_name("shuangsuiji")
PREFIX = "SSJ_"

_one_at_a_time = threading.Lock()


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


class Command:
    """`shuangsuiji` on one database: `command("list", "targets")` returns what it printed."""

    def __init__(self, db_url: str, cwd: Path, **env: str) -> None:
        self.env = {"SSJ_DB_URL": db_url, "SSJ_LOG_LEVEL": "WARNING", **env}
        self.cwd = cwd

    def __call__(self, *args: str) -> Ran:
        return run_in_process(args, self.env, self.cwd)

    def script(self, *args: str, timeout: float = 120) -> Ran:
        """The installed console script, in a process of its own."""
        if not SCRIPT.is_file():
            raise AssertionError(f"{SCRIPT} is missing: install the project (`make install`)")
        env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIX)}
        done = subprocess.run(
            [str(SCRIPT), *args],
            env={**env, **self.env},
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Ran(done.returncode, done.stdout, done.stderr)


def run_in_process(argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> Ran:
    """`main(argv)` in a thread of its own, so that its `asyncio.run` and its ORM context start
    clean even when the calling test is a coroutine holding a database of its own (the caller's
    event loop waits meanwhile). What the command sets for the whole process (the variables,
    the directory, the office's time zone, logging) is put back afterwards."""
    outcome: list[Ran | BaseException] = []

    def target() -> None:
        try:
            outcome.append(_call(list(argv)))
        except BaseException as exc:  # re-raised in the caller, traceback and all
            outcome.append(exc)

    with _one_at_a_time, _environment(env), _working_directory(cwd), _process_state():
        thread = threading.Thread(target=target, name="shuangsuiji")
        thread.start()
        thread.join()
    [result] = outcome
    if isinstance(result, BaseException):
        raise result
    return result


def _call(argv: list[str]) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, or a usage error
            code = _exit_status(exc.code, err)
    return Ran(code, out.getvalue(), err.getvalue())


def _exit_status(code: object, err: io.StringIO) -> int:
    """As the interpreter turns `sys.exit(code)` into a process's exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)
    return 1


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = {k: v for k, v in os.environ.items() if k.startswith(PREFIX)}
    for key in saved:
        del os.environ[key]
    os.environ.update(env)
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith(PREFIX)]:
            del os.environ[key]
        os.environ.update(saved)


@contextlib.contextmanager
def _working_directory(cwd: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _process_state() -> Iterator[None]:
    office_tz = clock.office_tz()
    root = logging.getLogger()
    tortoise = logging.getLogger("tortoise")
    handlers, level, tortoise_level = list(root.handlers), root.level, tortoise.level
    try:
        yield
    finally:
        clock.use_timezone(office_tz.key)
        root.handlers[:] = handlers
        root.setLevel(level)
        tortoise.setLevel(tortoise_level)
