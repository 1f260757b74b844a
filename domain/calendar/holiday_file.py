"""The file an office writes to add a year's holidays: `shuangsuiji calendar import FILE`.

Written from the State Council's yearly notice (国务院办公厅关于 YYYY 年部分节假日安排的通知).
Weekends are non-working unless listed as working days; Monday to Friday are working days unless
listed as holidays. Two formats, the same content:

Text / CSV (UTF-8 or GB18030, as Excel saves it), one date or date range per line::

    # 2027 年部分节假日安排  ← lines starting with # are comments; blank lines are skipped
    date,kind,name          ← optional header
    2027-01-01,holiday,元旦
    2027-02-06..2027-02-12,holiday,春节   ← a range, both ends included
    2027-02-14,workday,春节调休上班

`kind` is `holiday` (or 放假/休) or `workday` (or 上班/班); `name` is optional. Dates may be
written 2027-02-06 or 2027/2/6; a range as `A..B`, `A~B` or `A至B`.

JSON::

    {"year": 2027, "source": "国办发明电〔2026〕…号",
     "holidays": ["2027-01-01", {"date": "2027-02-06..2027-02-12", "name": "春节"}],
     "workdays": [{"date": "2027-02-14", "name": "春节调休上班"}]}

The year is taken from the dates; every date must be in the same year. A file that fails any
check is refused as a whole, with every problem named by line (or JSON field).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from domain.calendar.workdays import WEEKDAYS_ZH
from domain.errors import UserError

HOLIDAY, WORKDAY = "holiday", "workday"
KINDS = {
    "holiday": HOLIDAY,
    "放假": HOLIDAY,
    "休": HOLIDAY,
    "workday": WORKDAY,
    "上班": WORKDAY,
    "班": WORKDAY,
}
# The longest official holiday period so far is 9 days; a longer range is a typo that would
# silently turn weeks of working days into holidays.
MAX_RANGE_DAYS = 14
MAX_PROBLEMS_SHOWN = 20
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_RANGE = re.compile(r"\s*(?:\.\.|~|～|至)\s*")


class CalendarFileError(UserError):
    def __init__(self, file_name: str, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        lines = [f"{file_name}：工作日历文件有误，未导入任何内容："]
        lines += [f"  - {p}" for p in shown]
        if more:
            lines.append(f"  …另有 {more} 处问题")
        super().__init__("\n".join(lines))


@dataclass
class CalendarFile:
    """A year read from a file: listed dates with their names ('' when none was given)."""

    year: int
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)
    source: str = ""


class _Problems(list[tuple[int, str]]):
    """Problems with their position in the file, reported in file order."""

    def add(self, pos: int, message: str) -> None:
        self.append((pos, message))

    def messages(self) -> list[str]:
        return [m for _, m in sorted(self, key=lambda p: p[0])]


@dataclass(frozen=True)
class _Entry:
    pos: int  # sorts the problems in file order
    where: str  # "第 3 行" or "holidays[2]": how the error message points at it
    day: dt.date
    kind: str
    name: str


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def parse_calendar_file(data: bytes, file_name: str) -> CalendarFile:
    try:
        text = decode(data)
    except UnicodeDecodeError:
        raise CalendarFileError(file_name, ["文件不是 UTF-8 或 GB18030 编码的文本"]) from None
    if file_name.lower().endswith(".json") or text.lstrip().startswith("{"):
        entries, problems, year, source = _read_json(text)
    else:
        entries, problems = _read_text(text)
        year, source = None, ""
    result = _check(entries, problems, year)
    if problems:
        raise CalendarFileError(file_name, problems.messages())
    assert result is not None
    result.source = source
    return result


def _parse_date(raw: str) -> dt.date:
    m = _DATE.match(raw.strip())
    if not m:
        raise ValueError(f"“{raw}”不是日期，应写成 2027-01-01")
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        raise ValueError(f"“{raw}”不是有效日期") from None


def _parse_dates(raw: str) -> list[dt.date]:
    parts = _RANGE.split(raw.strip())
    if len(parts) == 1:
        return [_parse_date(parts[0])]
    if len(parts) != 2:
        raise ValueError(f"“{raw}”不是日期或日期范围（例：2027-02-06..2027-02-12）")
    first, last = _parse_date(parts[0]), _parse_date(parts[1])
    if last < first:
        raise ValueError(f"范围“{raw}”的结束日期早于开始日期")
    span = (last - first).days + 1
    if span > MAX_RANGE_DAYS:
        raise ValueError(f"范围“{raw}”长达 {span} 天，超过 {MAX_RANGE_DAYS} 天，请检查日期")
    return [first + dt.timedelta(days=i) for i in range(span)]


def _parse_kind(raw: str) -> str:
    kind = KINDS.get(raw.strip().lower())
    if kind is None:
        raise ValueError(f"“{raw}”应为 holiday（放假）或 workday（上班）")
    return kind


def _read_text(text: str) -> tuple[list[_Entry], _Problems]:
    entries: list[_Entry] = []
    problems = _Problems()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("，", ",")
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([line]))]
        where = f"第 {number} 行"
        if cells[0].lower() in ("date", "日期"):
            continue
        if len(cells) < 2 or len(cells) > 3:
            problems.add(number, f"{where}：应为“日期,类型[,名称]”，实际有 {len(cells)} 列")
            continue
        try:
            days = _parse_dates(cells[0])
        except ValueError as exc:
            problems.add(number, f"{where} 日期：{exc}")
            days = []
        try:
            kind = _parse_kind(cells[1])
        except ValueError as exc:
            problems.add(number, f"{where} 类型：{exc}")
            continue
        name = cells[2] if len(cells) == 3 else ""
        entries += [_Entry(number, where, d, kind, name) for d in days]
    return entries, problems


def _read_json(text: str) -> tuple[list[_Entry], _Problems, int | None, str]:
    problems = _Problems()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(0, f"第 {exc.lineno} 行：不是有效的 JSON（{exc.msg}）")
        return [], problems, None, ""
    if not isinstance(doc, dict):
        problems.add(0, 'JSON 顶层应为对象 {"year": …, "holidays": […], "workdays": […]}')
        return [], problems, None, ""
    unknown = sorted(set(doc) - {"year", "source", "holidays", "workdays"})
    if unknown:
        problems.add(0, f"未知字段：{', '.join(unknown)}（可用 year、source、holidays、workdays）")
    year = doc.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        problems.add(0, f"year：应为整数年份，实际为 {year!r}")
        year = None
    source = doc.get("source", "")
    if not isinstance(source, str):
        problems.add(0, "source：应为文字")
        source = ""
    entries: list[_Entry] = []
    pos = 0
    for key, kind in (("holidays", HOLIDAY), ("workdays", WORKDAY)):
        items = doc.get(key, [])
        if not isinstance(items, list):
            problems.add(0, f"{key}：应为列表")
            continue
        for i, item in enumerate(items):
            pos += 1
            where = f"{key}[{i}]"
            raw, name = item, ""
            if isinstance(item, dict):
                raw, name = item.get("date"), item.get("name", "")
                where_date = f"{where}.date"
            else:
                where_date = where
            if not isinstance(raw, str) or not isinstance(name, str):
                problems.add(pos, f'{where}：应为日期文字或 {{"date": …, "name": …}}')
                continue
            try:
                entries += [_Entry(pos, where, d, kind, name) for d in _parse_dates(raw)]
            except ValueError as exc:
                problems.add(pos, f"{where_date}：{exc}")
    return entries, problems, year, source


def _check(entries: list[_Entry], problems: _Problems, year: int | None) -> CalendarFile | None:
    if not entries:
        if not problems:
            problems.add(0, "文件中没有任何日期：至少应列出当年的法定节假日")
        return None
    if year is None:
        # The year most lines name, so one mistyped year is the line flagged, not all others.
        votes = Counter(y for _, y in {(e.pos, e.day.year) for e in entries})
        year = min(votes, key=lambda y: (-votes[y], y))
        year_from = "多数日期"
    else:
        year_from = "year 字段"
    result = CalendarFile(year)
    seen: dict[dt.date, _Entry] = {}
    for e in entries:
        if e.day.year != year:
            problems.add(
                e.pos,
                f"{e.where} 日期：{e.day} 属于 {e.day.year} 年，而本文件是 {year} 年"
                f"（按{year_from}）；一个文件只能写一个年份",
            )
            continue
        if e.day in seen:
            problems.add(e.pos, f"{e.where} 日期：{e.day} 已在{seen[e.day].where}列出")
            continue
        seen[e.day] = e
        if e.kind == WORKDAY and e.day.weekday() < 5:
            problems.add(
                e.pos,
                f"{e.where} 日期：{e.day} 是{WEEKDAYS_ZH[e.day.weekday()]}，本来就是工作日；"
                "调休上班日应为星期六或星期日",
            )
            continue
        (result.holidays if e.kind == HOLIDAY else result.workdays)[e.day] = e.name
    if not result.holidays and not problems:
        problems.add(0, f"文件中没有任何放假日期：{year} 年应至少列出法定节假日")
    return result
