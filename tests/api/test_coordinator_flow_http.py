"""A coordinator's whole campaign over HTTP: plan, correct, draw, review a report an inspector's
app submitted, publish, and the public notice shows it; through the domain functions the CLI and
the bot call, with their access rules (another department's campaign is a 404, an inspector is
refused, a read-only token writes nothing)."""

from __future__ import annotations

import io
import zipfile

import pytest

from demo import build_demo, load_demo
from domain.config import Settings
from domain.rules.access import Actor, Role
from domain.storage.models import (
    AuditEntry,
    Campaign,
    Coordinator,
    Department,
    InspectionItem,
    Target,
    TargetStatus,
    Task,
    TeamMember,
)
from tests.kit import evidence_samples as samples
from tests.kit.draw_demo import block_every_team
from tests.kit.drawn import REPORT
from tests.kit.field_api import Field, coordinator_token, serving, token_for
from tests.kit.fonts import shared_cjk_test_font

pytestmark = pytest.mark.clock("2026-11-20 15:00")  # inside the campaign's period

CODE = "2026-API-01"
DICE = "31415926535897932384 62643"


async def coordinator_of(code: str, path: str, name: str) -> Actor:
    department = await Department.get_or_none(code=code)
    if department is None:
        department = await Department.create(code=code, name=f"{name}的单位", path=path)
    person = await Coordinator.create(name=name, department=department)
    return Actor(Role.COORDINATOR, person.id, name, department_path=department.path)


@pytest.fixture
async def world(db):
    await load_demo(build_demo())
    return {
        "boss": await coordinator_of("419800", "/419800/", "赵敏"),
        # A department beside the city's, and one below it: neither runs the city's campaign.
        "neighbour": await coordinator_of("419900", "/419900/", "钱程"),
        "county": await coordinator_of("419802", "/419800/419802/", "孙立"),
    }


@pytest.fixture
async def client(world, tmp_path):
    async with serving(Settings(data_dir=tmp_path, font_path=shared_cjk_test_font())) as c:
        yield c


async def app_of(client, person: Actor, scope: str = "full") -> Field:
    return Field(client, await coordinator_token(person, scope))


async def plan() -> dict:
    items = [i.code for i in await InspectionItem.all().order_by("code")]
    return {
        "code": CODE,
        "name": "2026年第四季度人防双随机抽查",
        "items": items,
        "start_date": "2026-11-02",
        "due_date": "2026-12-18",
        "ratios": {"A": 1, "B": 2, "C": 10, "D": 30, "high": 50},
        "ratio_reason": "按河南 2021 年的比例",
    }


async def drawn(boss: Field) -> list[Task]:
    created = await boss.post("/campaigns", await plan())
    assert created.status == 201, await created.text()
    assert (await boss.post(f"/campaigns/{CODE}/draw/prepare", {})).status == 201
    revealed = await boss.post(f"/campaigns/{CODE}/draw/reveal", {"dice": DICE})
    assert revealed.status == 200, await revealed.text()
    return list(await Task.filter(campaign__code=CODE).order_by("id").prefetch_related("target"))


async def team_of(task: Task) -> list[Actor]:
    members = await TeamMember.filter(task_id=task.id).order_by("id").prefetch_related("inspector")
    return [
        Actor(Role.INSPECTOR, m.inspector_id, m.inspector.name, cert_no=m.inspector.cert_no)
        for m in members
    ]


async def submit_report(client, issuer: Actor, task: Task) -> None:
    """The team's apps take the task to a submitted report (the inspector routes)."""
    leader, member = await team_of(task)
    lead = Field(client, await token_for(issuer, leader))
    mate = Field(client, await token_for(issuer, member))
    path = f"/tasks/{task.id}"
    for app in (lead, mate):
        assert (await app.post(path + "/accept")).status == 200
    assert (await lead.post(path + "/check-in", {"lat": 33.75, "lon": 113.31})).status == 200
    photo = samples.small_jpeg("2026:11:20 15:05:00", 33.75, 113.31)
    assert (await lead.upload(task.id, photo)).status == 201
    old = samples.small_jpeg("2025:03:01 09:00:00", 33.75, 113.31)  # taken long before
    assert (await lead.upload(task.id, old, name="old.jpg")).status == 201
    assert (await lead.put(path + "/report", REPORT)).status == 200
    for app in (lead, mate):
        assert (await app.post(path + "/report/confirm", {"revision": 1})).status == 200
    submitted = await lead.post(path + "/report/submit")
    assert (await submitted.json())["state"]["code"] == "report_submitted"


