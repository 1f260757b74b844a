"""`campaign edit` and `campaign delete`, in process on the demo data set."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here

CODE = "2026-RF-01"


def test_edit_and_delete_before_the_draw_refused_after_it(shuangsuiji):
    run = shuangsuiji
    assert run("demo", "--directories-only").returncode == 0
    plan = (
        "campaign", "create", CODE, "第四季度抽查", "--department", "419800",
        "--items", "RF-419800-001,RF-419800-007,RF-419800-010",
        "--start", "2026-11-02", "--due", "2026-12-18", "--ratios", "C=20",
    )  # fmt: skip
    # The items ask for at least 10% in every class (RF-419800-001's 抽查比例): lower ones need
    # a reason.
    unexplained = run(*plan)
    assert unexplained.returncode == 1 and "--ratio-reason" in unexplained.stderr
    assert "A=10,B=10,C=10,D=30,high=50" in unexplained.stderr
    created = run(*plan, "--ratio-reason", "按风险分类监管的比例")
    assert created.returncode == 0, created.stderr
    assert "比例不同于抽查事项的理由: 按风险分类监管的比例" in run("campaign", "show", CODE).stdout
    edited = run(
        "campaign", "edit", CODE, "--name", "第四季度抽查（更正）", "--ratios", "A=3",
        "--due", "2026-12-20", "--allow-previous-team",
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    shown = run("campaign", "show", CODE).stdout
    assert "第四季度抽查（更正）" in shown and "2026-12-20" in shown
    assert "比例: A 3% · B 2% · C 20% · D 30% · 重点 high 50%" in shown  # keys not given kept
    bad = run("campaign", "edit", CODE, "--items", "NOPE", "--team-size", "1")
    assert bad.returncode == 1 and "NOPE" in bad.stderr and "team size" in bad.stderr
    nothing = run("campaign", "edit", CODE)
    assert nothing.returncode == 1 and "nothing to change" in nothing.stderr
    log = run("audit", "show", "--object", f"campaign:{CODE}", "--limit", "0").stdout
    assert "campaign.edit" in log and "第四季度抽查（更正）" in log

    assert run("draw", "prepare", CODE).returncode == 0
    assert run("draw", "reveal", CODE, "--dice", "31415 92653 58979 32384 6").returncode == 0
    late = run("campaign", "edit", CODE, "--name", "x")
    assert late.returncode == 1 and "amendments" in late.stderr
    gone = run("campaign", "delete", CODE)
    assert gone.returncode == 1 and f"draw record {CODE}" in gone.stderr

    again = (
        "campaign", "create", "2026-RF-02", "草稿", "--department", "419800",
        "--items", "RF-419800-001", "--start", "2026-11-02", "--due", "2026-12-18",
    )  # fmt: skip
    # RF-419800-001 is inspected once a year (抽查频次) and CODE already uses it in 2026.
    refused = run(*again)
    assert refused.returncode == 1
    assert all(s in refused.stderr for s in ("RF-419800-001", "2026", CODE, "--beyond-frequency"))
    assert "2026-RF-02" not in run("campaign", "list").stdout
    other = run(*again, "--beyond-frequency", "专项整治需要第二轮")
    assert other.returncode == 0
    assert "超出抽查频次的理由: 专项整治需要第二轮" in run("campaign", "show", "2026-RF-02").stdout
    notice = json.loads(run("publication", "plan", "2026-RF-02").stdout)
    assert notice["frequency_reason"] == "专项整治需要第二轮"
    deleted = run("campaign", "delete", "2026-RF-02")
    assert deleted.returncode == 0 and "审计日志" in deleted.stdout
    assert "2026-RF-02" not in run("campaign", "list").stdout
    log = run("audit", "show", "--object", "campaign:2026-RF-02", "--limit", "0").stdout
    assert "campaign.delete" in log
