"""The import file: both formats read the same year; every bad line is named; nothing half-read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from domain.calendar.holiday_file import CalendarFileError, parse_calendar_file
from domain.calendar.imported import package_calendar
from domain.errors import UserError

D = dt.date

# A made-up year for the tests (not the real 2027 notice, which is not published here).
GOOD_CSV = """\
# test fixture, invented dates
date,kind,name
2027-01-01,holiday,元旦
2027-02-06..2027-02-12,holiday,春节
2027/2/14,上班,春节调休
2027-04-05,放假
"""


def test_text_format_with_comments_header_ranges_and_chinese_kinds():
    year = parse_calendar_file(GOOD_CSV.encode(), "2027.csv")
    assert year.year == 2027
    assert sorted(year.holidays) == [
        D(2027, 1, 1),
        *(D(2027, 2, d) for d in range(6, 13)),
        D(2027, 4, 5),
    ]
    assert year.holidays[D(2027, 2, 9)] == "春节"
    assert year.holidays[D(2027, 4, 5)] == ""
    assert year.workdays == {D(2027, 2, 14): "春节调休"}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_excel_encodings_and_fullwidth_commas(encoding):
    text = "2027-01-01，holiday，元旦\r\n2027-02-14,workday,春节调休\r\n"
    year = parse_calendar_file(text.encode(encoding), "2027.csv")
    assert year.holidays == {D(2027, 1, 1): "元旦"}
    assert year.workdays == {D(2027, 2, 14): "春节调休"}


def test_json_format_reads_the_same_year():
    doc = {
        "year": 2027,
        "source": "测试通知",
        "holidays": ["2027-01-01", {"date": "2027-02-06..2027-02-12", "name": "春节"}],
        "workdays": [{"date": "2027-02-14", "name": "春节调休"}],
    }
    year = parse_calendar_file(json.dumps(doc, ensure_ascii=False).encode(), "2027.json")
    assert year.year == 2027 and year.source == "测试通知"
    assert len(year.holidays) == 8 and year.holidays[D(2027, 1, 1)] == ""
    assert year.workdays == {D(2027, 2, 14): "春节调休"}


def problems(text: str, name: str = "bad.csv") -> list[str]:
    with pytest.raises(CalendarFileError) as err:
        parse_calendar_file(text.encode(), name)
    assert isinstance(err.value, UserError)
    assert name in str(err.value)
    return err.value.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-01,holiday\n2027-13-01,holiday\n", ["第 2 行 日期", "不是有效日期"]),
        ("2027-01-01,holiday\n20270102,holiday\n", ["第 2 行 日期", "2027-01-01"]),
        ("2027-01-01,holiday\n2027-01-02,holliday\n", ["第 2 行 类型", "holiday"]),
        ("2027-01-01,holiday\n2027-01-02\n", ["第 2 行", "实际有 1 列"]),
        ("2027-01-01,holiday,元旦,多余\n", ["第 1 行", "实际有 4 列"]),
        # Mixed years: the odd line is named, whatever its place in the file.
        ("2028-01-01,holiday\n2027-02-06,holiday\n2027-02-07,holiday\n", ["第 1 行", "2028"]),
        ("2027-01-01,holiday\n2027-01-01,holiday\n", ["第 2 行", "已在第 1 行列出"]),
        ("2027-02-06..2027-02-12,holiday\n2027-02-10,workday\n", ["第 2 行", "已在第 1 行"]),
        ("2027-01-01,holiday\n2027-01-06,workday\n", ["第 2 行", "星期三", "本来就是工作日"]),
        ("2027-01-01..2027-03-01,holiday\n", ["第 1 行", "超过 14 天"]),
        ("2027-02-12..2027-02-06,holiday\n", ["第 1 行", "早于"]),
        ("# only a comment\n\n", ["没有任何日期"]),
        ("2027-02-13,workday\n", ["没有任何放假日期"]),
    ],
)
def test_bad_text_files_name_the_line_and_field(text, expected):
    found = problems(text)
    assert len(found) == 1, found
    for part in expected:
        assert part in found[0]


def test_every_problem_is_reported_in_file_order():
    text = "2027-01-01,holiday\n2028-01-01,holiday\n2027-01-05,workday\n2027-13-01,holday\n"
    found = problems(text)
    assert [p.split(" ", 2)[1] for p in found] == ["2", "3", "4", "4"]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ('{"year": 2027, "holidays": ["2027-02-30"]}', ["holidays[0]", "不是有效日期"]),
        ('{"holidays": [{"date": "2027-1-1x"}]}', ["holidays[0].date"]),
        ('{"holidays": ["2027-01-01"], "workdays": [5]}', ["workdays[0]"]),
        ('{"year": 2026, "holidays": ["2027-01-01"]}', ["holidays[0]", "year 字段"]),
        ('{"year": "2027", "holidays": ["2027-01-01"]}', ["year：应为整数"]),
        ('{"holidays": ["2027-01-01"], "holiday": []}', ["未知字段：holiday"]),
        ('{"holidays": "2027-01-01"}', ["holidays：应为列表"]),
        ('{"holidays": ["2027-01-01",]}', ["第 1 行", "JSON"]),
        ("[]", ["顶层应为对象"]),
    ],
)
def test_bad_json_files_name_the_field(doc, expected):
    found = problems(doc, "bad.json")
    assert found, doc
    for part in expected:
        assert any(part in p for p in found), (part, found)


def test_long_problem_lists_are_cut_with_a_count():
    text = "2027-01-01,holiday\n" + "".join(f"2027-03-{d:02d},workday\n" for d in range(1, 31))
    with pytest.raises(CalendarFileError) as err:
        parse_calendar_file(text.encode(), "bad.csv")
    weekday_lines = sum(D(2027, 3, d).weekday() < 5 for d in range(1, 31))
    assert len(err.value.problems) == weekday_lines
    assert f"另有 {weekday_lines - 20} 处问题" in str(err.value)


def test_undecodable_bytes_are_refused():
    assert problems_bytes(b"\xff\xfe\x00\xd8 2027") != []


def problems_bytes(data: bytes) -> list[str]:
    with pytest.raises(CalendarFileError) as err:
        parse_calendar_file(data, "bad.csv")
    return err.value.problems


def test_the_documented_2026_example_reads_as_the_package_2026():
    readme = Path(__file__).parents[2] / "deploy" / "calendar" / "README.md"
    example = readme.read_text(encoding="utf-8").split("```csv\n", 1)[1].split("```", 1)[0]
    year = parse_calendar_file(example.encode(), "README.md")
    package = package_calendar().year(2026)
    assert set(year.holidays) == package.holidays
    assert set(year.workdays) == package.workdays
