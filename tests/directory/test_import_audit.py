"""Every directory import is an audit entry in the import's transaction: who, which file (name
and SHA-256), what kind, and how many rows were created, updated and left unchanged."""

from __future__ import annotations

import hashlib
import json

import pytest

from domain.audit import log as audit
from domain.directory import ImportRejected, import_file
from domain.rules.access import Actor, Role
from domain.storage.models import AuditEntry, Conflict
from tests.kit import directory_files as files


async def imports() -> list[AuditEntry]:
    return list(await AuditEntry.filter(action="directory.import").order_by("seq"))


@pytest.mark.parametrize("encoding", ["utf-8", "xlsx"])
async def test_each_import_is_one_entry_naming_its_file(db, tmp_path, encoding):
    departments = files.write(tmp_path / "d", files.DEPARTMENTS)
    await import_file("departments", departments)
    first = files.write(tmp_path / "t", files.target_rows(5), encoding)
    await import_file("targets", first)
    rows = files.target_rows(6)
    rows[1][1] = "更名后的公司"
    second = files.write(tmp_path / "t2", rows, encoding)
    coordinator = Actor(Role.COORDINATOR, 7, department_path="/3299/")
    await import_file("targets", second, actor=coordinator)

    entries = await imports()
    assert [(e.actor, e.object_kind, e.object_id) for e in entries] == [
        ("cli", "directory", "departments"),
        ("cli", "directory", "targets"),
        ("coordinator:7", "directory", "targets"),
    ]
    for entry, path in zip(entries, (departments, first, second), strict=True):
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        kind = entry.object_id
        assert json.loads(entry.data) == {"file": path.name, "kind": kind, "sha256": sha256}
    counts = [json.loads(e.after) for e in entries]
    assert counts == [
        {"created": 3, "updated": 0, "unchanged": 0},
        {"created": 5, "updated": 0, "unchanged": 0},
        {"created": 1, "updated": 1, "unchanged": 4},
    ]
    assert (await audit.verify_chain()).ok


async def test_a_refused_import_writes_no_entry(db, tmp_path):
    await import_file("departments", files.write(tmp_path / "d", files.DEPARTMENTS))
    await import_file("targets", files.write(tmp_path / "t", files.target_rows(2)))
    await import_file("inspectors", files.write(tmp_path / "p", files.INSPECTOR_ROWS))
    written = len(await audit.list_entries())
    bad = files.target_rows(3)
    bad[2][1] = ""  # missing name: refused before writing
    with pytest.raises(ImportRejected):
        await import_file("targets", files.write(tmp_path / "bad", bad))
    # Refused inside the transaction (people unknown to the directory): no entry either.
    unknown = [
        ["执法证号", "统一社会信用代码"],
        ["ZF3299001", files.code(0)],
        ["ZF999", files.code(1)],
    ]
    with pytest.raises(ImportRejected):
        await import_file("conflicts", files.write(tmp_path / "c", unknown))
    assert await Conflict.all().count() == 0
    assert len(await audit.list_entries()) == written
    assert (await audit.verify_chain()).ok


async def test_the_command_line_import_is_written_as_cli(shuangsuiji, tmp_path):
    path = files.write(tmp_path / "d", files.DEPARTMENTS)
    assert shuangsuiji("import", "departments", str(path)).returncode == 0
    shown = shuangsuiji("audit", "show", "--object", "directory:departments").stdout
    [line] = shown.splitlines()
    assert " cli directory.import directory:departments " in line
    assert hashlib.sha256(path.read_bytes()).hexdigest() in line and '"created":3' in line
