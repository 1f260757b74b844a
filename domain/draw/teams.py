"""Team assignment: for each drawn target, officers (and experts) who meet every rule, in
ticket order under `<seed>/<credit code>`. Plain values in, plain values out.

Rules, in the order a failure counts them: an officer slot takes no expert and an expert slot
no officer; active; certificate (an expert's term) valid through the due date; department in
the campaign's department subtree (paths like "/41/4198/"); at least one specialty among the
target's categories that the campaign covers; no declared conflict with the target; patch not
the target's jurisdiction (所所交叉, switchable); not on the target's previous team
(switchable). Experts never count towards the team size nor any officer's load.

Officers are placed as a matching (`matching.py`): the per-officer cap is the smallest with
which every target gets a full team, so a draw fails only when some target has too few
candidates at all; within the cap the tickets decide (docs/draw-record.md, "Team assignment").
Only the inspectors who pass a target's fixed rules are ranked (`ranking.py`, the costly part,
which can run in worker processes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from domain.draw.matching import Assignment, min_capacity
from domain.draw.ranking import Ranking, RankJob, rank, team_seed
from domain.draw.tickets import Ticketer, coarse_order, in_order, settle

RULES = {
    "expert": "专家不计入检查组人数 (experts do not count)",
    "not_expert": "非专家 (not an expert)",
    "inactive": "不在岗 (inactive)",
    "certificate": "执法证件或聘期在截止日前到期 (certificate expires before the due date)",
    "department": "不属于本级或下级部门 (outside the campaign's departments)",
    "specialty": "专业不符 (no matching specialty)",
    "conflict": "已申报回避 (declared conflict)",
    "jurisdiction": "本人负责片区 (own jurisdiction, 所所交叉)",
    "previous_team": "上次检查该对象 (on the previous inspection's team)",
    "unavailable": "登记为暂不能参加 (recorded as unavailable)",
    "already_on_team": "已在或曾在本组 (is or was on this team)",
    "fair_share": "已达公平分配上限 (fair share reached)",
}
ROLES = ("leader", "member", "expert")


@dataclass(frozen=True)
class Inspector:
    cert_no: str
    department_path: str
    cert_valid_until: dt.date
    specialties: frozenset[str]
    patch_code: str | None = None
    is_expert: bool = False
    active: bool = True


@dataclass(frozen=True, slots=True)
class TargetFacts:
    credit_code: str
    categories: frozenset[str]  # the target's categories that the campaign's items cover
    jurisdiction_code: str | None = None
    conflicts: frozenset[str] = frozenset()  # cert numbers
    previous_team: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TeamParams:
    department_path: str
    due_date: dt.date
    team_size: int = 2
    experts_per_team: int = 0
    avoid_own_jurisdiction: bool = True
    avoid_previous_team: bool = True


@dataclass(frozen=True, slots=True)
class Member:
    cert_no: str
    role: str  # leader, member, expert
    ticket: str


@dataclass
class Shortfall:
    credit_code: str
    needed: str  # "officers" or "experts"
    found: int
    wanted: int
    rejected: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        reasons = "，".join(f"{RULES[r]} {n} 人" for r, n in self.rejected.most_common())
        return (
            f"{self.credit_code}: 需要{'执法人员' if self.needed == 'officers' else '专家'} "
            f"{self.wanted} 名，只找到 {self.found} 名；被排除：{reasons or '无候选人'}"
        )


class TeamsUnavailable(Exception):
    SHOWN = 20  # a draw that fails everywhere must still give a readable message

    def __init__(self, shortfalls: list[Shortfall]) -> None:
        self.shortfalls = shortfalls
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        lines = [s.describe() for s in self.shortfalls[: self.SHOWN]]
        if len(self.shortfalls) > self.SHOWN:
            lines.append(f"…… 另有 {len(self.shortfalls) - self.SHOWN} 个对象同样无法组队 (more)")
        return lines


def _static_reason(person: Inspector, params: TeamParams, expert: bool) -> str | None:
    if person.is_expert != expert:
        return "expert" if person.is_expert else "not_expert"
    if not person.active:
        return "inactive"
    if person.cert_valid_until < params.due_date:
        return "certificate"
    if not person.department_path.startswith(params.department_path):
        return "department"
    return None


def _target_reason(person: Inspector, target: TargetFacts, params: TeamParams) -> str | None:
    if not person.specialties & target.categories:
        return "specialty"
    if person.cert_no in target.conflicts:
        return "conflict"
    if (
        params.avoid_own_jurisdiction
        and person.patch_code is not None
        and person.patch_code == target.jurisdiction_code
    ):
        return "jurisdiction"
    if params.avoid_previous_team and person.cert_no in target.previous_team:
        return "previous_team"
    return None


def officer_pool(pool: Sequence[Inspector], params: TeamParams) -> list[Inspector]:
    """Who counts for the fair share: officers passing the rules that ignore the target."""
    return [p for p in pool if _static_reason(p, params, expert=False) is None]


def fair_share_cap(tasks: int, params: TeamParams, pool_size: int) -> int:
    return math.ceil(tasks * params.team_size / max(pool_size, 1)) + 1


Fit = tuple[list[str], list[bytes]]  # cert numbers and the same in UTF-8, in pool order


class Matcher:
    """Who passes a target's fixed rules, with the work shared between targets: most targets
    have the same categories and jurisdiction, and few have conflicts or a previous team."""

    def __init__(self, pool: Sequence[Inspector], params: TeamParams) -> None:
        self.pool = list(pool)
        self.certs = [p.cert_no for p in self.pool]
        self.encoded = [c.encode("utf-8") for c in self.certs]
        self.params = params
        self._eligible = {
            expert: [
                n for n, p in enumerate(self.pool) if _static_reason(p, params, expert) is None
            ]
            for expert in (False, True)
        }
        self._bases: list[array] = []
        self._base_no: dict[tuple, int] = {}

    def _base(self, target: TargetFacts, expert: bool) -> int:
        jurisdiction = target.jurisdiction_code if self.params.avoid_own_jurisdiction else None
        key = (expert, target.categories, jurisdiction)
        number = self._base_no.get(key)
        if number is None:
            bare = TargetFacts(target.credit_code, target.categories, jurisdiction)
            self._bases.append(
                array(
                    "I",
                    [
                        n
                        for n in self._eligible[expert]
                        if _target_reason(self.pool[n], bare, self.params) is None
                    ],
                )
            )
            number = self._base_no[key] = len(self._bases) - 1
        return number

    def _left_out(self, target: TargetFacts, base: int) -> tuple[int, ...]:
        out = target.conflicts
        if self.params.avoid_previous_team and target.previous_team:
            out = out | target.previous_team
        if not out:
            return ()
        return tuple(n for n in self._bases[base] if self.certs[n] in out)

    def group_key(self, target: TargetFacts) -> tuple[int, tuple[int, ...]]:
        """Targets with equal keys have the same officer candidates."""
        base = self._base(target, False)
        return base, self._left_out(target, base)

    def group_positions(self, key: tuple[int, tuple[int, ...]]) -> list[int]:
        """The officer candidates of the targets with group key `key`, in pool order."""
        base, left_out = key
        out = set(left_out)
        return [n for n in self._bases[base] if n not in out]

    def positions(self, target: TargetFacts, expert: bool) -> list[int]:
        """Pool positions of who passes every fixed rule, in pool order."""
        base = self._base(target, expert)
        out = set(self._left_out(target, base))
        return [n for n in self._bases[base] if n not in out]

    def fit(self, target: TargetFacts, expert: bool) -> Fit:
        found = self.positions(target, expert)
        return [self.certs[n] for n in found], [self.encoded[n] for n in found]

    def rank_job(self, seed: str, targets: Sequence[TargetFacts], experts: bool) -> RankJob:
        """Each target's officers, then (if `experts`) its experts, to rank."""
        items = []
        for target in targets:
            for expert in (False, True) if experts else (False,):
                base = self._base(target, expert)
                items.append((target.credit_code, base, self._left_out(target, base)))
        return RankJob(seed, self.encoded, self._bases, items)

    def ranking(self, seed: str, target: TargetFacts, expert: bool) -> Ranking:
        """The target's whole ranking, where a walk ran past the cut one it was given."""
        found = array("I", self.positions(target, expert))
        return coarse_order(team_seed(seed, target.credit_code), self.encoded, found)

    def rejections(
        self, target: TargetFacts, expert: bool, retired: frozenset[str] | set[str] = frozenset()
    ) -> Counter:
        rejected: Counter = Counter()
        for person in self.pool:
            reason = _static_reason(person, self.params, expert) or _target_reason(
                person, target, self.params
            )
            if reason is None and not expert and person.cert_no in retired:
                reason = "fair_share"
            if reason and reason not in ("expert", "not_expert"):
                rejected[reason] += 1
        return rejected


