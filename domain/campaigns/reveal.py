"""Step 2 of a draw: public entropy in, seed out, targets and teams drawn and saved at once.

Everything is saved in one transaction: tasks, teams, the record, the audit entry, each team
member's notification (outbox) and the campaign's reminders. A reveal whose teams cannot be
formed saves no task; the attempt and its entropy go to the audit log and the prepared draw is
closed, so nobody can re-roll by entering other numbers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import Awaitable, Callable
from contextlib import aclosing, nullcontext
from dataclasses import dataclass
from typing import TypeVar

from tortoise import connections
from tortoise.transactions import in_transaction

from domain import clock
from domain.audit import log as audit
from domain.calendar import deadlines
from domain.calendar.imported import load_calendar
from domain.campaigns import draw_rows, heap
from domain.campaigns.facts import (
    DrawnTarget,
    drawn_targets,
    facts_of,
    inspector_ids,
    pool_from_snapshot,
)
from domain.campaigns.frozen import frozen_pool, stratum_texts
from domain.campaigns.gc_pause import pausing_collector
from domain.campaigns.plan import get_campaign
from domain.campaigns.prepare import open_draw
from domain.draw.compute import assignment_order, record_texts, team_inputs, teams_text
from domain.draw.record import canonical, normalize_entropy, seal_encoded, seed_of
from domain.draw.teams import (
    Fairness,
    Inspector,
    Member,
    TeamParams,
    TeamsUnavailable,
    assign_teams,
    rank_job,
)
from domain.draw.workers import Workers, rankings
from domain.draw.workers import select_targets as workers_select
from domain.errors import UserError
from domain.rules.access import Actor, require_coordinator
from domain.storage.models import CampaignStatus, DrawStatus
from domain.storage.wal_checkpoint import checkpoint_afterwards

# The record itself is written apart (`draw_rows.save_record`), as UTF-8.
REVEALED_FIELDS = ["status", "entropy", "seed", "record_hash", "revealed_at"]


@dataclass(frozen=True)
class RevealResult:
    campaign: str
    record_hash: str
    tasks: int
    per_stratum: dict[str, int]
    practice: bool
    members: int  # places on the teams, over all tasks
    fairness: Fairness  # how evenly the officers' places spread


def team_params(campaign) -> TeamParams:
    return TeamParams(
        department_path=campaign.department.path,
        due_date=campaign.due_date,
        team_size=campaign.team_size,
        experts_per_team=campaign.experts_per_team,
        avoid_own_jurisdiction=campaign.avoid_own_jurisdiction,
        avoid_previous_team=campaign.avoid_previous_team,
    )


def _entropy(draw, dice: str, beacon_value: str) -> str:
    if draw.practice:
        return f"practice:{secrets.token_hex(16)}"
    if draw.beacon and not beacon_value.strip():
        raise UserError(
            f"准备时已确定使用信标 {draw.beacon.get('source', '')} 第 {draw.beacon['round']} 轮，"
            "请输入该轮的随机值 (enter that beacon round's value)"
        )
    return normalize_entropy(dice, beacon_value)


async def _pinned(actor: Actor, campaign, draw, entropy: str) -> str:
    """The draw's entropy, fixed (and logged) at the first reveal attempt: a reveal that failed
    midway (a database error, a crash) can be retried only with the same public numbers, so
    nobody can re-roll by letting one attempt fail."""
    if draw.entropy:
        if draw.practice or draw.entropy == entropy:
            return draw.entropy
        raise UserError(
            f"此前一次揭示已使用公开随机数 {draw.entropy}，重试须输入相同的数"
            " (an earlier reveal attempt used these numbers; retry with the same)"
        )
    async with in_transaction():
        draw.entropy = entropy
        await draw.save(update_fields=["entropy", "updated_at"])
        await audit.record(
            actor.label,
            "draw.entropy",
            "campaign",
            campaign.code,
            data={"draw": draw.id, "entropy": entropy, "practice": draw.practice},
        )
    return entropy


@pausing_collector
async def reveal_draw(
    actor: Actor, campaign_code: str, *, dice: str = "", beacon_value: str = ""
) -> RevealResult:
    campaign = await get_campaign(campaign_code)
    require_coordinator(actor, campaign.department.path)
    draw = await open_draw(campaign)
    if draw is None:
        raise UserError(
            f"抽查计划 {campaign.code} 没有准备好的抽取，请先 prepare (no prepared draw)"
        )
    entropy = await _pinned(actor, campaign, draw, _entropy(draw, dice, beacon_value))
    seed = seed_of(draw.secret, entropy)
    calendar = await load_calendar()
    now = clock.now()
    planned = deadlines.plan_task_reminders(calendar, now, campaign.due_date)
    takes = {s["name"]: s["take"] for s in draw.prepared["strata"]}
    scope_categories = frozenset(draw.prepared["scope"]["categories"])
    pool = pool_from_snapshot(await frozen_pool(draw.id))
    params = team_params(campaign)
    hashes = sum(s["eligible"] + s["take"] * len(pool) for s in draw.prepared["strata"])
    async with Workers.for_work(hashes) or nullcontext() as workers:
        # Stratum by stratum: only each one's smallest tickets are kept.
        async with aclosing(stratum_texts(draw.id)) as texts:
            drawn = await workers_select(workers, texts, takes, seed)
        heap.give_back()  # the strata's texts
        codes = assignment_order(drawn)
        targets = await drawn_targets(codes)
        _check_found(codes, targets)
        out = Outcome(entropy, seed, now, drawn, codes, targets, pool, params)
        # The rest of the facts is read outside the transaction (on PostgreSQL, on a connection
        # of its own, while the server writes the tasks), and the workers rank once it is in.
        reading = asyncio.ensure_future(facts_of(targets, scope_categories, campaign.id))
        ranking = asyncio.ensure_future(_ranked(workers, out, reading))
        try:
            return await _save(actor, campaign, draw, out, reading, planned, ranking)
        except TeamsUnavailable as exc:  # the transaction was rolled back: no task is saved
            await _close_failed(actor, campaign, draw, entropy, exc)
            raise UserError(
                "抽取失败，未保存任何任务：以下对象无法组成完整检查组"
                " (no full team; nothing saved)\n  "
                + "\n  ".join(s.describe() for s in exc.shortfalls)
                + "\n本次准备已作废，请调整人员名录或参数后重新准备 (prepare again)"
            ) from None
        finally:
            for future in (ranking, reading):
                _drop(future)


def _check_found(codes: list[str], targets: dict[str, DrawnTarget]) -> None:
    missing = [code for code in codes if code not in targets]
    if missing:
        raise UserError(
            "抽中的对象已不在名录中，请作废本次准备后重新准备 (drawn targets no longer in the "
            "directory; abandon and prepare again): " + ", ".join(missing[:20])
        )


async def _ranked(workers: Workers | None, out: Outcome, reading: Awaitable[dict]):
    facts = await reading
    return await rankings(
        workers, rank_job(out.seed, team_inputs(out.codes, facts), out.pool, out.params)
    )


def _drop(future: asyncio.Future) -> None:
    """Cancel `future` (a no-op once done); a failure it ended with counts as seen: the
    caller's own failure, if any, is the one raised."""
    future.cancel()
    future.add_done_callback(lambda f: f.cancelled() or f.exception())


