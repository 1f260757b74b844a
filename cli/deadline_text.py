"""How the command line shows a deadline: its date, and 暂定 with the reason when provisional."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.calendar.workdays import Deadline


def deadline_text(deadline: Deadline, *, short: bool = False) -> str:
    from domain.calendar.workdays import format_years

    if not deadline.provisional:
        return str(deadline.due)
    years = format_years(deadline.assumed)
    if short:
        return f"{deadline.due}（暂定：缺 {years} 年日历）"
    return (
        f"{deadline.due}（暂定：还没有 {years} 年的工作日历，暂按周一至周五计算；"
        "导入后自动重算：shuangsuiji calendar import FILE）"
    )