def _walk(seed: str, target: TargetFacts, fit: Fit) -> Iterator[tuple[str, str]]:
    return in_order(fit[0], team_seed(seed, target.credit_code), fit[1])


def _first_certs(
    seed: str,
    target: TargetFacts,
    ranking: Ranking,
    matcher: Matcher,
    wanted: int,
    expert: bool,
    skip: set[str],
) -> list[str]:
    tseed, certs = team_seed(seed, target.credit_code), matcher.certs
    chosen = _chosen(tseed, ranking, certs, wanted, skip)
    if len(chosen) < wanted:  # the walk ran to the end: of the whole ranking, or of its head?
        whole = matcher.ranking(seed, target, expert)
        if len(whole[0]) > len(ranking[0]):
            chosen = _chosen(tseed, whole, certs, wanted, skip)
    return chosen


def _first_experts(
    seed: str, target: TargetFacts, ranking: Ranking, matcher: Matcher, wanted: int
) -> list[Member]:
    chosen = _first_certs(seed, target, ranking, matcher, wanted, True, set())
    tickets = Ticketer(team_seed(seed, target.credit_code)).tickets(chosen)
    return [Member(c, "expert", t) for c, t in zip(chosen, tickets, strict=True)]


def _chosen(tseed: str, ranking: Ranking, certs: list[str], wanted: int, skip: set[str]) -> list:
    chosen = []
    for position in settle(tseed, *ranking, certs):
        if certs[position] not in skip:
            chosen.append(certs[position])
            if len(chosen) == wanted:
                break
    return chosen


