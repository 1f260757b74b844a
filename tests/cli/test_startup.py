"""Starting the command stays quick without timing it: parsing the arguments, `--help` and a
usage error load none of the heavy packages; the command that needs the database loads them
when it runs. Each case runs in a fresh interpreter, whose `sys.modules` it reports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# What the help pages must not load: the ORM and the domain's storage, the web and bot
# frameworks, images, PDF and fonts, spreadsheets, the calendar package, the event loop.
HEAVY = (
    "tortoise",
    "aiohttp",
    "telegram",
    "PIL",
    "pillow_heif",
    "fpdf",
    "fontTools",
    "openpyxl",
    "chinese_calendar",
    "consistent_sampler",
    "asyncio",
    "domain.storage",
    "bot",
    "field_api",
    "demo",
)

REPORT = """
import json, sys
from cli.main import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit:
    pass
with open(sys.argv[2], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def modules_after(argv: list[str], tmp_path) -> set[str]:
    report = tmp_path / "modules.json"
    env = {"SSJ_DB_URL": f"sqlite://{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", REPORT, json.dumps(argv), str(report)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(report.read_text()))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["list", "--help"],
        ["campaign", "--help"],
        ["campaign", "list", "--help"],
        ["draw", "candidates", "--help"],
        ["task", "list", "--help"],
        ["serve", "--help"],
        ["list", "nothing"],  # a usage error
    ],
    ids=" ".join,
)
def test_parsing_the_arguments_loads_nothing_heavy(argv, tmp_path):
    assert heavy(modules_after(argv, tmp_path)) == []


def test_the_check_sees_what_a_command_loads(tmp_path):
    loaded = modules_after(["init"], tmp_path)
    assert {"tortoise", "asyncio", "domain.storage.db"} <= set(heavy(loaded))
    assert "tortoise.migrations.executor" in loaded


def test_a_database_up_to_date_skips_the_migration_machinery(tmp_path):
    assert "tortoise.migrations.executor" in modules_after(["init"], tmp_path)
    listed = modules_after(["campaign", "list"], tmp_path)
    assert "domain.storage.models" in listed and "tortoise.migrations.executor" not in listed