async def test_plan_draw_review_publish_and_the_public_sees_it(world, client):
    boss = await app_of(client, world["boss"])
    body = await plan()
    first = await boss.post("/campaigns", body, key="plan-1")
    assert first.status == 201, await first.text()
    created = await first.json()
    assert created["department"]["code"] == "419800" and created["status"] == "planned"
    again = await boss.post("/campaigns", body, key="plan-1")
    assert again.headers["Idempotent-Replayed"] == "true" and await again.json() == created
    assert (await boss.post("/campaigns", body)).status == 400  # the code is taken

    edited = await boss.patch(f"/campaigns/{CODE}", {"name": "第四季度人防抽查（更正）"})
    assert (await edited.json())["name"] == "第四季度人防抽查（更正）"
    listed = await (await boss.get("/campaigns")).json()
    assert [c["code"] for c in listed["campaigns"]] == [CODE]

    prepared = await boss.post(f"/campaigns/{CODE}/draw/prepare", {}, key="prep")
    assert prepared.status == 201, await prepared.text()
    shown = await (await boss.get(f"/campaigns/{CODE}/draw")).json()
    assert shown["commitment"] == (await prepared.json())["commitment"]
    frozen = await boss.patch(f"/campaigns/{CODE}", {"name": "再改"})
    assert frozen.status == 400 and "abandon" in (await frozen.json())["detail"]
    revealed = await boss.post(f"/campaigns/{CODE}/draw/reveal", {"dice": DICE}, key="rev")
    assert revealed.status == 200, await revealed.text()
    count = (await revealed.json())["tasks"]
    tasks = list(await Task.filter(campaign__code=CODE).order_by("id").prefetch_related("target"))
    assert count == len(tasks) > 1
    status = await (await boss.get(f"/campaigns/{CODE}/status")).json()
    assert status["by_state"] == {"drawn": count} and status["tasks"] == count
    views = await AuditEntry.filter(action="sealed.view").count()
    listed = await (await boss.get(f"/campaigns/{CODE}/tasks")).json()
    assert [t["id"] for t in listed["tasks"]] == [t.id for t in tasks]
    assert all(len(t["team"]) == 2 and t["stratum"] for t in listed["tasks"])
    record = await boss.get(f"/campaigns/{CODE}/draw/record")
    assert record.headers["X-Record-Hash"] == (await revealed.json())["record_hash"]
    assert (await record.json())["campaign"]["code"] == CODE
    assert await AuditEntry.filter(action="sealed.view").count() == views + 2  # both audited

    task, others = tasks[0], tasks[1:]
    await submit_report(client, world["boss"], task)
    queue = await (await boss.get("/review")).json()
    assert [t["id"] for t in queue["tasks"]] == [task.id]
    anomalies = await (await boss.get(f"/campaigns/{CODE}/anomalies")).json()
    flagged = anomalies["photos"]
    assert flagged and {p["task_id"] for p in flagged} == {task.id}
    assert all(p["anomalies"] for p in flagged)
    counted = await (await boss.get(f"/campaigns/{CODE}/status")).json()
    assert counted["photos_with_anomalies"] == len(flagged)
    assert counted["by_state"]["report_submitted"] == 1
    assert (await boss.post(f"/tasks/{task.id}/return", {})).status == 400  # comments needed
    approved = await boss.post(f"/tasks/{task.id}/approve", {"comments": "同意"}, key="ok")
    assert (await approved.json())["state"]["code"] == "approved"
    assert (await (await boss.get("/review")).json())["tasks"] == []
    assert (await (await boss.get(f"/campaigns/{CODE}/overdue")).json())["overdue"] == []
    penalty = await boss.post(
        f"/tasks/{task.id}/penalties",
        {"decision_no": "示人防罚〔2026〕1号", "decided_on": "2026-11-20", "content": "罚款一万元"},
        key="pen",
    )
    assert penalty.status == 201, await penalty.text()
    assert (await penalty.json())["publish_by"]["workdays"] == 7
    assert (await boss.post("/follow-ups/999/close", {"result": "已整改"})).status == 404

    early = await boss.post(f"/campaigns/{CODE}/publish")
    assert early.status == 400 and "未完成" in (await early.json())["detail"]
    for other in others:
        cancelled = await boss.post(f"/tasks/{other.id}/cancel", {"reason": "对象已注销"})
        assert (await cancelled.json())["state"]["code"] == "cancelled"
    published = await boss.post(f"/campaigns/{CODE}/publish", key="pub")
    assert published.status == 200, await published.text()
    assert (await published.json())["published_tasks"] == 1

    notice = await client.get(f"/public/campaigns/{CODE}/results")
    assert notice.status == 200, await notice.text()
    results = await notice.json()
    assert [r["task_number"] for r in results["results"]] == [task.number]
    assert [p["decision_no"] for p in results["results"][0]["penalties"]] == ["示人防罚〔2026〕1号"]

    exported = await boss.get(f"/campaigns/{CODE}/credit-export?format=json")
    assert exported.status == 200, await exported.text()
    assert "attachment" in exported.headers["Content-Disposition"]
    bundle = await boss.get(f"/tasks/{task.id}/bundle.zip")
    assert bundle.status == 200 and bundle.content_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(await bundle.read())) as archive:
        assert {"report.json", "notice.pdf", "MANIFEST.sha256"} <= set(archive.namelist())
    assert results["counts"] == {"drawn": count, "published": 1, "cancelled": count - 1}


