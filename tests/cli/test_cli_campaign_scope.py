"""What a campaign's regions cover, said when it is the problem: a region outside the
organising department's subtree, and a draw that finds no business in its regions."""

from __future__ import annotations

import pytest

from tests.kit import directory_files as files

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

NORTH = ["329903", "北城区", "3299"]  # a district without businesses


def directory(shuangsuiji, tmp_path) -> None:
    tables = {
        "departments": [*files.DEPARTMENTS, NORTH],
        "items": files.ITEM_ROWS,
        "targets": files.target_rows(9),
        "inspectors": files.INSPECTOR_ROWS,
    }
    for kind, rows in tables.items():
        done = shuangsuiji("import", kind, str(files.write(tmp_path / kind, rows)))
        assert done.returncode == 0, done.stderr


def create(shuangsuiji, code: str, department: str, *more: str):
    return shuangsuiji(
        "campaign", "create", code, "抽查", "--department", department, "--items", "RF-002",
        "--start", "2026-11-02", "--due", "2026-12-18", *more,
    )  # fmt: skip


def test_a_region_outside_the_department_names_its_subtree_and_the_fix(shuangsuiji, tmp_path):
    directory(shuangsuiji, tmp_path)
    refused = create(shuangsuiji, "2026-S-01", "329901", "--regions", "329902")
    assert refused.returncode == 1
    said = refused.stderr
    assert "区域「西城区 (329902)」不在组织部门「东城区 (329901)」的下级范围内" in said
    assert "可选: 东城区 (329901)，即 /3299/329901/ 下的区域" in said
    assert "`shuangsuiji campaign create … --department 3299`" in said and "示范市" in said
    unknown = create(shuangsuiji, "2026-S-01", "329901", "--regions", "329999")
    assert unknown.returncode == 1 and "shuangsuiji import departments" in unknown.stderr


def test_no_business_in_the_departments_own_subtree(shuangsuiji, tmp_path):
    directory(shuangsuiji, tmp_path)
    assert create(shuangsuiji, "2026-S-02", "329903").returncode == 0
    refused = shuangsuiji("draw", "prepare", "2026-S-02")
    assert refused.returncode == 1
    said = refused.stderr
    assert "没有可抽取的对象" in said
    assert "未给 --regions 时，计划只覆盖组织部门「北城区 (329903)」本身及其下级区域" in said
    assert "名录库的 9 个对象都在它的下级之外: 东城区 (329901) 6 个、西城区 (329902) 3 个" in said
    assert "由管辖它们的上级部门「示范市 (3299)」组织计划" in said and "--department 3299`" in said
    assert "上级编码设为 329903" in said


def test_no_business_in_the_chosen_regions_of_the_department(shuangsuiji, tmp_path):
    directory(shuangsuiji, tmp_path)
    assert create(shuangsuiji, "2026-S-03", "3299", "--regions", "329903").returncode == 0
    refused = shuangsuiji("draw", "prepare", "2026-S-03")
    assert refused.returncode == 1
    said = refused.stderr
    assert "计划的区域是 北城区 (329903) 及其下级区域，其中没有抽查对象" in said
    assert "东城区 (329901) 6 个、西城区 (329902) 3 个" in said
    assert "`shuangsuiji campaign edit 2026-S-03 --regions 329901,329902`" in said
    fixed = shuangsuiji("campaign", "edit", "2026-S-03", "--regions", "329901,329902")
    assert fixed.returncode == 0, fixed.stderr
    assert "没有可抽取的对象" not in shuangsuiji("draw", "prepare", "2026-S-03").stderr
