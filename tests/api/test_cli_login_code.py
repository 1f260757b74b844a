"""`shuangsuiji login-code issue` prints a code the person exchanges for a token; `token issue`
takes an expiry and a scope, and `token list` shows both."""

from __future__ import annotations

import datetime as dt
import json
import re

from tortoise.context import TortoiseContext

from domain.people import api_tokens, login
from domain.storage.db import tortoise_config
from domain.storage.models import TokenScope


async def sign_in(db_url: str, code: str):
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(db_url))
        return await login.sign_in(code, "127.0.0.1", dt.timedelta(days=30))


async def credential(db_url: str, token: str):
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(db_url))
        return await api_tokens.authenticate(token)


async def test_a_coordinator_s_login_code_signs_a_person_in(shuangsuiji, migrated_db_url):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    assert shuangsuiji("coordinator", "add", "赵敏", "--department", "419800").returncode == 0
    nobody = shuangsuiji("login-code", "issue", "--person", "1", "--role", "coordinator")
    assert nobody.returncode == 1 and "--as" in nobody.stderr
    issued = shuangsuiji("login-code", "issue", "--person", "1", "--role", "coordinator",
                         "--as", "1")  # fmt: skip
    assert issued.returncode == 0, issued.stderr
    [code] = re.findall(r"shown once\): (\d{6})$", issued.stdout, re.MULTILINE)
    assert "赵敏" in issued.stdout and "只能使用一次" in issued.stdout
    token = await sign_in(migrated_db_url, code)
    assert token.person_name == "赵敏" and token.expires_at is not None
    stranger = shuangsuiji("login-code", "issue", "--person", "NO-SUCH-CERT", "--as", "1")
    assert stranger.returncode == 1 and "NO-SUCH-CERT" in stranger.stderr


async def test_an_integration_token_with_an_expiry_and_read_scope(shuangsuiji, migrated_db_url):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    assert shuangsuiji("coordinator", "add", "赵敏", "--department", "419800").returncode == 0
    issued = shuangsuiji("token", "issue", "coordinator", "1", "--as", "1",
                         "--expires-days", "7", "--scope", "read")  # fmt: skip
    assert issued.returncode == 0, issued.stderr
    assert "只读" in issued.stdout and "scope read" in issued.stdout
    [token] = re.findall(r"ssj_[A-Za-z0-9_-]+", issued.stdout)
    found = await credential(migrated_db_url, token)
    assert found is not None and found.scope == TokenScope.READ and not found.may_change
    forever = shuangsuiji("token", "issue", "coordinator", "1", "--as", "1")
    assert "撤销前一直有效" in forever.stdout
    listed = json.loads(shuangsuiji("token", "list", "--as", "1", "--json").stdout)
    assert [(t["scope"], t["state"]) for t in listed] == [("read", "active"), ("full", "active")]
    assert listed[0]["expires_at"].startswith("20") and listed[1]["expires_at"] is None
    shown = shuangsuiji("token", "list", "--as", "1").stdout.splitlines()
    assert "只读 (read)" in shown[1] and "不过期 (never)" in shown[2]
    for bad in (["--expires-days", "0"], ["--scope", "write"]):
        refused = shuangsuiji("token", "issue", "coordinator", "1", "--as", "1", *bad)
        assert refused.returncode != 0
