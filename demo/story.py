"""Two campaigns played through the domain's own functions, so that a fresh demo shows the whole
chain at once: one planned, drawn, inspected, reported, approved and published (with a cancelled
task and a penalty), and one still in progress.

Everything happens on fixed dates in 2026 (`clock.pinned`): the draw then meets the same working
calendar, the same certificates and the same directory whatever day the demo is loaded, and so
always succeeds. Only the secret of each draw is new each time (it is drawn from the system's
random source); the dice are fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from demo.photos import site_photo
from domain import clock
from domain.campaigns.plan import DEFAULT_RATIOS, CampaignSpec, create_campaign
from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.errors import UserError
from domain.evidence.service import add_note, add_photo, photo_store
from domain.people.persons import actor_for, add_coordinator
from domain.rules.access import Actor
from domain.storage.models import InspectionItem, Task, TeamMember
from domain.tasks import closing, reporting, team, visit

CITY = "419800"
COORDINATOR = "赵敏"
PUBLISHED, IN_PROGRESS = "2026-RF-Q3", "2026-RF-Q4"
DICE = {PUBLISHED: "27182818284590452353 60287", IN_PROGRESS: "31415926535897932384 62643"}
ATTEMPTS = 3
CANCEL_REASON = "该单位已于 2026 年 7 月注销登记，人防工程已移交街道管理"
PENALTY = ("示人防罚〔2026〕12号", "责令限期改正，并处罚款人民币一万元")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.at_office(day, dt.time(hour, minute))


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    items: slice
    start: dt.date
    due: dt.date
    drawn_on: dt.date


PLANS = (
    Plan(PUBLISHED, "2026年第三季度人防双随机抽查", slice(0, 6),
         dt.date(2026, 7, 6), dt.date(2026, 9, 18), dt.date(2026, 7, 1)),
    Plan(IN_PROGRESS, "2026年第四季度人防双随机抽查", slice(6, None),
         dt.date(2026, 11, 2), dt.date(2026, 12, 18), dt.date(2026, 10, 28)),
)  # fmt: skip


@dataclass(frozen=True)
class StoryCounts:
    published_tasks: int
    cancelled_tasks: int
    in_progress_tasks: int
    photos: int


def _report(day: dt.date, findings: str | None, closed_on: dt.date) -> dict:
    base = {
        "started_at": _at(day, 9, 30).isoformat(),
        "ended_at": _at(day, 11, 0).isoformat(),
        "content": "人防工程平时使用和维护管理情况",
        "methods": ["实地检查", "书面检查"],
        "steps": "出示执法证件和行政检查通知书，查看防护设备，查阅维护台账，询问负责人",
    }
    if findings is None:
        return {
            **base,
            "findings": "防护密闭门、通风设备维护良好，台账齐全",
            "evaluation": "遵守人防法规，管理规范",
            "handling_opinion": "无需处理",
            "result_categories": ["1"],
            "follow_up_action": "none",
        }
    return {
        **base,
        "findings": findings,
        "evaluation": "维护管理不到位，已当场责令整改",
        "handling_opinion": "责令限期整改，移交法规科依法处罚",
        "result_categories": ["E"],
        "follow_up_action": "case_clue",
        "follow_up_state": "closed",
        "follow_up_recipient": "示范市人防办政策法规科",
        "follow_up_closed_on": closed_on.isoformat(),
    }


async def _team(task: Task) -> list[Actor]:
    members = TeamMember.filter(task_id=task.id).exclude(status="recused").order_by("id")
    return [actor_for(m.inspector) for m in await members.prefetch_related("inspector")]


async def _plan_and_draw(boss: Actor, plan: Plan) -> list[Task]:
    items = await InspectionItem.all().order_by("code").values_list("code", flat=True)
    clock.pin(_at(plan.drawn_on - dt.timedelta(days=2), 10))
    await create_campaign(
        boss,
        CampaignSpec(
            code=plan.code,
            name=plan.name,
            department=CITY,
            items=list(items[plan.items]),
            start_date=plan.start,
            due_date=plan.due,
            ratios=dict(DEFAULT_RATIOS),
            ratio_reason="按省级双随机抽查工作指引的分类比例，控制每季度抽查户数",
        ),
    )
    # Each secret is new (the system's random source), so each run draws other businesses. A
    # reveal that finds no full team is refused and recorded as failed; the office prepares
    # again, as it would (the failed draw stays on the task notice).
    for attempt in range(ATTEMPTS):
        clock.pin(_at(plan.drawn_on, 9 + attempt))
        await prepare_draw(boss, plan.code, exclude_unstaffable=True)
        clock.pin(_at(plan.drawn_on, 9 + attempt, 30))
        try:
            await reveal_draw(boss, plan.code, dice=DICE[plan.code])
            break
        except UserError:
            if attempt == ATTEMPTS - 1:
                raise
    tasks = Task.filter(campaign__code=plan.code).order_by("number").prefetch_related("target")
    return list(await tasks)


async def _inspect(task: Task, day: dt.date, findings: str | None, data_dir: Path) -> int:
    """One visit: check in, a note, photos for a finding, the report signed and submitted."""
    leader, *others = await _team(task)
    target = task.target
    lat, lon = target.latitude, target.longitude
    clock.pin(_at(day, 9, 25))
    await visit.check_in(leader, task.id, lat, lon)
    clock.pin(_at(day, 9, 50))
    note = findings or "现场整洁，防护设备完好"
    await add_note(leader, task.id, "condition", note, idempotency_key=f"demo-note-{task.number}")
    photos = 0
    if findings and lat is not None and lon is not None:
        store = photo_store(data_dir)
        for n, caption in enumerate(("防护密闭门", "维护台账")):
            taken = clock.local(_at(day, 9, 40 + n * 5))
            data = site_photo(taken, lat, lon, f"{task.number} {n + 1}", seed=task.id + n)
            await add_photo(
                leader, task.id, data, store=store, caption=caption,
                idempotency_key=f"demo-photo-{task.number}-{n}", file_name=f"IMG_{n + 1}.jpg",
            )  # fmt: skip
            photos += 1
    clock.pin(_at(day, 14))
    await reporting.save_report(leader, task.id, _report(day, findings, day))
    for who in (leader, *others):
        await reporting.sign_report(who, task.id)
    clock.pin(_at(day, 15))
    await reporting.submit_report(leader, task.id)
    return photos


async def _accept(task: Task, day: dt.date) -> None:
    clock.pin(_at(day, 10))
    for who in await _team(task):
        await team.accept(who, task.id)


def _workday(start: dt.date, n: int) -> dt.date:
    """The n-th weekday from `start` (the demo's dates avoid the holidays by construction)."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


async def _published(boss: Actor, data_dir: Path) -> tuple[int, int, int]:
    plan = PLANS[0]
    tasks = await _plan_and_draw(boss, plan)
    *visited, gone = tasks
    clock.pin(_at(dt.date(2026, 7, 2), 10))
    for task in visited:
        await _accept(task, dt.date(2026, 7, 2))
    clock.pin(_at(dt.date(2026, 7, 3), 16))
    await visit.cancel(boss, gone.id, CANCEL_REASON)
    photos, day = 0, plan.start
    for n, task in enumerate(visited):
        day = _workday(plan.start, 1 + n)
        findings = "防护密闭门密封条老化脱落，维护台账缺 2026 年 5、6 月记录" if n == 0 else None
        photos += await _inspect(task, day, findings, data_dir)
        clock.pin(_at(day, 17))
        await reporting.review(boss, task.id, "approve", "同意")
    decided = _workday(day, 3)
    clock.pin(_at(decided, 15))
    await closing.record_penalty(boss, visited[0].id, PENALTY[0], decided, PENALTY[1])
    clock.pin(_at(_workday(decided, 2), 9))
    published = await closing.publish_campaign(boss, plan.code)
    return published, 1, photos


async def _in_progress(boss: Actor, data_dir: Path) -> int:
    plan = PLANS[1]
    tasks = await _plan_and_draw(boss, plan)
    # Some teams have accepted, one has been on site and submitted its report for review; the
    # rest wait for their teams.
    for task in tasks[:3]:
        await _accept(task, dt.date(2026, 10, 29))
    await _inspect(tasks[0], dt.date(2026, 11, 16), None, data_dir)
    return len(tasks)


async def play(data_dir: Path) -> StoryCounts:
    """Run both campaigns on the demo directory just loaded (an otherwise empty database)."""
    with clock.pinned(_at(dt.date(2026, 6, 26), 9)):
        person = await add_coordinator(COORDINATOR, CITY)
        boss = actor_for(person)
        published, cancelled, photos = await _published(boss, data_dir)
        running = await _in_progress(boss, data_dir)
    return StoryCounts(published, cancelled, running, photos)