async def test_another_departments_coordinator_gets_404_as_if_nothing_existed(world, client):
    boss = await app_of(client, world["boss"])
    tasks = await drawn(boss)
    for who in ("neighbour", "county"):
        other = await app_of(client, world[who])
        missing = await (await other.get("/campaigns/NO-SUCH")).json()
        for method, path, body in (
            ("get", "", None), ("get", "/status", None), ("get", "/overdue", None),
            ("get", "/anomalies", None), ("get", "/draw", None), ("patch", "", {"name": "x"}),
            ("delete", "", None), ("post", "/draw/abandon", {"reason": "x"}),
            ("post", "/publish", None), ("get", "/tasks", None), ("get", "/draw/record", None),
            ("get", "/credit-export", None),
        ):  # fmt: skip
            args = (f"/campaigns/{CODE}{path}",) + ((body,) if body is not None else ())
            response = await getattr(other, method)(*args)
            assert response.status == 404, (who, method, path, await response.text())
            assert (await response.json())["detail"] == missing["detail"]
        refused = await other.post(f"/tasks/{tasks[0].id}/cancel", {"reason": "x"})
        assert refused.status == 404
        assert (await other.get(f"/tasks/{tasks[0].id}/bundle.zip")).status == 404
        assert (await (await other.get("/campaigns")).json())["campaigns"] == []
        assert (await (await other.get("/review")).json())["tasks"] == []
    assert await Campaign.filter(code=CODE).count() == 1
    assert await Task.filter(state="cancelled").count() == 0


