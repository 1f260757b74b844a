"""`shuangsuiji audit ...` run in-process (tests.kit.cli) against a file database.

These need the audit tables in the migrations (the database is built by them)."""

from __future__ import annotations

import asyncio
import functools

import pytest

from domain.audit import log as audit
from tests.kit.databases import opened


@pytest.fixture
def cli(shuangsuiji):
    return functools.partial(shuangsuiji, "audit")


def in_db(url: str, *statements: str) -> None:
    async def go() -> None:
        async with opened(url) as ctx:
            for i in range(1, 6):
                await audit.record("coordinator:1", "task.accept", "task", i, after={"n": i})
            for statement in statements:
                await ctx.db().execute_script(statement)

    asyncio.run(go())


def test_verify_an_empty_and_a_sound_chain(cli, db_url):
    code, out, _ = cli("verify")
    assert (code, out) == (0, f"audit chain OK: 0 entries, head {'0' * 64} (审计链完整)\n")
    in_db(db_url)
    code, out, _ = cli("verify")
    assert code == 0 and out.startswith("audit chain OK: 5 entries, head ")
    head_hash = out.split("head ")[1].split()[0]
    code, out, _ = cli("head")
    assert code == 0 and out.startswith(f"audit head: seq 5, hash {head_hash}, at 20")


def test_verify_names_the_first_broken_entry(cli, db_url):
    in_db(db_url, "UPDATE audit_entry SET actor = 'inspector:X' WHERE seq = 3")
    code, out, _ = cli("verify")
    assert code == 1
    assert "BROKEN at entry 3 (edited)" in out and "entry 3 was edited" in out
    code, out, _ = cli("head")
    assert code == 1 and "BROKEN at entry 3" in out


def test_show_the_last_entries_or_one_object(cli, db_url):
    in_db(db_url)
    code, out, _ = cli("show", "--limit", "2")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["#4", "#5"]
    code, out, _ = cli("show", "--object", "task:3")
    assert code == 0 and len(out.splitlines()) == 1
    assert 'coordinator:1 task.accept task:3 after={"n":3} hash=' in out
    code, out, _ = cli("show", "--object", "campaign")
    assert (code, out) == (0, "没有审计记录 (no audit entries)\n")
    code, _, err = cli("show", "--object", "task:")
    assert code == 1 and "--object must be KIND:ID" in err
