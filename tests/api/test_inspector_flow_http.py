"""An inspector's whole task over HTTP, on a real draw: from a token to a submitted report,
through the same domain functions as the chat, with the sealed data's access rules and audit."""

from __future__ import annotations

import pytest

from domain.config import Settings
from domain.messaging.kinds import REPORT_SIGN, REPORT_SIGNED, report_sign_key
from domain.storage.models import AuditEntry, OutboxMessage, Task, TeamMember
from domain.tasks import reporting, visit
from tests.kit import evidence_samples as samples
from tests.kit.drawn import REPORT, draw_on_demo
from tests.kit.field_api import Field, serving, token_for
from tests.kit.fonts import shared_cjk_test_font
from tests.kit.report_form import filled

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign the draw plans


@pytest.fixture
async def drawn(db):
    return await draw_on_demo()


@pytest.fixture
def wakes() -> list[int]:
    return []


@pytest.fixture
async def client(drawn, tmp_path, wakes):
    settings = Settings(data_dir=tmp_path, font_path=shared_cjk_test_font())
    async with serving(settings, wake=lambda: wakes.append(1)) as c:
        yield c


async def app_of(drawn, client, person) -> Field:
    return Field(client, await token_for(drawn.coordinator, person))


async def views_of(actor) -> int:
    return await AuditEntry.filter(action="sealed.view", actor=actor.label).count()


async def one_at_a_time(app: Field) -> list[int]:
    """The task ids of the list, a page of one at a time, following the cursor."""
    paged, cursor = [], ""
    while True:
        page = await (await app.get(f"/tasks?limit=1{cursor}")).json()
        paged += [t["id"] for t in page["tasks"]]
        if page["next_cursor"] is None:
            return paged
        cursor = f"&cursor={page['next_cursor']}"


async def outsider_of(drawn, task):
    """An inspector of another task, not on this one's team."""
    team = {a.id for a in await drawn.team(task)}
    for other in drawn.tasks:
        for person in await drawn.team(other):
            if person.id not in team:
                return person
    raise AssertionError("every inspector is on this team")


async def test_from_token_to_submitted_report(drawn, client):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    lead, mate = await app_of(drawn, client, leader), await app_of(drawn, client, member)
    path = f"/tasks/{task.id}"

    me = await (await lead.get("/me")).json()
    assert me == {"role": "inspector", "id": leader.id, "name": leader.name,
                  "cert_no": leader.cert_no, "department_path": None}  # fmt: skip

    before = await views_of(leader)
    listed = await lead.get("/tasks")
    assert listed.status == 200, await listed.text()
    assert await views_of(leader) == before + 1  # the whole page is one view
    page = await listed.json()
    assert task.id in [t["id"] for t in page["tasks"]]
    dues = [t["due_date"] for t in page["tasks"]]
    assert dues == sorted(dues)
    again = await lead.get("/tasks", **{"If-None-Match": listed.headers["ETag"]})
    assert again.status == 304

    before = await views_of(leader)
    detail = await (await lead.get(path)).json()
    assert await views_of(leader) == before + 1  # one view, one audit entry
    assert detail["target"]["name"] == task.target.name
    assert detail["state"]["code"] == "drawn" and detail["my_role"] == "leader"
    assert detail["items"] and {m["name"] for m in detail["team"]} == {leader.name, member.name}
    assert detail["due_date"] and detail["evidence"] == [] and detail["report"] is None

    notice = await lead.get(path + "/notice.pdf")
    assert notice.status == 200 and notice.content_type == "application/pdf"
    assert (await notice.read()).startswith(b"%PDF")

    first = await lead.post(path + "/accept", key="acc-1")
    assert (await first.json())["state"]["code"] == "notified"
    retried = await lead.post(path + "/accept", key="acc-1")
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert await retried.json() == await first.json()
    assert (await (await mate.post(path + "/accept")).json())["state"]["code"] == "accepted"

    checked = await lead.post(path + "/check-in", {"lat": 33.75, "lon": 113.31}, key="ci")
    assert (await checked.json())["state"]["code"] == "on_site"
    note = await mate.post(path + "/notes", {"text": "消防通道畅通", "kind": "condition"}, key="n1")
    assert note.status == 201, await note.text()
    again = await mate.post(
        path + "/notes", {"text": "消防通道畅通", "kind": "condition"}, key="n1"
    )
    assert await again.json() == await note.json()
    changed = await mate.post(path + "/notes", {"text": "另一条"}, key="n1")
    assert changed.status == 422
    photo = samples.small_jpeg("2026:11:20 15:05:00", 33.75, 113.31)
    assert (await lead.upload(task.id, photo, key="p1")).status == 201

    before = await views_of(leader)
    saved = await lead.put(path + "/report", REPORT, key="r1")
    assert saved.status == 200, await saved.text()
    assert await views_of(leader) == before + 1
    report = (await saved.json())["report"]
    assert report["revision"] == 1 and report["problems"] == []
    assert set(report["awaiting_signatures"]) == {leader.name, member.name}
    asked = await OutboxMessage.filter(kind=REPORT_SIGN).values_list("dedupe_key", flat=True)
    assert asked == [report_sign_key(task.id, 1, member.id)]

    stale = await mate.post(path + "/report/confirm", {"revision": 0})
    assert stale.status == 409
    assert (await lead.post(path + "/report/submit")).status == 409  # not signed yet
    signed = await (await lead.post(path + "/report/confirm", {"revision": 1})).json()
    assert signed["awaiting_signatures"] == [member.name]
    signed = await (await mate.post(path + "/report/confirm", {"revision": 1})).json()
    assert signed["ready_to_submit"] is True
    assert await OutboxMessage.filter(kind=REPORT_SIGNED, recipient_id=leader.id).count() == 1

    submitted = await lead.post(path + "/report/submit", key="s1")
    assert (await submitted.json())["state"]["code"] == "report_submitted"
    mine = await (await lead.get("/tasks?state=report_submitted")).json()
    assert [t["id"] for t in mine["tasks"]] == [task.id]

    detail = await (await mate.get(path)).json()
    assert [e["kind"] for e in detail["evidence"]] == ["condition", "photo"]
    assert detail["report"]["submitted_at"] and detail["report"]["signed_by"]

    await reporting.review(drawn.coordinator, task.id, "return", "请补充现场照片")
    returned = await (await lead.get(path + "/report")).json()
    assert returned["state"]["code"] == "returned"
    assert returned["report"]["review"]["comments"] == "请补充现场照片"


