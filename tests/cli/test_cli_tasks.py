"""Coordinator commands: acting as a named coordinator, refusing what the rules refuse."""

from __future__ import annotations

import json


def test_coordinator_commands(shuangsuiji):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    added = shuangsuiji("coordinator", "add", "赵敏", "--department", "419800")
    assert added.returncode == 0 and "编号 1" in added.stdout
    assert "赵敏" in shuangsuiji("coordinator", "list").stdout
    created = shuangsuiji(
        "campaign", "create", "2026-RF-01", "第四季度抽查",
        "--department", "419800", "--items", "RF-419800-001",
        "--start", "2026-11-02", "--due", "2026-12-18",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    nobody = shuangsuiji("publish", "2026-RF-01")
    assert nobody.returncode == 1 and "--as" in nobody.stderr
    early = shuangsuiji("publish", "2026-RF-01", "--as", "1")
    assert early.returncode == 1 and "尚未抽取" in early.stderr
    missing = shuangsuiji("task", "cancel", "NOPE", "--reason", "x", "--as", "1")
    assert missing.returncode == 1 and "NOPE" in missing.stderr
    cert = json.loads(shuangsuiji("list", "inspectors", "--limit", "1", "--json").stdout)[0][
        "cert_no"
    ]
    invited = shuangsuiji("invite", "inspector", cert, "--as", "1", "--bot-username", "ssj_bot")
    assert invited.returncode == 0, invited.stderr
    assert "https://t.me/ssj_bot?start=" in invited.stdout
    stranger = shuangsuiji("invite", "inspector", "NO-SUCH-CERT", "--as", "1")
    assert stranger.returncode == 1 and "NO-SUCH-CERT" in stranger.stderr
