"""Which column is which field: the names offices use, a refused unknown column, the office's
own --ignore and --map, and the rows that took a default in a field that changes draws."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.directory import HeaderChoices, ImportRejected, import_file
from domain.directory.aliases import ALIASES, normalize
from domain.directory.schema import KINDS
from domain.storage.models import AuditEntry, Department, Target
from tests.kit import directory_files as files

README = Path(__file__).resolve().parents[2] / "README.md"


async def load_departments(tmp_path):
    await import_file("departments", files.write(tmp_path / "d", files.DEPARTMENTS))


def renamed(rows: list[list[str]], old: str, new: str) -> list[list[str]]:
    return [[new if c == old else c for c in rows[0]], *rows[1:]]


async def risk_classes() -> dict[str, str]:
    return dict(await Target.all().values_list("credit_code", "risk_class"))


def test_every_name_belongs_to_one_field_of_its_kind():
    for kind in KINDS.values():
        assert set(ALIASES[kind.name]) <= {c.field for c in kind.columns}, kind.name
        owners: dict[str, str] = {}
        for column in kind.columns:
            for name in kind.names(column):
                assert owners.setdefault(normalize(name), column.field) == column.field, name


def test_the_readme_lists_every_accepted_name():
    text = README.read_text(encoding="utf-8")
    for kind in KINDS.values():
        for column in kind.columns:
            for name in kind.names(column):
                assert f"`{name}`" in text, (kind.name, column.field, name)


OFFICE_RISK_HEADERS = ["风险等级", "信用风险等级", "风险分类", "信用等级", "信用风险分类"]


@pytest.mark.parametrize("header", OFFICE_RISK_HEADERS)
async def test_a_risk_column_under_an_office_name_keeps_its_classes(db, tmp_path, header):
    await load_departments(tmp_path)
    rows = renamed(files.target_rows(8), "信用风险分类", header)
    result = await import_file("targets", files.write(tmp_path / "t", rows))
    assert result.created == 8 and result.defaults == {}
    assert await risk_classes() == {files.code(n): "ABCD"[n % 4] for n in range(8)}


@pytest.mark.parametrize(
    ("field_header", "office_header"),
    [("对象类别", "行业类别"), ("对象类别", "行业"), ("状态", "经营状态"), ("状态", "登记状态")],
)
async def test_category_and_status_under_office_names(db, tmp_path, field_header, office_header):
    await load_departments(tmp_path)
    rows = renamed(files.target_rows(6), field_header, office_header)
    await import_file("targets", files.write(tmp_path / "t", rows))
    closed = await Target.get(credit_code=files.code(0))
    assert closed.status == "closed" and closed.categories == ["人防工程平时使用"]


async def test_full_width_and_marked_headers_are_the_same_name(db, tmp_path):
    await load_departments(tmp_path)
    rows = renamed(files.target_rows(3), "统一社会信用代码", "* 统一社会信用代码（必填）")
    rows = renamed(rows, "名称", "企业名称 ")
    assert (await import_file("targets", files.write(tmp_path / "t", rows))).created == 3


async def test_an_unknown_column_refuses_the_file_naming_the_way_out(db, tmp_path):
    await load_departments(tmp_path)
    rows = renamed(files.target_rows(4), "信用风险分类", "风险级别")
    with pytest.raises(ImportRejected) as caught:
        await import_file("targets", files.write(tmp_path / "t", rows))
    [error] = caught.value.errors
    assert (error.row, error.column) == (1, "风险级别")
    message = str(caught.value)
    assert "unknown column" in message and "--map '风险级别=字段'" in message
    assert "--ignore '风险级别'" in message and "是否指「信用风险分类」(risk_class)" in message
    assert await Target.all().count() == 0


async def test_ignore_leaves_a_column_out_and_its_field_takes_the_default(db, tmp_path):
    await load_departments(tmp_path)
    rows = renamed(files.target_rows(8), "信用风险分类", "风险级别")
    rows = [[*r, "内部备注" if n == 0 else "x"] for n, r in enumerate(rows)]
    choices = HeaderChoices(ignore=("风险级别", "内部备注"))
    result = await import_file("targets", files.write(tmp_path / "t", rows), choices=choices)
    assert result.ignored_columns == ["风险级别", "内部备注"]
    assert set((await risk_classes()).values()) == {"B"}
    # Said, not silent: every row took risk class B.
    assert result.defaults == {"risk_class": 8}
    [entry] = await AuditEntry.filter(action="directory.import", object_id="targets")
    assert json.loads(entry.after)["defaults"] == {"risk_class": 8}
    assert json.loads(entry.data)["ignored_columns"] == ["风险级别", "内部备注"]


async def test_map_reads_a_column_as_a_field(db, tmp_path):
    await load_departments(tmp_path)
    rows = renamed(files.target_rows(8), "信用风险分类", "企业风险")
    choices = HeaderChoices(rename={"企业风险": "risk_class"})
    result = await import_file("targets", files.write(tmp_path / "t", rows), choices=choices)
    assert result.renamed_columns == {"企业风险": "risk_class"}
    assert await risk_classes() == {files.code(n): "ABCD"[n % 4] for n in range(8)}
    # The field may be named by any of its headers; a column may be mapped over a known name.
    rows = renamed(files.target_rows(8), "状态", "备注")
    rows = renamed(rows, "信用风险分类", "状态")
    choices = HeaderChoices(rename={"状态": "信用风险分类"}, ignore=("备注",))
    await import_file("targets", files.write(tmp_path / "t2", rows), choices=choices)
    assert await risk_classes() == {files.code(n): "ABCD"[n % 4] for n in range(8)}


async def test_options_naming_nothing_are_refused(db, tmp_path):
    await load_departments(tmp_path)
    path = files.write(tmp_path / "t", files.target_rows(2))
    cases = [
        (HeaderChoices(ignore=("备注",)), "--ignore 指定的列在文件中不存在"),
        (HeaderChoices(rename={"风险": "risk_class"}), "--map 指定的列在文件中不存在"),
        (HeaderChoices(rename={"名称": "nonsense"}), "目标字段「nonsense」不存在"),
    ]
    for choices, said in cases:
        with pytest.raises(ImportRejected, match=said):
            await import_file("targets", path, choices=choices)
    assert await Target.all().count() == 0


async def test_rows_that_took_a_default_in_a_field_that_changes_draws(db, tmp_path):
    await load_departments(tmp_path)
    rows = files.target_rows(10)
    status, jurisdiction, risk = (rows[0].index(h) for h in ("状态", "监管单位", "信用风险分类"))
    for n in (1, 2, 3):
        rows[n][risk] = ""
    rows[4][status] = ""
    for n in (5, 6):
        rows[n][jurisdiction] = ""
    result = await import_file("targets", files.write(tmp_path / "t", rows))
    assert result.defaults == {"status": 1, "jurisdiction": 2, "risk_class": 3}
    # A column missing altogether: every row took the default.
    without = [[c for i, c in enumerate(r) if i != risk] for r in files.target_rows(4)]
    result = await import_file("targets", files.write(tmp_path / "t2", without))
    assert result.defaults == {"risk_class": 4}


async def test_a_headerless_column_with_data_is_refused_an_empty_one_is_not(db, tmp_path):
    await load_departments(tmp_path)
    rows = [[*r, ""] for r in files.DEPARTMENTS]
    assert (await import_file("departments", files.write(tmp_path / "a", rows))).unchanged == 3
    rows[1][-1] = "备注"
    with pytest.raises(ImportRejected, match="第 4 列"):
        await import_file("departments", files.write(tmp_path / "b", rows))
    assert await Department.all().count() == 3


@pytest.mark.parametrize(
    ("kind", "header", "guess"),
    [
        ("targets", "风险级别", "risk_class"),
        ("targets", "行业门类", "categories"),
        ("targets", "经营范围", None),  # close to 经营状态 by its first two characters only
        ("items", "抽查比率", None),  # as close to 抽查比例 as to 抽查频率: no guess
    ],
)
async def test_an_unknown_column_suggests_a_field_only_when_one_is_clearly_meant(
    db, tmp_path, kind, header, guess
):
    rows = {"targets": files.target_rows(1), "items": files.ITEM_ROWS}[kind]
    path = files.write(tmp_path / "x", [[*rows[0], header], *[[*r, "1"] for r in rows[1:]]])
    with pytest.raises(ImportRejected) as caught:
        await import_file(kind, path)
    [unknown] = [e for e in caught.value.errors if e.column == header]
    assert ("是否指" in unknown.fix) == (guess is not None)
    if guess:
        assert f"({guess})？" in unknown.fix


def under_office_names(kind: str, rows: list[list[str]]) -> list[list[str]]:
    """`rows` with each header replaced by the last name aliases.py accepts for its field."""
    by_header = {c.zh: c.field for c in KINDS[kind].columns}
    headers = [ALIASES[kind].get(by_header[h], (h,))[-1] for h in rows[0]]
    assert headers != rows[0]
    return [headers, *rows[1:]]


@pytest.mark.parametrize("kind", ["items", "targets", "inspectors"])
async def test_a_file_under_office_names_reads_as_the_same_data(db, tmp_path, kind):
    await load_departments(tmp_path)
    rows = {
        "items": files.ITEM_ROWS,
        "targets": files.target_rows(12),
        "inspectors": files.INSPECTOR_ROWS,
    }[kind]
    office = await import_file(kind, files.write(tmp_path / "o", under_office_names(kind, rows)))
    assert office.created == len(rows) - 1
    own = await import_file(kind, files.write(tmp_path / "c", rows))
    assert (own.created, own.updated, own.unchanged) == (0, 0, len(rows) - 1)