async def test_another_teams_inspector_gets_404_like_a_missing_task(drawn, client):
    task = drawn.tasks[0]
    outsider = await outsider_of(drawn, task)
    app = await app_of(drawn, client, outsider)
    missing = await (await app.get("/tasks/99999")).json()
    for method, suffix in (
        ("get", ""), ("get", "/notice.pdf"), ("get", "/report"), ("post", "/accept"),
        ("post", "/check-in"), ("post", "/report/submit"),
    ):  # fmt: skip
        response = await getattr(app, method)(f"/tasks/{task.id}{suffix}")
        assert response.status == 404, (suffix, await response.text())
        assert (await response.json())["detail"] == missing["detail"]
    assert task.id not in [t["id"] for t in (await (await app.get("/tasks")).json())["tasks"]]
    # Nothing sealed was shown to them, so nothing is written as a view of theirs.
    assert await AuditEntry.filter(actor=outsider.label, object_id=task.number).count() == 0


async def test_recusal_draws_a_replacement_and_the_task_is_gone(drawn, client, wakes):
    task = drawn.tasks[0]
    _, member = await drawn.team(task)
    app = await app_of(drawn, client, member)
    empty = await app.post(f"/tasks/{task.id}/recuse", {"reason": "  "})
    assert empty.status == 400 and (await empty.json())["invalid_params"][0]["name"] == "reason"
    response = await app.post(f"/tasks/{task.id}/recuse", {"reason": "与法定代表人系亲属"})
    assert response.status == 200, await response.text()
    assert await TeamMember.filter(task_id=task.id, status="recused").count() == 1
    assert len(await drawn.team(task)) == 2  # a replacement was drawn
    assert wakes == [1]  # and the bot's sender, when one runs, told to send the assignment
    assert (await app.get(f"/tasks/{task.id}")).status == 404


async def test_only_the_leader_declares_could_not_inspect(drawn, client):
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    lead, mate = await app_of(drawn, client, leader), await app_of(drawn, client, member)
    for app in (lead, mate):
        await app.post(f"/tasks/{task.id}/accept")
    body = {"reason": "登记地址已拆除", "categories": ["6"]}
    refused = await mate.post(f"/tasks/{task.id}/could-not-inspect", body)
    assert refused.status == 409 and (await refused.json())["state"] == "accepted"
    bad = await lead.post(f"/tasks/{task.id}/could-not-inspect", {**body, "categories": ["1"]})
    assert bad.status == 409
    done = await lead.post(f"/tasks/{task.id}/could-not-inspect", body)
    assert (await done.json())["state"]["code"] == "could_not_inspect"


