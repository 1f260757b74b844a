"""`verify_record` on the record of a real draw on the demo data (as stored by the reveal and
amended by a real recusal), and what it catches when that record is altered."""

from __future__ import annotations

import copy
import json

import pytest

from domain.campaigns.prepare import prepare_draw
from domain.campaigns.reveal import reveal_draw
from domain.draw.record import VerifyFailed, dumps, hash_of, loads, sealed
from domain.draw.seed import seed_of
from domain.draw.tickets import Ticketer, ordered
from domain.draw.verify import verify_record
from domain.storage.models import Draw, Task
from domain.tasks.team import replace_member
from tests.kit.draw_demo import CODE, DICE, candidates_of, demo, record_of

pytestmark = pytest.mark.clock("2026-11-20 10:00")  # inside the period of the campaigns drawn here


@pytest.fixture
async def real(db):
    actor = await demo()
    await prepare_draw(actor, CODE)
    await reveal_draw(actor, CODE, dice=DICE)
    return actor, await record_of(), await candidates_of()


def resealed(record: dict, change) -> dict:
    """As a forger would: change, then recompute record_hash so that the hash check passes."""
    forged = copy.deepcopy(record)
    change(forged)
    return sealed(forged)


def caught(record: dict, fragment: str, candidates=None) -> str:
    with pytest.raises(VerifyFailed) as info:
        verify_record(record, candidates)
    assert fragment in str(info.value), str(info.value)
    return str(info.value)


async def test_the_stored_record_verifies_and_survives_a_file_round_trip(real):
    _, record, candidates = real
    assert loads(dumps(record)) == record
    result = verify_record(loads(dumps(record)), candidates)
    assert (result.campaign, result.strata) == (CODE, len(candidates))
    assert result.targets == result.teams == await Task.all().count()
    assert result.summary().startswith("OK") and not result.practice


async def test_the_record_is_stored_as_text_its_canonical_form_byte_for_byte(real):
    # Written in pieces (a blob on SQLite, rows joined by PostgreSQL): read back it is the
    # text, not bytes, and the hash is that of exactly these characters.
    _, record, _ = real
    draw = await Draw.get(status="revealed")
    assert isinstance(draw.record, str) and record["campaign"]["name"] in draw.record
    assert not record["campaign"]["name"].isascii()
    assert draw.record.encode("utf-8") == dumps(record)
    assert hash_of(json.loads(draw.record)) == draw.record_hash == record["record_hash"]


async def test_an_edit_without_rehashing_is_caught_first(real):
    _, record, _ = real
    edited = copy.deepcopy(record)
    edited["teams"][0]["members"][0]["cert_no"] = "419800999999"
    caught(edited, "record_hash")
    edited = copy.deepcopy(record)
    edited["exclusions"]["status_closed"] -= 1
    caught(edited, "record_hash")


async def test_changed_seed_secret_or_entropy_is_caught(real):
    _, record, _ = real
    caught(resealed(record, lambda r: r.update(seed="f" * 64)), "seed 不等于")
    caught(resealed(record, lambda r: r.update(secret="ab" * 32)), "commitment")
    caught(resealed(record, lambda r: r.update(entropy="dice:" + "9" * 25)), "seed 不等于")

    # A forger who also recomputes the seed from other dice: the drawn tickets no longer fit.
    def reroll(r):
        r["entropy"] = "dice:" + "7" * 25
        r["seed"] = seed_of(r["secret"], r["entropy"])

    caught(resealed(record, reroll), "签号不对")


async def test_a_changed_candidate_is_caught_with_the_lists(real):
    _, record, candidates = real
    name = next(n for n, ids in candidates.items() if len(ids) > 5)
    changed = {k: list(v) for k, v in candidates.items()}
    changed[name][3] = "91419800MA00000000"
    caught(record, f"分层 {name}: 候选名单与公布的摘要不符", changed)
    fewer = {k: list(v) for k, v in candidates.items()}
    fewer[name].pop()
    caught(record, name, fewer)


async def test_an_edited_result_is_caught(real):
    _, record, candidates = real
    n = next(i for i, s in enumerate(record["strata"]) if len(candidates[s["name"]]) > 3)
    stratum = record["strata"][n]
    seed = record["seed"]
    drawn = {d["id"] for d in stratum["drawn"]}
    outsider = next(i for i, _ in ordered(candidates[stratum["name"]], seed) if i not in drawn)

    def replace_drawn(r):
        r["strata"][n]["drawn"][-1] = {"id": outsider, "ticket": Ticketer(seed).ticket(outsider)}
        r["strata"][n]["drawn"].sort(key=lambda d: (d["ticket"], d["id"]))

    caught(resealed(record, replace_drawn), "按签号应为", candidates)
    # Without the lists the swap still shows: the record has no facts for the outsider, and
    # its team is missing.
    with pytest.raises(VerifyFailed):
        verify_record(resealed(record, replace_drawn))


async def test_a_swapped_team_member_is_caught(real):
    _, record, _ = real
    team = record["teams"][0]
    on_team = {m["cert_no"] for m in team["members"]}
    other = next(
        p["cert_no"]
        for p in record["pool"]["members"]
        if p["cert_no"] not in on_team and not p["is_expert"]
    )

    def swap(r):
        r["teams"][0]["members"][1]["cert_no"] = other

    message = caught(resealed(record, swap), team["target"])
    assert other in message


async def test_a_real_recusal_verifies_and_a_tampered_amendment_is_caught(real):
    actor, _, candidates = real
    task = await Task.filter(campaign__code=CODE).order_by("id").first().prefetch_related("target")
    draw = await Draw.get(campaign__code=CODE)
    before = json.loads(draw.record)
    team = next(t for t in before["teams"] if t["target"] == task.target.credit_code)
    leaving = team["members"][0]["cert_no"]
    await replace_member(actor, task.id, leaving, "与该单位负责人系近亲属")

    record = await record_of()
    (amendment,) = record["amendments"]
    assert amendment["replaced"] == leaving and amendment["prior_hash"] == before["record_hash"]
    assert record["record_hash"] == hash_of(record) != before["record_hash"]
    assert verify_record(record, candidates).amendments == 1

    def other_replacement(r):
        used = {m["cert_no"] for m in team["members"]} | {amendment["replacement"]["cert_no"]}
        r["amendments"][0]["replacement"]["cert_no"] = next(
            p["cert_no"]
            for p in r["pool"]["members"]
            if p["cert_no"] not in used and not p["is_expert"]
        )

    caught(resealed(record, other_replacement), "amendment 1")
    # A second recusal chains to the first: editing the first one's reason now shows.
    await replace_member(actor, task.id, amendment["replacement"]["cert_no"], "曾在该单位任职")
    twice = await record_of()
    assert verify_record(twice, candidates).amendments == 2
    caught(resealed(twice, lambda r: r["amendments"][0].update(reason="另有理由")), "prior_hash")
    # Without its amendments the record is exactly the one published at the reveal.
    assert resealed(record, lambda r: r["amendments"].clear()) == before
