"""`calendar add | import | show`: Chinese working days for deadlines."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.deadline_text import deadline_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    import datetime as dt

    from domain.calendar.provisional import OpenDeadline, Recounted
    from domain.calendar.workdays import WorkCalendar, YearCalendar
    from domain.config import Settings


def describe_day(day: dt.date) -> str:
    from domain.calendar import workdays

    return workdays.describe_day(day)


def format_years(years) -> str:
    from domain.calendar import workdays

    return workdays.format_years(years)


def _date(raw: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{raw}”不是日期，应写成 2025-09-30") from None


async def run_add(args: argparse.Namespace, settings: Settings) -> int:
    from domain.calendar.imported import load_calendar

    async with connected(settings):
        calendar = await load_calendar()
    end = calendar.count_workdays(args.date, args.n)
    where = "后" if args.n >= 0 else "前"
    mark = "（暂定）" if end.provisional else ""
    print(
        f"{describe_day(args.date)}{where}第 {abs(args.n)} 个工作日：{describe_day(end.day)}{mark}"
    )
    print("（起始日不计入，按法定节假日和调休上班日计算）")
    for year, source in calendar.sources(args.date, end.day):
        print(f"{year} 年日历来源：{source or _MISSING}")
    return 0


_MISSING = "无（暂按周一至周五计算；导入该年日历后才是正式结果：shuangsuiji calendar import FILE）"


async def run_import(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio
    from pathlib import Path

    from domain.calendar.holiday_file import parse_calendar_file
    from domain.calendar.imported import import_calendar_year
    from domain.errors import UserError

    path = Path(args.file)
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise UserError(f"无法读取文件 {path}：{exc.strerror}") from None
    # Checked before connecting, so a bad file is refused even when the database is down.
    parsed = parse_calendar_file(data, path.name)
    async with connected(settings):
        result = await import_calendar_year(parsed, path.name, args.source)
    y = result.year
    print(f"已导入 {y.year} 年工作日历：放假 {len(y.holidays)} 天，调休上班 {len(y.workdays)} 天。")
    if result.replaced_import:
        print(f"之前导入的 {y.year} 年日历已被整体替换。")
    if result.overrides_package:
        print(f"chinesecalendar 自带的 {y.year} 年数据今后不再使用，以本次导入为准。")
    print("请对照国务院办公厅通知核对：")
    _print_year(y)
    _print_recounted(result.recounted)
    return 0


_REMINDER_LABELS = {
    "results.publish": "结果公示提醒",
    "penalty.publish": "处罚信息公示提醒",
    "task": "任务期限提醒",
    "followup": "整改期限提醒",
}


def _print_recounted(recounted: list[Recounted]) -> None:
    if not recounted:
        return
    print(f"按新日历重新计算了 {len(recounted)} 个暂定的提醒：")
    for r in recounted:
        moved = "不变" if r.was == r.now else f"{r.was} → {r.now}"
        due = r.due_now if r.due_was == r.due_now else f"{r.due_was} → {r.due_now}"
        still = "（仍为暂定：还缺其他年份的日历）" if r.still_provisional else ""
        what = _REMINDER_LABELS.get(r.kind.rsplit(".", 1)[0], r.kind)
        print(f"  {r.subject} {what}（{r.kind}）：提醒日 {moved}，期限 {due}{still}")


async def run_show(args: argparse.Namespace, settings: Settings) -> int:
    from domain.calendar.imported import load_calendar
    from domain.calendar.provisional import open_deadlines

    async with connected(settings):
        calendar = await load_calendar()
        running = await open_deadlines(calendar)
    if args.year is None:
        _print_coverage(calendar)
        _print_deadlines(running)
    else:
        _print_year(calendar.year(args.year))
    return 0


def _print_coverage(calendar: WorkCalendar) -> None:
    from domain import clock

    by_source: dict[str, list[int]] = {}
    for year in calendar.covered_years():
        by_source.setdefault(calendar.year(year).source, []).append(year)
    print("可按工作日计算的年份：")
    for source, years in by_source.items():
        print(f"  {format_years(years)}：{source}")
    this_year = clock.today().year
    missing = [y for y in (this_year, this_year + 1) if not calendar.covers(y)]
    if missing:
        years = format_years(missing)
        print(
            f"缺少 {years} 年的日历：涉及 {years} 年的期限只能暂定（按周一至周五计算），"
            f"请在国务院办公厅公布节假日安排后导入。"
        )
    print(
        "其他年份请用 `shuangsuiji calendar import FILE` 导入（格式见 deploy/calendar/README.md）。"
    )


def _print_deadlines(running: list[OpenDeadline]) -> None:
    from domain.calendar.provisional import RESULTS

    if not running:
        print("没有进行中的公示期限。")
        return
    provisional = [d for d in running if d.deadline.provisional]
    print(f"进行中的公示期限 {len(running)} 个，其中暂定 {len(provisional)} 个：")
    for d in running:
        what = "抽查结果公示" if d.what == RESULTS else f"行政处罚 {d.label} 公示"
        due = d.deadline
        shown = deadline_text(due, short=True)
        print(f"  {d.campaign}  {what}：{due.start} 起 {due.workdays} 个工作日，期限 {shown}")


def _print_year(y: YearCalendar) -> None:
    print(f"{y.year} 年工作日历，来源：{y.source}")
    for title, days in (("放假", y.holidays), ("调休上班", y.workdays)):
        print(f"{title}（{len(days)} 天）：")
        for first, last, name in _runs(sorted(days), y.names):
            span = describe_day(first)
            if last != first:
                span += f" 至 {describe_day(last)}，共 {(last - first).days + 1} 天"
            print(f"  {name or '（未命名）'}  {span}")


def _runs(days: list[dt.date], names: dict[dt.date, str]) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive days under one name, as the notice states them (春节 1月28日至2月4日)."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day in days:
        name = names.get(day, "")
        if runs and runs[-1][2] == name and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day, name)
        else:
            runs.append((day, day, name))
    return runs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calendar",
        help="工作日：计算期限、导入某年节假日、查看日历 (working days: count deadlines, import "
        "a year's holidays, show a year)",
        description="工作日按官方日历计算：节假日休息，调休的周末上班。年份数据来自 "
        "chinesecalendar 包或本单位导入的文件；两者都没有的年份是错误，绝不猜测。\n"
        "(Working days follow the official calendar: holidays are off, swapped weekend "
        "days (调休) are working days. "
        "Years come from the chinesecalendar package or from a file the office imports; a year "
        "neither covers is an error, never a guess.)",
    )
    cal = p.add_subparsers(
        dest="calendar_command", metavar="ACTION", required=True, title="操作 (actions)"
    )

    add = cal.add_parser(
        "add",
        help="DATE 之后第 N 个工作日 (print the date N working days after DATE)",
        description="按法律规定计算（民法典第二百零一条）：DATE 当日不计入，从下一个工作日起算；N "
        "为负数时向前数。同时说明所涉年份的日历来源；没有日历的年份按周一至周五计算，结果标为"
        "暂定。例：shuangsuiji calendar add 2025-09-30 5\n(Counted as the law does: DATE itself "
        "is not counted, then each following working day counts; a negative N counts back. "
        "Also says which source covered the years involved; a year with no calendar is counted "
        "Monday to Friday and the answer marked 暂定, provisional.)",
    )
    add.add_argument("date", type=_date, metavar="DATE", help="起始日 YYYY-MM-DD (start date)")
    add.add_argument("n", type=int, metavar="N", help="工作日数 (number of working days)")
    add.set_defaults(run=run_add)

    imp = cal.add_parser(
        "import",
        help="从文件导入或替换某一年的节假日和调休上班日 (add or replace one year's holidays "
        "and swapped working days)",
        description="从 FILE 读取某一年的节假日和调休上班日（按国务院办公厅每年的通知）并保存，"
        "优先于 chinesecalendar 包。重新导入某年即整体替换。文件先整体检查，有一行错误就全部拒绝。"
        "格式：'2027-01-01,holiday,元旦'、'2027-02-06..2027-02-12,holiday,春节'、"
        "'2027-02-14,workday,春节调休上班'，或 JSON；见 deploy/calendar/README.md。\n(Read one "
        "year's holidays and swapped working days from FILE and store them; they take "
        "precedence over the chinesecalendar package. Re-importing a year replaces it. The "
        "file is checked first and refused as a whole if any line is wrong.)",
    )
    imp.add_argument("file", metavar="FILE", help=".csv/.txt 或 .json 文件 (the file)")
    imp.add_argument(
        "--source",
        default="",
        metavar="TEXT",
        help="文件所依据的通知，如 国办发明电〔2026〕…号；默认取文件中的 source 字段，否则为文件名 "
        "(the notice the file was written from; default: the file's 'source' field, else its "
        "name)",
    )
    imp.set_defaults(run=run_import)

    show = cal.add_parser(
        "show",
        help="列出某年的节假日和调休上班日，或已覆盖的年份 (list a year's days off and swapped "
        "working days, or the years covered)",
        description="给出 YEAR 时列出该年的节假日、调休上班日及其来源；不给出时列出可计算的年份及"
        "来源，以及进行中的公示期限，并注明哪些是暂定的。\n(With YEAR: that year's holidays "
        "and swapped working days and their source. Without: the years that can be counted, "
        "their sources, and the publication deadlines still running, saying which are "
        "provisional.)",
    )
    show.add_argument(
        "year", type=int, nargs="?", metavar="YEAR", help="年份，如 2026 (year, e.g. 2026)"
    )
    show.set_defaults(run=run_show)
