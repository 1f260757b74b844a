"""Recomputing a draw from its record (and, when given, the published candidate lists).

What is checked, in this order, stopping at the first difference:
1. the record's own hash, format and algorithm;
2. `SHA-256(secret)` is the commitment published at prepare; the seed is
   `SHA-256(secret + ":" + entropy)`; the entropy is well-formed (20+ dice digits and/or a beacon
   value, a beacon present if one was fixed at prepare) and the practice flag matches it;
3. per stratum: take = ceil(ratio × eligible); the drawn ids carry their true tickets, in
   ticket order; with the candidate lists: the list matches the digest and the eligible count,
   and the drawn ids are exactly the ones with the smallest tickets;
4. the inspector pool snapshot matches its digest and size;
5. the teams recomputed from the pool snapshot and the drawn targets' facts equal the teams
   recorded, in the drawing order, and so does the officers' spread (`fairness`);
6. every amendment (recusal) follows from the record before it (`amend.py`).
Nothing here trusts the record's own conclusions. Internal consistency cannot tell a forged
record from the published one, so, given the hash published on the task notice, it is compared
first with the hash computed from the content (`published.py`). Lists whose order carries no
meaning (strata, pool members, the sets inside them) must be in their canonical order, and
unknown top-level members are refused: one draw has one record, hence one hash. Beacon values
are not fetched: whoever checks a beacon-based draw compares the recorded value with the
beacon's published round.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from domain.draw.amend import replay
from domain.draw.compute import assignment_order, team_inputs
from domain.draw.published import match_published
from domain.draw.record import (
    ALGORITHM,
    FIELDS,
    FORMAT,
    VERSION,
    VerifyFailed,
    commitment_of,
    hash_of,
    ids_digest,
    inspector_from,
    member_json,
    params_from,
    seed_of,
    snapshot_digest,
    take_count,
    target_from,
)
from domain.draw.seed import parse_entropy
from domain.draw.teams import TeamsUnavailable, assign_teams
from domain.draw.tickets import Ticketer, smallest

__all__ = ["Verified", "VerifyFailed", "verify_record"]


@dataclass(frozen=True)
class Verified:
    campaign: str
    record_hash: str
    strata: int
    targets: int
    teams: int
    amendments: int
    candidates_checked: bool
    practice: bool
    # How many of the amendments the published hash given covers (None: no hash given).
    published: int | None = None

    def summary(self) -> str:
        """One line with a published hash given; without, a second line saying what that
        leaves unchecked."""
        scope = (
            "已核对候选名单 (candidate lists checked)"
            if self.candidates_checked
            else ("仅记录本身 (record only)")
        )
        practice = "，演练 (PRACTICE)" if self.practice else ""
        head = (
            f"OK 验证通过: 计划 {self.campaign}，{self.strata} 层 {self.targets} 个对象，"
            f"{self.teams} 个检查组，{self.amendments} 次变更全部重算一致{practice}；"
            f"{scope}；record_hash {self.record_hash}"
        )
        if self.published is None:
            return (
                f"{head}\n注意：只核对了记录的内部一致性，请将上面的 record_hash 与任务通知上公布的"
                "比对，或加 --expect-hash (internal consistency only: compare record_hash with "
                "the published one, or pass --expect-hash HEX)"
            )
        later = self.amendments - self.published
        if not later:
            return f"{head}，与公布的一致 (matches the published hash)"
        n = self.published
        when = (f"第 {n} 次变更后", f"after amendment {n}") if n else ("揭示时", "at the reveal")
        return (
            f"{head}；公布的哈希是{when[0]}的记录，其后 {later} 次变更已逐一重算 (matches the "
            f"hash published {when[1]}; the {later} later amendments recomputed)"
        )


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise VerifyFailed(message)


def _check_header(record: dict) -> str:
    _check(record.get("format") == FORMAT, f"不是抽取记录 (format {record.get('format')!r})")
    _check(record.get("version") == VERSION, f"记录版本 {record.get('version')!r} 不受支持")
    _check(
        hash_of(record) == record.get("record_hash"),
        "record_hash 与内容不符：记录被改动过 (record_hash does not match the content)",
    )
    algorithm = record.get("algorithm") or {}
    _check(
        (algorithm.get("name"), algorithm.get("version")) != (ALGORITHM["name"], 1),
        "算法 v1 的记录（贪心分组、公平分配上限）不再由本版本重算，请用抽取时的版本验证 "
        "(algorithm v1 records, greedy teams under a fair share cap, are verified by the "
        "release that made them)",
    )
    _check(
        (algorithm.get("name"), algorithm.get("version"))
        == (ALGORITHM["name"], ALGORITHM["version"]),
        f"算法 {algorithm.get('name')!r} v{algorithm.get('version')!r} 不受支持",
    )
    secret, entropy = record["secret"], record["entropy"]
    _check(
        commitment_of(secret) == record["commitment"],
        "secret 与准备时公布的 commitment 不符 (secret does not match the commitment)",
    )
    seed = seed_of(secret, entropy)
    _check(
        seed == record["seed"],
        "seed 不等于 SHA-256(secret + ':' + entropy) (seed does not follow from the entropy)",
    )
    try:
        parts = parse_entropy(entropy)
    except ValueError as exc:
        raise VerifyFailed(f"entropy 格式不对 (malformed entropy): {exc}") from None
    _check(
        bool(record.get("practice")) == (parts.practice is not None),
        "practice 标记与 entropy 不符 (practice flag does not match the entropy)",
    )
    if record.get("beacon") and not record.get("practice"):
        _check(
            parts.beacon is not None, "准备时确定了信标，entropy 中却没有信标值 (beacon missing)"
        )
    return seed


def _check_stratum(
    stratum: dict, seed: str, ticketer: Ticketer, ids: Sequence[str] | None
) -> list[tuple[str, str]]:
    name = stratum["name"]
    ratio = stratum["ratio_percent"]
    _check(isinstance(ratio, str), f"分层 {name}: ratio_percent 应为字符串 (decimal string)")
    want_take = take_count(stratum["eligible"], ratio)
    _check(
        stratum["take"] == want_take,
        f"分层 {name}: 应抽 ceil({ratio}% × {stratum['eligible']}) = {want_take}，"
        f"记录为 {stratum['take']}",
    )
    pairs = [(d["id"], d["ticket"]) for d in stratum["drawn"]]
    _check(len(pairs) == want_take, f"分层 {name}: 抽中 {len(pairs)} 个，应为 {want_take} 个")
    for object_id, ticket in pairs:
        _check(
            ticketer.ticket(object_id) == ticket,
            f"分层 {name}: {object_id} 的签号不对 (wrong ticket for {object_id})",
        )
    _check(
        pairs == sorted(pairs, key=lambda p: (p[1], p[0])),
        f"分层 {name}: 抽中名单未按签号排序 (not in ticket order)",
    )
    if ids is not None:
        _check(
            ids_digest(ids) == stratum["digest"],
            f"分层 {name}: 候选名单与公布的摘要不符 (candidates do not match the digest)",
        )
        _check(
            len(ids) == stratum["eligible"],
            f"分层 {name}: 候选名单 {len(ids)} 个，记录为 {stratum['eligible']} 个",
        )
        for (got, _), (want, _) in zip(pairs, smallest(ids, seed, want_take), strict=True):
            _check(got == want, f"分层 {name}: 抽中 {got}，按签号应为 {want} (drew {got})")
    return pairs


def verify_record(
    record: dict,
    candidates: Mapping[str, Sequence[str]] | None = None,
    expect_hash: str | None = None,
) -> Verified:
    """Recompute the draw; returns what was checked, or raises VerifyFailed at the first
    difference. `candidates`: stratum name -> candidate ids (see `candidates.py`);
    `expect_hash`: the published record hash (`published_hash`), compared first."""
    published = None if expect_hash is None else match_published(record, expect_hash)
    try:
        return replace(_verify(record, candidates), published=published)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise VerifyFailed(f"记录结构不完整或字段类型不对 (malformed record): {exc!r}") from None


def _in_order(values: Sequence, what: str) -> None:
    for a, b in itertools.pairwise(values):
        _check(a < b, f"{what} 未按顺序排列或有重复：{a!r} 在 {b!r} 之前 ({what} out of order)")


def _check_shape(record: dict) -> None:
    """One draw, one record: no member nothing recomputes, and no list whose order means
    nothing in any order but the canonical one (a reordered copy would have its own hash)."""
    unknown = sorted(set(record) - FIELDS)
    _check(not unknown, f"记录含未知字段 {', '.join(unknown)} (unknown top-level fields refused)")
    _in_order([s["name"] for s in record["strata"]], "strata")
    members = record["pool"]["members"]
    _in_order([m["cert_no"] for m in members], "pool members")
    for m in members:
        _in_order(m["specialties"], f"{m['cert_no']} specialties")
    for code, facts in record["targets"].items():
        for key in ("categories", "conflicts", "previous_team"):
            _in_order(facts.get(key, []), f"{code} {key}")


def _verify(record: dict, candidates: Mapping[str, Sequence[str]] | None) -> Verified:
    seed = _check_header(record)
    _check_shape(record)
    ticketer = Ticketer(seed)
    drawn: dict[str, list[tuple[str, str]]] = {}
    for stratum in record["strata"]:
        name = stratum["name"]
        ids = None
        if candidates is not None:
            ids = candidates.get(name)
            _check(ids is not None, f"分层 {name}: 缺少候选名单 (candidate list missing)")
        drawn[name] = _check_stratum(stratum, seed, ticketer, ids)
    order = assignment_order(drawn)
    _check(len(order) == len(set(order)), "同一对象在多个分层中被抽中 (a target drawn twice)")
    exclusions = record.get("exclusions", {})
    _check(
        all(isinstance(n, int) and n >= 0 for n in exclusions.values()),
        "排除计数应为非负整数 (exclusion counts must be counts)",
    )
    pool = [inspector_from(m) for m in record["pool"]["members"]]
    _check(
        ids_digest([p.cert_no for p in pool]) == record["pool"]["digest"],
        "检查人员库快照与公布的摘要不符 (pool does not match its digest)",
    )
    _check(len(pool) == record["pool"]["size"], "检查人员库人数与记录不符 (pool size)")
    _check(
        snapshot_digest(pool) == record["pool"]["snapshot_digest"],
        "检查人员库快照的属性与公布的摘要不符 (pool attributes do not match snapshot_digest)",
    )
    params = params_from(record["team_params"])
    facts = {code: target_from(code, d) for code, d in record["targets"].items()}
    missing = [c for c in order if c not in facts]
    _check(not missing, f"缺少被抽中对象的信息 (no target facts for {missing[:3]})")
    try:
        teams = assign_teams(seed, team_inputs(order, facts), pool, params)
    except TeamsUnavailable as exc:
        raise VerifyFailed(f"检查组无法重算 (teams cannot be recomputed): {exc}") from None
    recorded = [t["target"] for t in record["teams"]]
    _check(recorded == order, "检查组顺序或对象与抽中名单不符 (teams not in the drawing order)")
    for team in record["teams"]:
        code = team["target"]
        want = [member_json(m) for m in teams[code]]
        if team["members"] != want:
            got = ", ".join(f"{m.get('cert_no')}({m.get('role')})" for m in team["members"])
            expected = ", ".join(f"{m['cert_no']}({m['role']})" for m in want)
            raise VerifyFailed(f"对象 {code} 的检查组应为 {expected}，记录为 {got}")
    _check(
        record.get("fairness") == teams.fairness.json(),
        f"fairness 与重算不符 (recomputed {teams.fairness.json()}, recorded "
        f"{record.get('fairness')})",
    )
    replay(record)
    return Verified(
        campaign=record["campaign"]["code"],
        record_hash=record["record_hash"],
        strata=len(drawn),
        targets=len(order),
        teams=len(teams),
        amendments=len(record.get("amendments", [])),
        candidates_checked=candidates is not None,
        practice=bool(record.get("practice")),
    )
