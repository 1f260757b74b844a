"""`shuangsuiji demo` as `make run` runs it: the directories and two campaigns, the audit log
whole, the published campaign's notices printed by the command line too."""

from __future__ import annotations

from demo.story import CANCEL_REASON, IN_PROGRESS, PUBLISHED


def test_demo_plays_both_campaigns_and_the_log_verifies(shuangsuiji, tmp_path):
    loaded = shuangsuiji("demo", "--if-empty")
    assert loaded.returncode == 0, loaded.stderr
    assert PUBLISHED in loaded.stdout and IN_PROGRESS in loaded.stdout
    verified = shuangsuiji("audit", "verify")
    assert verified.returncode == 0 and "audit chain OK" in verified.stdout
    photos = list((tmp_path / "var" / "evidence" / "originals").rglob("*"))
    assert any(p.is_file() for p in photos)
    results = shuangsuiji("publication", "results", PUBLISHED)
    assert results.returncode == 0 and CANCEL_REASON in results.stdout
    sealed = shuangsuiji("publication", "results", IN_PROGRESS)
    assert sealed.returncode != 0
    again = shuangsuiji("demo", "--if-empty")
    assert again.returncode == 0 and "未加载" in again.stdout


def test_directories_only_plans_nothing(shuangsuiji):
    loaded = shuangsuiji("demo", "--directories-only")
    assert loaded.returncode == 0 and PUBLISHED not in loaded.stdout
    assert "2026-RF" not in shuangsuiji("campaign", "list").stdout
