"""A draw's targets and teams recomputed from docs/draw-record.md alone, over the record's plain
JSON values: what an outside auditor would write. Imports nothing from the project, so that a
test comparing it with `domain.draw` checks the document as much as the code."""

from __future__ import annotations

import hashlib
from collections import deque
from decimal import Decimal


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ticket(seed: str, object_id: str) -> str:
    """ "Tickets": H = SHA-256 hex of the seed; n = SHA-256 of H + id; reversed decimal."""
    n = int(sha(sha(seed) + object_id), 16)
    return "0." + f"{n:064d}"[::-1]


def take(eligible: int, ratio: str) -> int:
    """min(eligible, ceil(ratio% x eligible)), exactly."""
    exact = Decimal(ratio) * eligible / 100
    whole = int(exact)
    return min(eligible, whole + (exact > whole))


def drawn(seed: str, strata: dict[str, list[str]], ratios: dict[str, str]) -> dict[str, list]:
    """Per stratum, the `take` smallest (ticket, id), in ticket order."""
    found = {}
    for name, ids in strata.items():
        ranked = sorted((ticket(seed, i), i) for i in ids)
        found[name] = [(i, t) for t, i in ranked[: take(len(ids), ratios[name])]]
    return found


def _passes(person: dict, target: dict, params: dict) -> bool:
    """Step 2's rules, the kind of inspector aside."""
    return (
        person["active"]
        and person["cert_valid_until"] >= params["due_date"]  # ISO dates order as text
        and person["department_path"].startswith(params["department_path"])
        and bool(set(person["specialties"]) & set(target["categories"]))
        and person["cert_no"] not in target["conflicts"]
        and not (
            params["avoid_own_jurisdiction"]
            and person["patch_code"] is not None
            and person["patch_code"] == target["jurisdiction_code"]
        )
        and not (params["avoid_previous_team"] and person["cert_no"] in target["previous_team"])
    )


def _feasible(cands: list[list[int]], k: int, cap: int) -> bool:
    """Step 4: k distinct candidates per target, nobody on more than `cap` teams, by plain
    max-flow (source -> target k, target -> candidate 1, candidate -> sink cap)."""
    people = sorted({p for c in cands for p in c})
    nodes = 2 + len(cands) + len(people)
    sink = nodes - 1
    room: dict[tuple[int, int], int] = {}
    for t, c in enumerate(cands):
        room[0, 1 + t] = k
        for p in c:
            room[1 + t, 1 + len(cands) + people.index(p)] = 1
    for n in range(len(people)):
        room[1 + len(cands) + n, sink] = cap
    out: dict[int, list[int]] = {}
    for a, b in list(room):
        room.setdefault((b, a), 0)
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    flow = 0
    while True:
        back = {0: 0}
        queue = deque([0])
        while queue and sink not in back:
            a = queue.popleft()
            for b in out.get(a, []):
                if b not in back and room[a, b] > 0:
                    back[b] = a
                    queue.append(b)
        if sink not in back:
            return flow == k * len(cands)
        b = sink
        while b:
            a = back[b]
            room[a, b] -= 1
            room[b, a] += 1
            b = a
        flow += 1


class Failed(Exception):
    """The draw fails: `codes` are the targets named, `needed` "officers" or "experts"."""

    def __init__(self, needed: str, codes: list[str]) -> None:
        super().__init__(f"{needed}: {codes}")
        self.needed, self.codes = needed, codes


def teams(
    seed: str, order: list[str], targets: dict, members: list[dict], params: dict
) -> tuple[list[dict], dict]:
    """The record's `teams` and `fairness` for the drawn targets in `order` (step 1)."""
    k = params["team_size"]

    def tickets_for(code: str) -> dict[int, str]:
        return {p: ticket(f"{seed}/{code}", m["cert_no"]) for p, m in enumerate(members)}

    def candidates(code: str, expert: bool) -> list[int]:  # pool order
        return [
            p
            for p, m in enumerate(members)
            if m["is_expert"] == expert and _passes(m, targets[code], params)
        ]

    def in_ticket_order(code: str, positions: list[int]) -> list[int]:
        own = tickets_for(code)
        return sorted(positions, key=lambda p: (own[p], members[p]["cert_no"]))

    cands = [candidates(code, False) for code in order]
    short = [code for code, c in zip(order, cands, strict=True) if len(c) < k]
    if short:
        raise Failed("officers", short)
    cap = next(c for c in range(1, len(order) + 2) if _feasible(cands, k, c))
    team: list[list[int]] = [[] for _ in order]
    load: dict[int, int] = {}
    for n, code in enumerate(order):
        for p in in_ticket_order(code, cands[n]):  # step 5a
            if len(team[n]) < k and load.get(p, 0) < cap:
                team[n].append(p)
                load[p] = load.get(p, 0) + 1
        while len(team[n]) < k:  # step 5b
            _chain(n, cands, team, load, cap)
    found, lacking = [], []
    for n, code in enumerate(order):
        own = tickets_for(code)
        officers = in_ticket_order(code, team[n])
        experts = in_ticket_order(code, candidates(code, True))[: params["experts_per_team"]]
        if len(experts) < params["experts_per_team"]:
            lacking.append(code)
        roles = ["leader"] + ["member"] * (k - 1) + ["expert"] * len(experts)
        found.append(
            {
                "target": code,
                "members": [
                    {"cert_no": members[p]["cert_no"], "role": role, "ticket": own[p]}
                    for p, role in zip(officers + experts, roles, strict=True)
                ],
            }
        )
    if lacking:
        raise Failed("experts", lacking)
    return found, _fairness(cap, cands, load)


def _chain(n: int, cands: list[list[int]], team: list[list[int]], load: dict, cap: int) -> None:
    queue, queued = deque([n]), {n}
    examined: dict[int, int] = {}
    reached_by: dict[int, int] = {}
    while queue:
        t = queue.popleft()
        for p in cands[t]:
            if p in team[t] or p in examined:
                continue
            examined[p] = t
            if load.get(p, 0) < cap:
                load[p] = load.get(p, 0) + 1
                t = examined[p]
                while True:
                    team[t].append(p)
                    if t == n:
                        return
                    q = reached_by[t]
                    team[t].remove(q)
                    p, t = q, examined[q]
            for h in range(len(team)):
                if p in team[h] and h not in queued:
                    queued.add(h)
                    reached_by[h] = p
                    queue.append(h)
    raise AssertionError("no chain under a feasible cap")


def _fairness(cap: int, cands: list[list[int]], load: dict[int, int]) -> dict:
    officers = sorted({p for c in cands for p in c})
    loads = [load.get(p, 0) for p in officers]
    mean = (Decimal(sum(loads)) / max(len(loads), 1)).quantize(Decimal("0.01"))  # half even
    return {
        "cap": cap,
        "officers": len(officers),
        "most": max(loads, default=0),
        "least": min(loads, default=0),
        "mean": str(mean),
    }