def rank_job(
    seed: str, targets: Sequence[TargetFacts], pool: Sequence[Inspector], params: TeamParams
) -> RankJob:
    """What `assign_teams` ranks: each target's officers, then its experts if teams have any."""
    return Matcher(pool, params).rank_job(seed, targets, params.experts_per_team > 0)


@dataclass(frozen=True)
class Fairness:
    """How evenly the officers' places spread: `cap` is the smallest per-officer limit with
    which every target gets a full team (the assignment keeps to it); max, min and mean are
    over the officers who could serve at least one drawn target."""

    cap: int
    officers: int
    most: int
    least: int
    mean: str  # places / officers, as a decimal string rounded to 2 places

    def json(self) -> dict:
        return dataclasses.asdict(self)


class Teams(dict):
    """Credit code -> members, with `fairness` of the officers' spread."""

    fairness: Fairness


def assign_teams(
    seed: str,
    targets: Sequence[TargetFacts],
    pool: Sequence[Inspector],
    params: TeamParams,
    rankings: Sequence[Ranking] | None = None,
) -> Teams:
    """Teams for `targets`, served in the order given (see docs/draw-record.md, "Team
    assignment"). Officers: the smallest per-officer cap with which every target can get a
    full team, then each target in turn takes its first officers in ticket order who are under
    the cap, and a target left short takes one more by the shortest chain of swaps
    (`matching.Assignment.augment`). Members are listed in ticket order, the first officer the
    leader (组长). `rankings`: `rank(rank_job(...))` for the same inputs, if the caller made
    them elsewhere (in worker processes, for big draws).
    Raises TeamsUnavailable naming every target whose candidates are too few for a team."""
    if params.team_size < 2:
        raise ValueError("a team has at least two officers")
    matcher = Matcher(pool, params)
    experts = params.experts_per_team > 0
    k = params.team_size
    keys = [matcher.group_key(t) for t in targets]
    cands = {key: matcher.group_positions(key) for key in set(keys)}
    short = [
        Shortfall(t.credit_code, "officers", len(cands[key]), k, matcher.rejections(t, False))
        for t, key in zip(targets, keys, strict=True)
        if len(cands[key]) < k
    ]
    if short:
        raise TeamsUnavailable(short)
    if rankings is None:
        rankings = rank(matcher.rank_job(seed, targets, experts))
    step = 2 if experts else 1
    counts = Counter(keys)
    cap = min_capacity([(counts[key], cands[key]) for key in sorted(counts)], k) if keys else 1
    done = Assignment(len(targets), cap)
    position = {c: n for n, c in enumerate(matcher.certs)}
    retired: set[str] = set()
    for n, target in enumerate(targets):
        for cert in _first_certs(seed, target, rankings[n * step], matcher, k, False, retired):
            p = position[cert]
            done.add(n, p)
            if done.full(p):
                retired.add(cert)
        while len(done.teams[n]) < k:
            if not done.augment(n, lambda t: cands[keys[t]]):  # pragma: no cover - cap is feasible
                raise RuntimeError(f"no team for {target.credit_code} under a feasible cap")
            retired = {matcher.certs[p] for p in done.load if done.full(p)}
    teams = Teams()
    shortfalls: list[Shortfall] = []
    for n, target in enumerate(targets):
        members = _in_ticket_order(seed, target, [matcher.certs[p] for p in done.teams[n]])
        if experts:
            found = _first_experts(
                seed, target, rankings[n * step + 1], matcher, params.experts_per_team
            )
            if len(found) < params.experts_per_team:
                rejected = matcher.rejections(target, expert=True)
                shortfalls.append(
                    Shortfall(
                        target.credit_code,
                        "experts",
                        len(found),
                        params.experts_per_team,
                        rejected,
                    )
                )
                continue
            members += found
        teams[target.credit_code] = members
    if shortfalls:
        raise TeamsUnavailable(shortfalls)
    teams.fairness = _fairness(cap, done, {p for c in cands.values() for p in c})
    return teams