@dataclass(frozen=True)
class Outcome:
    """What a reveal drew, before it is saved."""

    entropy: str
    seed: str
    now: dt.datetime
    drawn: dict[str, list[tuple[str, str]]]  # stratum -> (credit code, ticket), ticket order
    codes: list[str]  # drawn credit codes in assignment order
    targets: dict[str, DrawnTarget]
    pool: list[Inspector]
    params: TeamParams


def _record_parts(campaign, draw, out: Outcome, facts, teams: dict[str, list[Member]]) -> dict:
    """`record_body`'s arguments."""
    ratios = {s["name"]: s["ratio_percent"] for s in draw.prepared["strata"]}
    header = {
        "campaign": {
            "code": campaign.code,
            "name": campaign.name,
            "department": campaign.department.code,
            "items": campaign.item_codes,
            "regions": campaign.region_codes,
            "start_date": campaign.start_date.isoformat(),
            "due_date": campaign.due_date.isoformat(),
        },
        "scope": draw.prepared["scope"],
        "commitment": draw.commitment,
        "secret": draw.secret,
        "entropy": out.entropy,
        "seed": out.seed,
        "practice": draw.practice,
        "beacon": draw.beacon,
        "prepared_at": draw.prepared["prepared_at"],
        "revealed_at": out.now.isoformat(timespec="seconds"),
    }
    return {
        "header": header,
        "strata": [
            {k: s[k] for k in ("name", "eligible", "take", "digest")}
            for s in draw.prepared["strata"]
        ],
        "ratios": ratios,
        "drawn": out.drawn,
        "pool": out.pool,
        "pool_digest": draw.prepared["pool"]["digest"],
        "facts": {c: facts[c] for c in out.codes},
        "params": out.params,
        "teams": teams,
        "exclusions": draw.prepared["exclusions"],
    }


