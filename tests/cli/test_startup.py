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


KINDS = ["departments", "items", "targets", "inspectors", "conflicts"]
# What a listing of an up-to-date SQLite file loads of HEAVY: the plain reader and the list of
# migrations it compares with the database's (the package, not the migrations themselves).
PLAIN_READ = ["domain.storage", "domain.storage.migrations", "domain.storage.plain_read"]


def test_a_listing_of_an_up_to_date_sqlite_file_loads_neither_the_orm_nor_the_event_loop(
    tmp_path,
):
    modules_after(["init"], tmp_path)
    for kind in KINDS:
        assert heavy(modules_after(["list", kind], tmp_path)) == PLAIN_READ, kind


def test_a_listing_of_a_database_not_yet_migrated_brings_it_up_to_date_through_the_orm(tmp_path):
    (tmp_path / "db.sqlite3").touch()  # a file, but no tables
    listed = modules_after(["list", "departments"], tmp_path)
    assert "tortoise.migrations.executor" in listed
    assert heavy(modules_after(["list", "departments"], tmp_path)) == PLAIN_READ
