"""`shuangsuiji serve` with the bot: a token from `shuangsuiji token issue`, an invite through
POST /api/v1/invites with the running bot's deep link, and the code binding in the chat."""

from __future__ import annotations

import re

import aiohttp

from bot.i18n import t
from tests.kit.serve import environment, serving


async def test_an_api_invite_links_to_the_running_bot_and_binds(
    shuangsuiji, migrated_db_url, fake, tmp_path
):
    assert shuangsuiji("demo", "--directories-only").returncode == 0
    assert shuangsuiji("coordinator", "add", "赵敏", "--department", "419800").returncode == 0
    issued = shuangsuiji("token", "issue", "coordinator", "1", "--as", "1")
    assert issued.returncode == 0, issued.stderr
    [token] = re.findall(r"ssj_[A-Za-z0-9_-]+", issued.stdout)
    alice = fake.new_user("赵敏")
    bot_env = environment(
        migrated_db_url, tmp_path, SSJ_TELEGRAM_TOKEN=fake.token, SSJ_TELEGRAM_API_URL=fake.url
    )
    async with serving(bot_env) as (port, _), aiohttp.ClientSession() as http:
        async with http.post(
            f"http://127.0.0.1:{port}/api/v1/invites",
            json={"role": "coordinator", "person": "1"},
            headers={"Authorization": f"Bearer {token}"},
        ) as response:
            assert response.status == 201, await response.text()
            body = await response.json()
        assert body["deep_link"] == f"https://t.me/ssj_test_bot?start={body['code']}"
        fake.inject_start(alice, body["code"])
        bound = await fake.wait_for("sendMessage", chat_id=alice, timeout=30)
    assert bound.text == t("zh", "start.bound", name="赵敏", role="协调员")
