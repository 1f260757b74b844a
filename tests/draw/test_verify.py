"""verify: passes on a real record, and names the first difference after any tampering."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from domain.draw.amend import amend_record
from domain.draw.compute import record_body, sealed_text
from domain.draw.record import (
    ALGORITHM,
    RecordError,
    VerifyFailed,
    dumps,
    hash_of,
    ids_digest,
    loads,
    seal,
    sealed,
)
from domain.draw.tickets import Ticketer, ordered
from domain.draw.verify import verify_record
from tests.kit.draw_builders import make_draw


@pytest.fixture(scope="module")
def draw():
    return make_draw()


def tampered(record: dict, change) -> dict:
    """A deep copy with `change` applied, resealed as a forger would (so the hash passes)."""
    forged = copy.deepcopy(record)
    change(forged)
    return sealed(forged)


def fails(record: dict, fragment: str, candidates=None) -> str:
    with pytest.raises(VerifyFailed) as info:
        verify_record(record, candidates)
    assert fragment in str(info.value), str(info.value)
    return str(info.value)


def test_a_real_record_verifies_with_and_without_candidates(draw):
    record = loads(dumps(draw.record))
    assert record == draw.record
    result = verify_record(record, draw.strata)
    assert result.candidates_checked and result.targets == len(record["teams"]) > 30
    assert result.summary().startswith("OK") and "RF-2026-01" in result.summary()
    assert not verify_record(record).candidates_checked
    assert record["algorithm"] == ALGORITHM
    assert record["record_hash"] == hash_of(record)


def test_canonical_form_has_sorted_keys_no_spaces_and_utf8(draw):
    data = dumps(draw.record)
    text = data.decode("utf-8")
    assert "人防" in text and text.startswith('{"algorithm":{"digest":"SHA-256')
    assert (
        data
        == json.dumps(
            json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    )


def test_sealing_in_parts_gives_the_whole_records_canonical_text_and_hash(draw):
    body = {k: v for k, v in draw.record.items() if k != "record_hash"}
    body["键"] = {"z": [1, "二"], "a": None}  # a non-ASCII key sorts as json.dumps sorts it
    record, text = seal(body)
    whole = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert record["record_hash"] == hashlib.sha256(whole.encode()).hexdigest()
    assert text == dumps(record).decode("utf-8") == dumps({**body, **record}).decode("utf-8")


def test_the_reveals_direct_text_equals_the_records_canonical_text(draw):
    officers_only = make_draw(experts=0, seed_text="officers")  # draw has conflicts and experts
    for built in (draw, officers_only):
        hash_, text = sealed_text(built.parts)
        assert (hash_, text) == (built.record["record_hash"], dumps(built.record).decode())
    unusual = dict(draw.parts, header={**draw.parts["header"], "note": '引号"与\n换行'})
    record, text = seal(record_body(**unusual))
    assert sealed_text(unusual) == (record["record_hash"], text)


def test_an_edit_without_resealing_breaks_the_hash(draw):
    record = copy.deepcopy(draw.record)
    record["strata"][0]["drawn"][0]["id"] = "91XXXXXXXXXXXXXXXX"
    fails(record, "record_hash")


def test_a_changed_seed_is_caught(draw):
    fails(tampered(draw.record, lambda r: r.update(seed="0" * 64)), "seed")


def test_other_entropy_or_secret_is_caught(draw):
    fails(
        tampered(draw.record, lambda r: r.update(entropy="dice:" + "1" * 20)),
        "seed 不等于",
    )
    fails(tampered(draw.record, lambda r: r.update(secret="0" * 64)), "commitment")
    fails(tampered(draw.record, lambda r: r.update(practice=True)), "practice")


def test_a_changed_candidate_is_caught(draw):
    name = draw.record["strata"][0]["name"]
    strata = {k: list(v) for k, v in draw.strata.items()}
    strata[name][0] = "91ZZZZZZZZZZZZZZZZ"
    fails(draw.record, "摘要", strata)


def test_a_dropped_candidate_with_a_forged_digest_still_shows(draw):
    # A forger removes a drawn business from the list and fixes digest and count: the list is
    # then one short of the published digest... and, with the new digest, the draw is wrong.
    stratum = draw.record["strata"][0]
    name, victim = stratum["name"], stratum["drawn"][0]["id"]
    strata = {k: [i for i in v if i != victim] for k, v in draw.strata.items()}
    fails(draw.record, "摘要", strata)

    def forge(r):
        r["strata"][0]["digest"] = ids_digest(strata[name])
        r["strata"][0]["eligible"] -= 1

    fails(tampered(draw.record, forge), name, strata)


def test_an_edited_result_is_caught_against_the_candidates(draw):
    stratum = draw.record["strata"][0]
    drawn = {d["id"] for d in stratum["drawn"]}
    seed = draw.record["seed"]
    outsider = next(i for i, _ in ordered(draw.strata[stratum["name"]], seed) if i not in drawn)

    def forge(r):
        r["strata"][0]["drawn"][-1] = {"id": outsider, "ticket": Ticketer(seed).ticket(outsider)}
        r["strata"][0]["drawn"].sort(key=lambda d: (d["ticket"], d["id"]))

    fails(tampered(draw.record, forge), "按签号应为", draw.strata)


def test_a_forged_ticket_or_count_is_caught(draw):
    def ticket(r):
        r["strata"][1]["drawn"][0]["ticket"] = "0.0000001"

    fails(tampered(draw.record, ticket), "签号不对")

    def take(r):
        r["strata"][1]["take"] += 1

    fails(tampered(draw.record, take), "应抽")


def test_a_swapped_team_member_is_caught(draw):
    team = draw.record["teams"][3]
    on_team = {m["cert_no"] for m in team["members"]}
    other = next(p.cert_no for p in draw.pool if p.cert_no not in on_team and not p.is_expert)

    def swap(r):
        r["teams"][3]["members"][1]["cert_no"] = other

    message = fails(tampered(draw.record, swap), team["target"])
    assert other in message


def test_leader_and_member_exchanged_is_caught(draw):
    def exchange(r):
        a, b = r["teams"][0]["members"][:2]
        a["role"], b["role"] = b["role"], a["role"]

    fails(tampered(draw.record, exchange), "检查组应为")


def test_an_edited_pool_snapshot_is_caught(draw):
    def lapse(r):
        r["pool"]["members"][0]["cert_valid_until"] = "2020-01-01"

    fails(tampered(draw.record, lapse), "snapshot_digest")


def test_missing_fields_are_reported_not_crashed(draw):
    fails(tampered(draw.record, lambda r: r.pop("teams")), "malformed")


def test_loads_refuses_other_documents():
    with pytest.raises(RecordError, match="JSON"):
        loads(b"{not json")
    with pytest.raises(RecordError, match="format"):
        loads(b'{"format": "something else"}')
    with pytest.raises(RecordError, match="浮点"):
        loads(b'{"format": "shuangsuiji-draw-record", "version": 1, "x": 0.5}')


def _first_member(record: dict) -> tuple[str, str]:
    team = record["teams"][0]
    return team["target"], team["members"][0]["cert_no"]


def test_amendments_verify_and_tampering_with_them_is_caught(draw):
    target, leader = _first_member(draw.record)
    once, member = amend_record(
        draw.record, target=target, replaced=leader, reason="配偶任职", by="coord:1", at="t1"
    )
    assert member.role == "leader" and member.cert_no != leader
    twice, second = amend_record(
        once, target=target, replaced=member.cert_no, reason="亲属", by="coord:1", at="t2"
    )
    result = verify_record(loads(dumps(twice)), draw.strata)
    assert result.amendments == 2
    assert twice["amendments"][0]["prior_hash"] == draw.record["record_hash"]
    assert second.cert_no not in {leader, member.cert_no}

    pool_ids = [p.cert_no for p in draw.pool]

    def other_replacement(r):
        used = {m["cert_no"] for m in r["teams"][0]["members"]} | {member.cert_no, second.cert_no}
        r["amendments"][1]["replacement"]["cert_no"] = next(c for c in pool_ids if c not in used)

    fails(tampered(twice, other_replacement), "amendment 2")

    def unchain(r):
        r["amendments"][0]["reason"] = "另有理由"

    fails(tampered(twice, unchain), "prior_hash")

    def renumber(r):
        r["amendments"][1]["n"] = 5

    fails(tampered(twice, renumber), "numbered")


def test_amending_refuses_someone_not_on_the_team(draw):
    from domain.errors import UserError

    target, _ = _first_member(draw.record)
    with pytest.raises(UserError, match="不是"):
        amend_record(draw.record, target=target, replaced="NOBODY", reason="x", by="c", at="t")
    with pytest.raises(UserError, match="理由"):
        amend_record(draw.record, target=target, replaced="NOBODY", reason=" ", by="c", at="t")


def test_a_forged_spread_of_the_officers_is_caught(draw):
    def boast(record):
        record["fairness"]["most"] = record["fairness"]["least"]

    assert draw.record["fairness"]["most"] > draw.record["fairness"]["least"]
    fails(tampered(draw.record, boast), "fairness")


def test_a_record_of_the_greedy_algorithm_is_refused_by_name(draw):
    old = tampered(draw.record, lambda r: r["algorithm"].update(version=1))
    assert "v1" in fails(old, "贪心分组")