async def _save(actor, campaign, draw, out: Outcome, reading, planned, ranking) -> RevealResult:
    """Tasks, then (once `ranking` is done) teams and the rest, in one transaction. Raises
    TeamsUnavailable, with nothing saved, if some target cannot get a full team. What each step
    leaves behind is let go as soon as the next no longer needs it: a draw of 150,000 targets
    holds some 2 KB per target at a time, and memory must not grow with the directory."""
    drawn, codes, now = out.drawn, out.codes, out.now
    stratum_of = {code: name for name, pairs in drawn.items() for code, _ in pairs}
    ticket_of = {code: t for pairs in drawn.values() for code, t in pairs}
    target_ids = {code: t.id for code, t in out.targets.items()}
    scope_categories = frozenset(draw.prepared["scope"]["categories"])
    items_of = await _items_by_target(campaign.item_codes, scope_categories, out.targets)
    default = connections.get("default")
    if default.capabilities.dialect != "postgres":
        await reading  # one connection: read before the transaction holds it
    async with checkpoint_afterwards(default), in_transaction() as conn:
        handed = asyncio.Event()
        tasks = draw_rows.save_tasks(
            conn, campaign, draw.id, codes, target_ids, stratum_of, ticket_of, items_of, now,
            handed,
        )  # fmt: skip

        async def assign():
            inputs = team_inputs(codes, await reading)
            # The tasks' rows are all handed over by now (on SQLite, written): what only they
            # needed goes before the teams take their room.
            for done in (stratum_of, ticket_of, target_ids, items_of, out.targets):
                done.clear()
            heap.give_back()
            ranked = await ranking
            try:
                return assign_teams(out.seed, inputs, out.pool, out.params, ranked)
            finally:
                ranked.clear()

        task_ids, teams = await _alongside(conn, tasks, handed, assign)
        people = await inspector_ids(sorted({m.cert_no for ms in teams.values() for m in ms}))
        handed = asyncio.Event()
        members = draw_rows.save_members(conn, teams, task_ids, people, now, handed)

        async def encode():
            facts = await reading
            texts = record_texts(_record_parts(campaign, draw, out, facts, {}))
            facts.clear()
            texts["teams"] = teams_text(codes, teams)
            texts["fairness"] = canonical(teams.fairness.json()).encode("utf-8")
            return texts

        _, texts = await _alongside(conn, members, handed, encode)
        # The drawn lists are in the record's text now: only their counts are still needed.
        drawn_count, per_stratum = len(codes), {name: len(p) for name, p in drawn.items()}
        drawn.clear()
        codes.clear()
        heap.give_back()
        await draw_rows.notify_members(conn, teams, task_ids, people, campaign, draw.id, now)
        places, fairness = sum(len(team) for team in teams.values()), teams.fairness
        teams.clear()
        task_ids.clear()
        heap.give_back()
        record_hash, record = seal_encoded(texts)  # once the teams are gone
        await deadlines.schedule("campaign", campaign.id, planned)
        draw.status = DrawStatus.REVEALED
        draw.entropy = out.entropy
        draw.seed = out.seed
        draw.record_hash = record_hash
        draw.revealed_at = now
        await draw.save(update_fields=[*REVEALED_FIELDS, "updated_at"])
        await draw_rows.save_record(conn, draw.id, record)
        heap.give_back()
        campaign.status = CampaignStatus.DRAWN
        await campaign.save(update_fields=["status", "updated_at"])
        await audit.record(
            actor.label,
            "draw.reveal",
            "campaign",
            campaign.code,
            after={"draw": draw.id, "record_hash": record_hash, "tasks": drawn_count},
            data={"entropy": out.entropy, "seed": out.seed, "practice": draw.practice},
        )
    return RevealResult(
        campaign.code,
        record_hash,
        drawn_count,
        per_stratum,
        draw.practice,
        places,
        fairness,
    )


T = TypeVar("T")
U = TypeVar("U")


async def _alongside(
    conn, writing: Awaitable[T], handed: asyncio.Event, work: Callable[[], Awaitable[U]]
) -> tuple[T, U]:
    """`writing`'s result and `work()`'s. On PostgreSQL the work is done while the server
    finishes the writing, once `handed` says this process has no more to do for it: the server
    spends most of a big insert checking foreign keys, with this process idle. SQLite works in
    this process (a thread that needs the GIL row by row): one after the other. If the work
    fails, the writing is waited for first: the connection is free again for the rollback."""
    if conn.capabilities.dialect != "postgres":
        return await writing, await work()
    saving = asyncio.ensure_future(writing)
    try:
        await handed.wait()
        if saving.done():
            saving.result()  # the writing failed: no work for nothing
        done = await work()
    except BaseException:
        await asyncio.gather(saving, return_exceptions=True)
        raise
    return await saving, done


async def _close_failed(actor, campaign, draw, entropy, exc: TeamsUnavailable) -> None:
    async with in_transaction():
        draw.status = DrawStatus.ABANDONED
        draw.entropy = entropy
        draw.abandoned_reason = "teams unavailable: " + str(exc)[:2000]
        await draw.save(update_fields=["status", "entropy", "abandoned_reason", "updated_at"])
        await audit.record(
            actor.label,
            "draw.failed",
            "campaign",
            campaign.code,
            data={
                "draw": draw.id,
                "entropy": entropy,
                "shortfalls": [s.describe() for s in exc.shortfalls],
            },
        )


async def _items_by_target(
    item_codes: list[str], scope_categories: frozenset[str], targets: dict[str, DrawnTarget]
) -> dict[str, list[str]]:
    from domain.storage.models import InspectionItem

    items = await InspectionItem.filter(code__in=item_codes, active=True).order_by("code")
    covering = [(i.code, frozenset(i.categories) & scope_categories) for i in items]
    # Tens of thousands of targets, a few distinct category sets: each set's items found once.
    by_categories: dict[frozenset[str], list[str]] = {}
    for t in targets.values():
        if t.categories not in by_categories:
            by_categories[t.categories] = [c for c, cats in covering if cats & t.categories]
    return {code: by_categories[t.categories] for code, t in targets.items()}
