"""Import of each kind, in each encoding and format, with Chinese and English headers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.directory import ImportRejected, export_file, import_file
from domain.storage.models import Conflict, Department, InspectionItem, Inspector, Target
from tests.kit import directory_files as files

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "xlsx"]


async def load_departments(tmp_path):
    await import_file("departments", files.write(tmp_path / "d", files.DEPARTMENTS))


async def test_departments_build_the_hierarchy(db, tmp_path):
    await load_departments(tmp_path)
    east = await Department.get(code="329901")
    assert east.path == "/3299/329901/"
    assert await Department.filter(path__startswith="/3299/").count() == 3


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("english", [False, True])
async def test_targets_import(db, tmp_path, encoding, english):
    await load_departments(tmp_path)
    path = files.write(tmp_path / "t", files.target_rows(12, english), encoding)
    result = await import_file("targets", path)
    assert (result.created, result.updated) == (12, 0)
    target = await Target.get(credit_code=files.code(1)).prefetch_related("region", "jurisdiction")
    assert target.name == "示范人防工程设计有限公司1"
    assert target.categories == ["人防工程设计", "人防工程监理"]
    assert target.region.code == "329901"
    assert target.jurisdiction.code == "329902"
    assert (target.latitude, target.longitude) == (31.2, 121.4)
    assert target.risk_class == "B" and target.complaints == 1
    zero = await Target.get(credit_code=files.code(0)).prefetch_related("region")
    assert zero.region.code == "329902"  # named by its unique name 西城区
    assert zero.status == "closed" and zero.bad_record is True


@pytest.mark.parametrize("encoding", ENCODINGS)
async def test_items_import(db, tmp_path, encoding):
    await load_departments(tmp_path)
    result = await import_file("items", files.write(tmp_path / "i", files.ITEM_ROWS, encoding))
    assert result.created == 2
    key = await InspectionItem.get(code="RF-002")
    assert key.kind == "key" and key.ratio_percent == Decimal("10.00")
    assert key.frequency_per_year == 2 and key.active is True
    general = await InspectionItem.get(code="RF-001")
    assert general.inspector_specialty == "人防工程设计" and general.ratio_percent == Decimal(5)


@pytest.mark.parametrize("encoding", ENCODINGS)
async def test_inspectors_and_conflicts_import(db, tmp_path, encoding):
    await load_departments(tmp_path)
    await import_file("targets", files.write(tmp_path / "t", files.target_rows(3)))
    await import_file("inspectors", files.write(tmp_path / "p", files.INSPECTOR_ROWS, encoding))
    expert = await Inspector.get(cert_no="ZJ3299003")
    assert expert.is_expert and str(expert.cert_valid_until) == "2026-12-31"
    assert (await Inspector.get(cert_no="ZF3299002")).specialties == ["人防工程平时使用"]
    rows = [["执法证号", "统一社会信用代码", "回避原由"], ["ZF3299001", files.code(2), "亲属任职"]]
    await import_file("conflicts", files.write(tmp_path / "c", rows, encoding))
    conflict = await Conflict.get().prefetch_related("inspector", "target")
    assert conflict.inspector.cert_no == "ZF3299001" and conflict.reason == "亲属任职"


async def test_several_bad_rows_reject_the_whole_file(db, tmp_path):
    await load_departments(tmp_path)
    rows = files.target_rows(8)
    rows[2][0] = rows[2][0][:-1] + ("0" if rows[2][0][-1] != "0" else "1")  # bad check char
    rows[3][1] = ""  # missing name
    rows[4][3] = "火星区"  # unknown region
    rows[6][0] = rows[5][0]  # duplicate key
    path = files.write(tmp_path / "bad", rows)
    with pytest.raises(ImportRejected) as caught:
        await import_file("targets", path)
    named = {(e.row, e.column) for e in caught.value.errors}
    assert named == {(3, "统一社会信用代码"), (4, "名称"), (5, "区域"), (7, "统一社会信用代码")}
    message = str(caught.value)
    assert "第 3 行" in message and "校验码" in message and "第 6 行" in message
    assert await Target.all().count() == 0


async def test_bad_date_and_missing_column(db, tmp_path):
    await load_departments(tmp_path)
    rows = [list(r) for r in files.INSPECTOR_ROWS]
    rows[2][3] = "明年"
    with pytest.raises(ImportRejected) as caught:
        await import_file("inspectors", files.write(tmp_path / "p", rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "证件有效期至")]
    without_name = [[c for i, c in enumerate(r) if i != 1] for r in files.INSPECTOR_ROWS]
    with pytest.raises(ImportRejected) as caught:
        await import_file("inspectors", files.write(tmp_path / "q", without_name))
    message = str(caught.value)
    assert "「姓名」: 缺少必填列 (missing column name)" in message
    # The columns found, and every name accepted for the missing one.
    assert "文件中的列: 执法证号、所属单位、证件有效期至、专业领域" in message
    assert "此列可用的列名: 姓名、name、人员姓名、执法人员姓名" in message
    assert "--map '文件中的列名=name'" in message
    assert await Inspector.all().count() == 0


async def test_conflict_with_unknown_people_changes_nothing(db, tmp_path):
    await load_departments(tmp_path)
    await import_file("targets", files.write(tmp_path / "t", files.target_rows(2)))
    await import_file("inspectors", files.write(tmp_path / "p", files.INSPECTOR_ROWS))
    rows = [
        ["执法证号", "统一社会信用代码"],
        ["ZF3299001", files.code(0)],
        ["ZF999", files.code(1)],
    ]
    with pytest.raises(ImportRejected, match="第 3 行"):
        await import_file("conflicts", files.write(tmp_path / "c", rows))
    assert await Conflict.all().count() == 0


async def test_undecodable_file_is_named(db, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x30broken")
    with pytest.raises(ImportRejected, match=r"broken\.csv"):
        await import_file("targets", path)


async def test_reimport_updates_instead_of_duplicating(db, tmp_path):
    await load_departments(tmp_path)
    await import_file("targets", files.write(tmp_path / "t", files.target_rows(5)))
    rows = files.target_rows(6)
    rows[1][1] = "更名后的公司"
    result = await import_file("targets", files.write(tmp_path / "t2", rows))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 4)
    assert await Target.all().count() == 6
    assert (await Target.get(credit_code=files.code(0))).name == "更名后的公司"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("english", [False, True])
async def test_export_import_round_trip(db, tmp_path, suffix, english):
    await load_departments(tmp_path)
    await import_file("items", files.write(tmp_path / "i", files.ITEM_ROWS))
    await import_file("targets", files.write(tmp_path / "t", files.target_rows(20)))
    await import_file("inspectors", files.write(tmp_path / "p", files.INSPECTOR_ROWS))
    rows = [["执法证号", "统一社会信用代码", "回避原由"], ["ZF3299002", files.code(3), "曾任职"]]
    await import_file("conflicts", files.write(tmp_path / "c", rows))
    kinds = ["departments", "items", "targets", "inspectors", "conflicts"]
    before = {}
    for kind in kinds:
        first = tmp_path / f"{kind}-1{suffix}"
        await export_file(kind, first, english=english)
        before[kind] = first
        result = await import_file(kind, first)
        assert result.created == 0, kind
        if kind not in ("departments", "conflicts"):
            assert result.updated == 0, kind
    for kind in kinds:
        second = tmp_path / f"{kind}-2{suffix}"
        await export_file(kind, second, english=english)
        if suffix == ".csv":
            assert second.read_bytes() == before[kind].read_bytes(), kind
    snapshot = await Target.all().order_by("credit_code").values()
    for table in (Conflict, Inspector, Target, InspectionItem):
        await table.all().delete()
    for kind in kinds[1:]:
        await import_file(kind, before[kind])
    again = await Target.all().order_by("credit_code").values()
    strip = ("id", "created_at", "updated_at")
    assert [{k: v for k, v in r.items() if k not in strip} for r in again] == [
        {k: v for k, v in r.items() if k not in strip} for r in snapshot
    ]