async def test_an_inspector_is_refused_on_every_coordinator_route(world, client):
    boss = await app_of(client, world["boss"])
    tasks = await drawn(boss)
    leader = (await team_of(tasks[0]))[0]
    inspector = Field(client, await token_for(world["boss"], leader))
    for method, path, body in (
        ("get", "/campaigns", None), ("get", f"/campaigns/{CODE}", None),
        ("get", f"/campaigns/{CODE}/status", None), ("get", "/review", None),
        ("post", f"/tasks/{tasks[0].id}/approve", {}),  # their own task
        ("post", f"/tasks/{tasks[0].id}/cancel", {"reason": "x"}),
        ("post", f"/campaigns/{CODE}/publish", None), ("post", "/campaigns", await plan()),
        ("get", "/directory/targets", None), ("get", "/audit/verify", None),
    ):  # fmt: skip
        response = await getattr(inspector, method)(
            *((path, body) if body is not None else (path,))
        )
        assert response.status in (403, 404), (path, await response.text())
    assert await Task.filter(campaign__code=CODE, state="drawn").count() == len(tasks)


async def test_a_read_only_token_reads_but_writes_nothing(world, client):
    reader = await app_of(client, world["boss"], scope="read")
    assert (await reader.get("/campaigns")).status == 200
    assert (await reader.get("/audit/verify")).status == 200
    refused = await reader.post("/campaigns", await plan())
    assert refused.status == 403
    upload = await reader.send_file("/directory/departments/import", b"x", "d.csv")
    assert upload.status == 403
    assert await Campaign.all().count() == 0


async def test_abandon_then_delete_a_campaign_before_its_draw(world, client):
    boss = await app_of(client, world["boss"])
    assert (await boss.post("/campaigns", await plan())).status == 201
    # Ratios not given keep the campaign's, as `campaign edit --ratios C=20` does.
    corrected = await (await boss.patch(f"/campaigns/{CODE}", {"ratios": {"C": 20}})).json()
    assert corrected["ratios"] == {"A": "1", "B": "2", "C": "20", "D": "30", "high": "50"}
    wrong = await boss.patch(f"/campaigns/{CODE}", {"team_size": 1, "due_date": "2026-10-01"})
    assert wrong.status == 400
    detail = (await wrong.json())["detail"]
    assert "team size" in detail and "早于开始日期" in detail  # every problem at once
    unknown = await boss.patch(f"/campaigns/{CODE}", {"code": "OTHER"})
    assert unknown.status == 400 and (await unknown.json())["invalid_params"][0]["name"] == "code"
    assert (await boss.post(f"/campaigns/{CODE}/draw/prepare", {})).status == 201
    assert (await boss.delete(f"/campaigns/{CODE}")).status == 400  # a prepared draw is open
    no_reason = await boss.post(f"/campaigns/{CODE}/draw/abandon", {})
    assert no_reason.status == 400
    abandoned = await boss.post(f"/campaigns/{CODE}/draw/abandon", {"reason": "骰子掉落"})
    assert (await abandoned.json())["abandoned"] is True
    assert (await boss.get(f"/campaigns/{CODE}/draw")).status == 404
    deleted = await boss.delete(f"/campaigns/{CODE}", key="del")
    assert (await deleted.json()) == {"code": CODE, "deleted": True}
    assert (await boss.delete(f"/campaigns/{CODE}", key="del")).status == 200  # replayed
    assert await Campaign.filter(code=CODE).count() == 0
    assert await AuditEntry.filter(action="campaign.delete", object_id=CODE).count() == 1


async def test_a_candidate_no_team_can_form_for_is_listed_before_anything_is_frozen(world, client):
    boss = await app_of(client, world["boss"])
    assert (await boss.post("/campaigns", await plan())).status == 201
    candidate = await Target.filter(status=TargetStatus.OPERATING).order_by("credit_code").first()
    await block_every_team([candidate.credit_code])
    refused = await boss.post(f"/campaigns/{CODE}/draw/prepare", {"practice": True})
    assert refused.status == 409, await refused.text()
    problem = await refused.json()
    assert problem["count"] == 1 and candidate.credit_code in problem["unstaffable"][0]
    assert (await boss.get(f"/campaigns/{CODE}/draw")).status == 404  # nothing frozen
    options = {"practice": True, "exclude_unstaffable": True}
    prepared = await boss.post(f"/campaigns/{CODE}/draw/prepare", options)
    assert prepared.status == 201, await prepared.text()
    body = await prepared.json()
    assert body["practice"] is True and sum(body["exclusions"].values()) >= 1
