"""`shuangsuiji calendar ...` run in-process (tests.kit.cli) against a file database."""

from __future__ import annotations

import asyncio
import functools

import pytest

from domain.storage import db
from domain.tasks import closing
from tests.kit.calendar_years import LAST_COVERED, UNCOVERED
from tests.kit.cli import Command
from tests.kit.factories import world

# Invented for the tests: the real 2027 notice is not available here.
YEAR_2027 = "2027-01-01..2027-01-03,holiday,元旦\n2027-02-06..2027-02-12,holiday,春节\n"


@pytest.fixture
def cli(shuangsuiji):
    return functools.partial(shuangsuiji, "calendar")


def test_add_prints_the_date_and_the_source(cli):
    code, out, _ = cli("add", "2025-09-30", "5")
    assert code == 0
    assert "2025-10-14（星期二）" in out
    assert "2025 年日历来源：chinesecalendar" in out


def test_add_into_an_uncovered_year_is_provisional_and_says_how_to_add_it(cli):
    code, out, _ = cli("add", f"{LAST_COVERED}-12-15", "20")
    assert code == 0
    first, *_ = out.splitlines()
    assert first.startswith(f"{LAST_COVERED}-12-15") and first.endswith("（暂定）")
    assert f"{UNCOVERED}-01-" in first  # Monday to Friday counted into January
    assert f"{UNCOVERED} 年日历来源：无（暂按周一至周五计算" in out
    assert "shuangsuiji calendar import FILE" in out


def test_import_then_add_and_show(cli, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(YEAR_2027, encoding="utf-8")
    code, out, _ = cli("import", str(path), "--source", "测试通知")
    assert code == 0
    assert "已导入 2027 年工作日历：放假 10 天，调休上班 0 天" in out
    assert "春节  2027-02-06（星期六） 至 2027-02-12（星期五），共 7 天" in out

    code, out, _ = cli("add", "2026-12-15", "20")
    assert code == 0
    assert "2027-01-13（星期三）" in out
    assert "2027 年日历来源：本单位导入：测试通知" in out

    code, out, _ = cli("show", "2027")
    assert code == 0 and "元旦  2027-01-01（星期五） 至 2027-01-03（星期日），共 3 天" in out
    code, out, _ = cli("show")
    assert "2004–2026：chinesecalendar" in out and "2027：本单位导入" in out


def test_show_a_package_year(cli):
    code, out, _ = cli("show", "2026")
    assert code == 0
    assert "春节  2026-02-15（星期日） 至 2026-02-23（星期一），共 9 天" in out
    assert "2026-02-28（星期六）" in out


def test_a_bad_file_is_refused_with_its_lines(cli, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(YEAR_2027 + "2027-02-10,workday\n", encoding="utf-8")
    code, out, err = cli("import", str(path))
    assert code == 1 and out == ""
    assert "第 3 行" in err and "未导入任何内容" in err


def test_a_missing_file_is_a_clear_error(cli, tmp_path):
    code, _, err = cli("import", str(tmp_path / "nope.csv"))
    assert code == 1 and "无法读取文件" in err


@pytest.mark.parametrize("action", ["add", "import", "show"])
def test_each_action_explains_itself(action, tmp_path):
    helped = Command("sqlite://:memory:", cwd=tmp_path)("calendar", action, "--help")
    assert helped.returncode == 0
    assert "usage: shuangsuiji calendar " + action in helped.stdout


def test_a_malformed_date_is_refused_by_the_parser(tmp_path):
    refused = Command("sqlite://:memory:", cwd=tmp_path)("calendar", "add", "2025-13-01", "5")
    assert refused.returncode == 2 and "不是日期" in refused.stderr


@pytest.mark.clock("2098-12-15 10:00")  # invented years: 2098 imported, 2099 missing
def test_show_lists_the_running_deadlines_and_which_are_provisional(cli, db_url, tmp_path):
    y2098, y2099 = tmp_path / "2098.csv", tmp_path / "2099.csv"
    y2098.write_text("2098-10-01..2098-10-07,holiday,国庆节\n", encoding="utf-8")
    y2099.write_text("2099-01-01..2099-01-03,holiday,元旦\n2099-01-04,workday,调休\n", "utf-8")
    assert cli("import", str(y2098))[0] == 0

    async def complete_a_campaign() -> None:
        await db.connect(db_url)
        try:
            w = await world("approved")
            await closing.refresh_completion(w.actor(w.coordinator), w.campaign.code)
        finally:
            await db.disconnect()

    asyncio.run(complete_a_campaign())
    code, out, _ = cli("show")
    assert code == 0 and "缺少 2099 年的日历" in out
    assert "进行中的公示期限 1 个，其中暂定 1 个" in out
    line = "2026-RF-01  抽查结果公示：2098-12-15 起 20 个工作日，期限 2099-01-12"
    assert f"{line}（暂定：缺 2099 年日历）" in out

    code, out, _ = cli("import", str(y2099))
    assert code == 0 and "按新日历重新计算了 3 个暂定的提醒" in out
    assert "2026-RF-01 结果公示提醒（results.publish.due0）：提醒日 2099-01-12 → 2099-01-13" in out
    code, out, _ = cli("show")
    assert "进行中的公示期限 1 个，其中暂定 0 个" in out and "期限 2099-01-13\n" in out
    assert "缺少" not in out