def _in_ticket_order(seed: str, target: TargetFacts, certs: list[str]) -> list[Member]:
    tickets = Ticketer(team_seed(seed, target.credit_code)).tickets(certs)
    ranked = sorted(zip(tickets, certs, strict=True))
    roles = ["leader", *["member"] * (len(ranked) - 1)]
    return [Member(c, role, t) for (t, c), role in zip(ranked, roles, strict=True)]


def _fairness(cap: int, done: Assignment, officers: set[int]) -> Fairness:
    loads = [done.load.get(p, 0) for p in officers]
    places = sum(loads)
    mean = (Decimal(places) / max(len(loads), 1)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
    return Fairness(cap, len(loads), max(loads, default=0), min(loads, default=0), str(mean))


def replacement(
    seed: str,
    target: TargetFacts,
    pool: Sequence[Inspector],
    params: TeamParams,
    *,
    role: str,
    excluded: frozenset[str] | set[str],
    load: Mapping[str, int],
    cap: int,
    unavailable: frozenset[str] | set[str] = frozenset(),
) -> Member:
    """回避: the next inspector in the target's ticket order who meets every rule, skipping who
    is or was on the team (`excluded`) and who is recorded as `unavailable`. The replacement
    takes the role of the member replaced; an officer must be under the fair share `cap` given
    the current `load`. Raises TeamsUnavailable if nobody is left."""
    expert = role == "expert"
    matcher = Matcher(pool, params)
    skipped: Counter = Counter()
    for cert_no, ticket in _walk(seed, target, matcher.fit(target, expert)):
        if cert_no in excluded:
            skipped["already_on_team"] += 1
        elif cert_no in unavailable:
            skipped["unavailable"] += 1
        elif not expert and load.get(cert_no, 0) >= cap:
            skipped["fair_share"] += 1
        else:
            return Member(cert_no, role, ticket)
    rejected = matcher.rejections(target, expert) + skipped
    raise TeamsUnavailable(
        [Shortfall(target.credit_code, "experts" if expert else "officers", 0, 1, rejected)]
    )
