"""The public home page (`/`): 一单两库, the campaigns and their notices, how to verify a draw; in
Chinese, in English, and as JSON; never a phone number or a chat account."""

from __future__ import annotations

import re

from demo.story import IN_PROGRESS, PUBLISHED
from domain.people.enrollment import issue_invite, redeem
from domain.people.persons import actor_for, list_coordinators
from domain.storage.models import InspectionItem, Inspector, Target
from tests.kit.demo_story import demo_played

JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
# A mainland mobile number, as a stray field would show it.
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
CHAT_IDS = (5550001234, 7000000042)


async def bind_chat_accounts() -> list[Inspector]:
    """Two of the demo's inspectors start using the chat: their accounts are bound to them."""
    boss = actor_for((await list_coordinators())[0])
    people = list(await Inspector.filter(active=True).order_by("id").limit(len(CHAT_IDS)))
    for person, chat_id in zip(people, CHAT_IDS, strict=True):
        invite = await issue_invite(boss, "inspector", person.id)
        await redeem(invite.code, chat_id)
    return people


async def test_home_page_shows_the_list_the_directories_and_the_notices(client, tmp_path):
    await demo_played(tmp_path)
    bound = await bind_chat_accounts()
    page = await client.get("/", headers=BROWSER)
    assert page.status == 200 and page.content_type == "text/html"
    html = await page.text()
    assert '<html lang="zh-CN">' in html and 'name="viewport"' in html
    assert "示范市人防办" in html.split("</h1>")[0]
    for item in await InspectionItem.filter(active=True):
        assert item.name in html
    for target in await Target.all().limit(5):
        assert target.name in html and target.credit_code in html
    for person in await Inspector.filter(active=True).prefetch_related("department"):
        assert person.name in html and person.cert_no in html
    for person in await Inspector.filter(active=False):  # no longer in the directory
        assert person.cert_no not in html
    for suffix in ("", "/task-notice", "/results"):
        assert f'href="/public/campaigns/{PUBLISHED}{suffix}"' in html
    assert f'href="/public/campaigns/{IN_PROGRESS}/task-notice"' in html
    assert f'href="/public/campaigns/{IN_PROGRESS}/results"' not in html
    assert "shuangsuiji verify" in html and 'href="/public/docs/draw-record.md"' in html
    docs = await client.get("/public/docs/draw-record.md")
    assert docs.status == 200 and "--expect-hash" in await docs.text()

    data = await (await client.get("/", headers=JSON)).json()
    assert data == await (await client.get("/?format=json")).json()
    assert {c["code"] for c in data["campaigns"]} == {PUBLISHED, IN_PROGRESS}
    assert {tuple(sorted(b)) for b in data["businesses"]} == {
        ("categories", "credit_code", "name", "region")
    }
    assert {tuple(sorted(p)) for p in data["inspectors"]} == {("cert_no", "name", "unit")}
    assert len(data["businesses"]) == await Target.all().count()

    english = await (await client.get("/?lang=en")).text()
    assert '<html lang="en">' in english and "How to verify a draw" in english

    # What serves the chat and the draw stays off the page: chat accounts, phones.
    assert all(p.telegram_user_id for p in await Inspector.filter(id__in=[p.id for p in bound]))
    for text in (html, english, await (await client.get("/?format=json")).text()):
        for chat_id in CHAT_IDS:
            assert str(chat_id) not in text
        assert not MOBILE.search(text), MOBILE.search(text)


async def test_home_page_refuses_unknown_parameters_and_works_on_an_empty_office(client):
    bad = await client.get("/?lang=fr")
    assert bad.status == 400 and "lang" in (await bad.json())["detail"]
    assert (await client.get("/?format=xml")).status == 400
    empty = await client.get("/")
    assert empty.status == 200 and "暂无抽查计划" in await empty.text()