async def test_a_refused_step_is_said_in_the_callers_language(drawn, client):
    task = drawn.tasks[0]
    leader, _ = await drawn.team(task)
    lead = await app_of(drawn, client, leader)
    path, here = f"/api/v1/tasks/{task.id}/check-in", {"lat": 33.75, "lon": 113.31}
    details = {}
    for lang in ("zh-CN", "en"):
        headers = lead.headers(**{"Accept-Language": lang})
        refused = await client.post(path, json=here, headers=headers)
        body = await refused.json()
        assert refused.status == 409, body
        assert body["state"] == "drawn" and body["next_steps"]
        details[lang] = body["detail"]
    assert (
        details["zh-CN"].startswith("任务当前状态为「已抽取」")
        and "The task" not in details["zh-CN"]
    )
    assert details["en"].startswith("The task is drawn;") and details["en"].isascii()


async def test_sync_lists_what_changed_and_pages_follow_the_cursor(drawn, client):
    task = drawn.tasks[0]
    leader, _ = await drawn.team(task)
    app = await app_of(drawn, client, leader)
    everything = await (await app.get("/tasks")).json()
    ids = [t["id"] for t in everything["tasks"]]
    assert await one_at_a_time(app) == ids
    since = everything["as_of"]
    unchanged = await (await app.get(f"/tasks?changed_since={since}")).json()
    assert unchanged["tasks"] == []
    await app.post(f"/tasks/{task.id}/accept")
    changed = await (await app.get(f"/tasks?changed_since={since}")).json()
    assert [t["id"] for t in changed["tasks"]] == [task.id]
    bad = await app.get("/tasks?state=nonsense")
    assert bad.status == 400 and (await bad.json())["invalid_params"][0]["name"] == "state"


async def test_a_report_filled_from_the_served_form_alone_is_complete(drawn, client):
    """A field app draws the report form from GET /report-form, with no rule of its own."""
    task = drawn.tasks[0]
    leader, member = await drawn.team(task)
    lead = await app_of(drawn, client, leader)
    for person in (leader, member):
        await (await app_of(drawn, client, person)).post(f"/tasks/{task.id}/accept")
    await lead.post(f"/tasks/{task.id}/check-in", {"lat": 33.75, "lon": 113.31})
    answer = await lead.get("/report-form")
    assert answer.status == 200, await answer.text()
    form = await answer.json()
    report = filled(form, {"follow_up_action": "order_correction", "result_categories": ["A"]})
    assert "correction_deadline" in report and "follow_up_state" in report
    saved = await lead.put(f"/tasks/{task.id}/report", report)
    assert saved.status == 200, await saved.text()
    assert (await saved.json())["report"]["problems"] == []
    # Left out, a field the form calls required is what the saved draft says is missing.
    required = [f["name"] for f in form["fields"] if f["required"] and f["name"] in report]
    for name in required[:3]:
        partial = {k: v for k, v in report.items() if k != name}
        problems = (await (await lead.put(f"/tasks/{task.id}/report", partial)).json())["report"]
        assert any(f"({name})" in p for p in problems["problems"]), name


async def test_open_tasks_come_first_then_the_others_latest_first(drawn, client):
    """A year of finished tasks must not push the ones to do off the first page."""
    teams = {task.id: await drawn.team(task) for task in drawn.tasks}
    busiest = max(
        {p.id: p for team in teams.values() for p in team}.values(),
        key=lambda p: sum(p in team for team in teams.values()),
    )
    mine = [task_id for task_id, team in teams.items() if busiest in team]
    assert len(mine) >= 3, "the demo draw gives someone three tasks"
    early, later, *still_open = mine
    for task_id, due in ((early, "2026-10-01"), (later, "2026-11-01")):
        await Task.filter(id=task_id).update(due_date=due)
        await visit.cancel(drawn.coordinator, task_id, "测试：对象已迁出")
    app = await app_of(drawn, client, busiest)
    listed = [t["id"] for t in (await (await app.get("/tasks")).json())["tasks"]]
    assert listed[-2:] == [later, early]  # the closed ones last, the latest due first
    assert sorted(listed[:-2]) == sorted(still_open)
    assert await one_at_a_time(app) == listed
