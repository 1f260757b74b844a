"""The publication commands, run as the `shuangsuiji` program on a file database."""

from __future__ import annotations

import json
import zipfile

from tortoise.context import TortoiseContext

from domain.errors import UserError
from domain.notice.fonts import find_cjk_font
from domain.storage.db import tortoise_config
from tests.kit.publication_cases import publish, sealed_case

CODE = "2026-RF-01"


def has_font() -> bool:
    try:
        find_cjk_font()
    except UserError:
        return False
    return True


async def test_notices_export_and_bundle_from_the_command_line(
    shuangsuiji, migrated_db_url, tmp_path
):
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(migrated_db_url), _enable_global_fallback=True)
        w = await sealed_case()
        sealed = shuangsuiji("publication", "results", CODE)
        refused = shuangsuiji("credit-export", CODE, str(tmp_path / "c.csv"))
        await publish(w)
    assert sealed.returncode == 1 and "尚未公开" in sealed.stderr
    assert refused.returncode == 1 and "尚未公示" in refused.stderr

    plan = shuangsuiji("publication", "plan", CODE)
    assert plan.returncode == 0 and json.loads(plan.stdout)["notice"] == "抽查计划公告"
    page = tmp_path / "results.html"
    assert shuangsuiji("publication", "results", CODE, "--html", str(page)).returncode == 0
    assert w.target.name in page.read_text(encoding="utf-8")

    exported = shuangsuiji("credit-export", CODE, str(tmp_path / "c.json"))
    assert exported.returncode == 0 and "2 条" in exported.stdout, exported.stderr

    out = tmp_path / "case.zip"
    bundled = shuangsuiji("bundle", w.task.number, "-o", str(out))
    if not has_font():
        assert bundled.returncode == 1 and "字体" in bundled.stderr and not out.exists()
    else:
        assert bundled.returncode == 0, bundled.stderr
        with zipfile.ZipFile(out) as zf:
            assert "MANIFEST.sha256" in zf.namelist() and "notice.pdf" in zf.namelist()
    missing = shuangsuiji("bundle", "NO-SUCH-TASK")
    assert missing.returncode == 1 and "NO-SUCH-TASK" in missing.stderr
