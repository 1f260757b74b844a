"""The list and the directories over HTTP: pages and the export read as the import does, an
import is all or nothing (a refused file answers its errors grouped and changes nothing), only
a top-level coordinator imports, and the audit chain can be checked."""

from __future__ import annotations

import csv
import io

import pytest

from demo import build_demo, load_demo
from domain.config import Settings
from domain.rules.access import Actor, Role
from domain.storage.models import AuditEntry, Coordinator, Department, Target
from tests.kit import directory_files as files
from tests.kit.field_api import Field, coordinator_token, serving

pytestmark = pytest.mark.clock("2026-11-20 15:00")


async def coordinator_at(code: str) -> Actor:
    department = await Department.get(code=code)
    person = await Coordinator.create(name="赵敏", department=department)
    return Actor(Role.COORDINATOR, person.id, person.name, department_path=department.path)


@pytest.fixture
async def apps(db, tmp_path):
    await load_demo(build_demo())
    city, county = await coordinator_at("419800"), await coordinator_at("419802")
    async with serving(Settings(data_dir=tmp_path)) as client:
        yield (
            Field(client, await coordinator_token(city)),
            Field(client, await coordinator_token(county)),
        )


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


async def test_pages_and_the_export_hold_what_the_import_reads(apps):
    city, _ = apps
    first = await (await city.get("/directory/departments?limit=2")).json()
    assert first["headers"][:3] == ["编码", "名称", "上级编码"]
    assert [r[0] for r in first["rows"]] == ["419800", "419802"]
    rest = await (await city.get(f"/directory/departments?offset={first['next_offset']}")).json()
    assert len(first["rows"]) + len(rest["rows"]) == first["total"] and rest["next_offset"] is None
    english = await (await city.get("/directory/items?limit=1&lang=en")).json()
    assert english["headers"][0] == "code"
    assert (await city.get("/directory/nothing")).status == 404
    assert (await city.get("/directory/items?limit=0")).status == 400

    exported = await city.get("/directory/departments/export")
    assert exported.status == 200 and exported.content_type == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO((await exported.read()).decode("utf-8-sig"))))
    assert rows[0][:3] == ["编码", "名称", "上级编码"] and len(rows) == first["total"] + 1
    # Sent back as it came, it changes nothing.
    back = await city.send_file(
        "/directory/departments/import", await exported.read(), "部门.csv", key="same"
    )
    assert back.status == 200, await back.text()
    assert (await back.json())["unchanged"] == first["total"]


async def test_a_refused_import_answers_grouped_errors_and_changes_nothing(apps):
    city, _ = apps
    before = await Target.all().count()
    rows = files.target_rows(12)  # departments 3299xx: not in this directory
    rows[3][0] = "not-a-credit-code"
    response = await city.send_file("/directory/targets/import", csv_bytes(rows), "对象.csv")
    assert response.status == 422, await response.text()
    refusal = await response.json()
    assert refusal["file"] == "对象.csv" and "未写入任何数据" in refusal["detail"]
    assert "/tmp" not in refusal["detail"]  # the server's folders are not the caller's business
    columns = {g["column"] for g in refusal["groups"]}
    assert {"区域", "统一社会信用代码"} <= columns
    # Every row names the same unknown 监管单位: one group, its rows listed, one way to fix it.
    biggest = refusal["groups"][0]
    assert biggest["column"] == "监管单位" and biggest["rows"] == list(range(2, 14))
    assert biggest["count"] == 12 and biggest["fix"]
    assert await Target.all().count() == before
    assert await AuditEntry.filter(action="directory.import").count() == 0


async def test_an_import_by_a_top_level_coordinator_only(apps):
    city, county = apps
    rows = [["编码", "名称", "上级编码"], ["419826", "南湖区人防办", "419800"]]
    refused = await county.send_file("/directory/departments/import", csv_bytes(rows), "d.csv")
    assert refused.status == 403
    assert not await Department.exists(code="419826")
    assert (await county.get("/directory/departments")).status == 200  # reading is shared
    done = await city.send_file("/directory/departments/import", csv_bytes(rows), "d.csv", key="k")
    assert (await done.json())["created"] == 1
    again = await city.send_file("/directory/departments/import", csv_bytes(rows), "d.csv", key="k")
    assert again.headers["Idempotent-Replayed"] == "true"
    bad = await city.send_file("/directory/departments/import", b"x", "d.txt")
    assert bad.status == 400 and (await bad.json())["invalid_params"][0]["name"] == "file"
    entry = await AuditEntry.get(action="directory.import")
    assert entry.actor.startswith("coordinator:")


async def test_the_audit_chain_is_checked_end_to_end(apps):
    city, _ = apps
    result = await (await city.get("/audit/verify")).json()
    assert result["ok"] is True and result["entries"] == result["head_seq"] >= 1
