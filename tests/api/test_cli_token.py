"""`shuangsuiji token`: issue prints the token once, revoke stops it, list shows both."""

from __future__ import annotations

import json
import re

from tortoise.context import TortoiseContext

from domain.people import api_tokens
from domain.rules.access import Role
from domain.storage.db import tortoise_config


async def resolves(db_url: str, token: str):
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(db_url))
        return await api_tokens.resolve_token(token)


async def test_issue_list_revoke(shuangsuiji, migrated_db_url):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    assert shuangsuiji("coordinator", "add", "赵敏", "--department", "419800").returncode == 0
    nobody = shuangsuiji("token", "issue", "coordinator", "1")
    assert nobody.returncode == 1 and "--as" in nobody.stderr
    issued = shuangsuiji("token", "issue", "coordinator", "1", "--as", "1", "--label", "平板")
    assert issued.returncode == 0, issued.stderr
    [token] = re.findall(r"ssj_[A-Za-z0-9_-]+", issued.stdout)
    actor = await resolves(migrated_db_url, token)
    assert actor is not None and actor.role == Role.COORDINATOR and actor.id == 1
    listed = shuangsuiji("token", "list", "--as", "1").stdout
    assert token not in listed
    [row] = json.loads(shuangsuiji("token", "list", "--as", "1", "--json").stdout)
    assert (row["person"], row["label"], row["revoked_at"]) == ("赵敏", "平板", None)
    assert shuangsuiji("token", "revoke", "1", "--as", "1").returncode == 0
    assert await resolves(migrated_db_url, token) is None
    assert "已撤销 (revoked)" in shuangsuiji("token", "list", "--as", "1").stdout
    again = shuangsuiji("token", "revoke", "1", "--as", "1")
    assert again.returncode == 1 and "已撤销" in again.stderr
    stranger = shuangsuiji("token", "issue", "inspector", "NO-SUCH-CERT", "--as", "1")
    assert stranger.returncode == 1 and "NO-SUCH-CERT" in stranger.stderr
