"""What the commands print, compared with the text a person should read: states in words,
ratios as percentages, aligned columns, help text as written; dicts only with `--json`."""

from __future__ import annotations

import json

import pytest

from cli.table import width
from tests.kit.cli import Command

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CODE = "2026-RF-01"
PLAN = (
    "campaign", "create", CODE, "第四季度抽查", "--department", "419800",
    "--items", "RF-419800-001", "--start", "2026-11-02", "--due", "2026-12-18",
)  # fmt: skip
OTHER = (
    "campaign", "create", "2026-RF-02", "Q4 城东", "--department", "419802",
    "--items", "RF-419800-001", "--start", "2026-11-02", "--due", "2026-12-18",
    "--ratios", "C=20", "--ratio-reason", "按风险分类监管", "--risk-classes", "C,D",
    "--beyond-frequency", "专项整治",
)  # fmt: skip
DICE = "31415 92653 58979 32384 6"

CANDIDATES_HELP = """\
用法 usage: shuangsuiji draw candidates [-h] [--as ID] CAMPAIGN DIR

每个分层一个文件：分层名按百分号编码加 .txt（419802:A -> 419802%3AA.txt），编
号排序、每行一个，因此每个文件的 SHA-256 就是准备时公布的摘要；pool.txt 为检查
人员库的证件号。
(One file per stratum: the stratum name percent-encoded + .txt, ids sorted one
per line, so that each file's SHA-256 is the digest published at prepare;
pool.txt: the inspector pool's certificate numbers.)

参数 (arguments):
  CAMPAIGN    计划编号 (plan number)
  DIR         要写入的目录 (directory to write)

选项 (options):
  -h, --help  显示本帮助并退出 (show this help and exit)
  --as ID     以该编号的协调员身份操作，默认为操作员 (act as this coordinator;
              default: the operator)
"""

SHOWN = """\
2026-RF-02  Q4 城东
  部门: 城东区人防办
  状态: 计划中 (planned)
  事项: RF-419800-001
  区域: 419802
  定向: 类别 不限 (any); 风险 C, D
  期间: 2026-11-02 – 2026-12-18
  比例: A 1% · B 2% · C 20% · D 30% · 重点 high 50%
  比例不同于抽查事项的理由: 按风险分类监管
  超出抽查频次的理由: 专项整治
  检查组: 2 人 + 专家 0; 任务 0 个
"""

LISTED = """\
计划编号 (plan)  名称 (name)   部门 (department)  期间 (period)            状态 (state)
2026-RF-02       Q4 城东       城东区人防办       2026-11-02 – 2026-12-18  计划中 (planned)
2026-RF-01       第四季度抽查  示范市人防办       2026-11-02 – 2026-12-18  已抽取 (drawn)
"""


def test_the_percent_sign_in_draw_candidates_help(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    shown = Command("sqlite://:memory:", cwd=tmp_path)("draw", "candidates", "--help")
    assert (shown.returncode, shown.stdout) == (0, CANDIDATES_HELP)


def columns_of(line: str, starts: list[int]) -> list[str]:
    """The cells of a table row, cut at the display columns where the heading's cells start."""
    cells, at, cell = [], 0, ""
    for char in line:
        if at in starts[1:] and cell:
            cells.append(cell.strip())
            cell = ""
        cell += char
        at += width(char)
    return [*cells, cell.strip()]


def test_campaigns_and_tasks_read_as_words(shuangsuiji):
    run = shuangsuiji
    assert run("demo", "--directories-only").returncode == 0
    assert run("coordinator", "add", "赵敏", "--department", "419800").returncode == 0
    assert run(*PLAN).returncode == 0
    assert run(*OTHER).returncode == 0
    assert run("draw", "prepare", CODE).returncode == 0
    assert run("draw", "reveal", CODE, "--dice", DICE).returncode == 0

    assert run("campaign", "show", "2026-RF-02").stdout == SHOWN
    assert run("campaign", "list").stdout == LISTED
    plan = json.loads(run("campaign", "show", "2026-RF-02", "--json").stdout)
    assert plan["ratios"]["C"] == "20" and plan["status"] == "planned"

    tasks = json.loads(run("task", "list", CODE, "--as", "1", "--json").stdout)
    listed = run("task", "list", CODE, "--as", "1").stdout.splitlines()
    heading = "任务编号 (task)  状态 (state)    统一社会信用代码 (credit code)  检查对象 (target)"
    assert listed[0] == heading
    starts = [width(heading[: heading.index(h)]) for h in heading.split("  ") if h]
    rows = [columns_of(line, starts) for line in listed[1:]]
    assert rows == [[t["number"], "已抽取 (drawn)", t["credit_code"], t["target"]] for t in tasks]

    refused = run("publish", CODE, "--as", "1")
    n = len(tasks)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        f"error: 还有未完成的任务，不能公示 (tasks still open): 已抽取 {n} 个 ({n} drawn)\n"
    )
