"""Officers onto teams as a b-matching: each target needs `k` distinct officers among its
candidates, each officer serves at most `c` teams. Plain integers in (pool positions, target
numbers), plain integers out; `teams.py` decides who the candidates are and in what order they
are tried. docs/draw-record.md ("Team assignment") states the algorithm for reimplementation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

# Targets with the same candidates, counted once: (how many targets, their candidate positions).
Group = tuple[int, Sequence[int]]


def feasible(groups: Sequence[Group], k: int, cap: int) -> bool:
    """Whether every target can get `k` distinct candidates with nobody on more than `cap`
    teams. Targets of a group are interchangeable: the group sends up to `count` units to each
    of its candidates (one per target), and such a flow splits into teams of distinct officers
    (deal each officer's units round-robin over the group's targets)."""
    need = sum(count * k for count, _ in groups)
    people = sorted({p for _, cands in groups for p in cands})
    node = {p: 1 + len(groups) + n for n, p in enumerate(people)}
    sink = 1 + len(groups) + len(people)
    graph: list[list[int]] = [[] for _ in range(sink + 1)]
    head: list[int] = []  # edge e goes to head[e]; e ^ 1 is its reverse
    room: list[int] = []

    def edge(a: int, b: int, capacity: int) -> None:
        graph[a].append(len(head))
        head.append(b)
        room.append(capacity)
        graph[b].append(len(head))
        head.append(a)
        room.append(0)

    for g, (count, cands) in enumerate(groups, start=1):
        edge(0, g, count * k)
        for p in cands:
            edge(g, node[p], count)
    for p in people:
        edge(node[p], sink, cap)
    return _max_flow(graph, head, room, sink) >= need


def _max_flow(graph: list[list[int]], head: list[int], room: list[int], sink: int) -> int:
    """Dinic's algorithm from node 0."""
    total = 0
    while True:
        level = [-1] * len(graph)
        level[0] = 0
        queue = deque([0])
        while queue:
            a = queue.popleft()
            for e in graph[a]:
                if room[e] and level[head[e]] < 0:
                    level[head[e]] = level[a] + 1
                    queue.append(head[e])
        if level[sink] < 0:
            return total
        at = [0] * len(graph)
        while sent := _push(0, 1 << 62, sink, graph, head, room, level, at):
            total += sent


def _push(a, amount, sink, graph, head, room, level, at) -> int:
    """One blocking-flow path from `a` (graphs here are four levels deep: no deep recursion)."""
    if a == sink:
        return amount
    edges = graph[a]
    while at[a] < len(edges):
        e = edges[at[a]]
        b = head[e]
        if room[e] and level[b] == level[a] + 1:
            sent = _push(b, min(amount, room[e]), sink, graph, head, room, level, at)
            if sent:
                room[e] -= sent
                room[e ^ 1] += sent
                return sent
        at[a] += 1
    return 0


def min_capacity(groups: Sequence[Group], k: int) -> int:
    """The smallest `cap` for which `feasible`; every target must have `k` candidates."""
    targets = sum(count for count, _ in groups)
    people = len({p for _, cands in groups for p in cands})
    low = max(1, -(-targets * k // max(people, 1)))  # fewer cannot hold every place
    if feasible(groups, k, low):
        return low
    high, step = low, 1
    while True:  # at cap = targets every target takes any k of its candidates
        bad, high = high, min(targets, high + step)
        if feasible(groups, k, high):
            break
        step *= 2
    while high - bad > 1:
        mid = (bad + high) // 2
        if feasible(groups, k, mid):
            high = mid
        else:
            bad = mid
    return high


class Assignment:
    """Teams as they are filled: `teams[t]` the positions on target t's team, `load[p]` how many
    teams position p is on, `holders[p]` the targets whose team p is on."""

    def __init__(self, targets: int, cap: int) -> None:
        self.cap = cap
        self.teams: list[list[int]] = [[] for _ in range(targets)]
        self.load: dict[int, int] = {}
        self.holders: dict[int, set[int]] = {}

    def add(self, t: int, p: int) -> None:
        self.teams[t].append(p)
        self.load[p] = self.load.get(p, 0) + 1
        self.holders.setdefault(p, set()).add(t)

    def full(self, p: int) -> bool:
        return self.load.get(p, 0) >= self.cap

    def augment(self, start: int, candidates) -> bool:
        """One more officer for target `start`, moving others along the shortest chain of
        swaps if needed: breadth first from `start`; a target taken from the queue examines its
        candidates in pool order (`candidates(t)`, ascending positions), skipping its own team
        and officers already examined; the first examined with room ends the search, otherwise
        each target that holds the officer (ascending target number) not yet queued is queued.
        Along the chain found each target gives up the officer it was reached by and takes the
        one it examined. False if no chain exists."""
        came_by: dict[int, int] = {}  # target -> the officer it was reached through
        via: dict[int, int] = {}  # officer -> the target that examined it
        seen_targets = {start}
        queue = deque([start])
        while queue:
            t = queue.popleft()
            own = set(self.teams[t])
            for p in candidates(t):
                if p in own or p in via:
                    continue
                via[p] = t
                if not self.full(p):
                    self._shift(p, via, came_by)
                    return True
                for holder in sorted(self.holders[p]):
                    if holder not in seen_targets:
                        seen_targets.add(holder)
                        came_by[holder] = p
                        queue.append(holder)
        return False

    def _shift(self, p: int, via: dict[int, int], came_by: dict[int, int]) -> None:
        t = via[p]
        self.load[p] = self.load.get(p, 0) + 1
        while True:
            self.teams[t].append(p)
            self.holders.setdefault(p, set()).add(t)
            if t not in came_by:
                return
            p = came_by[t]
            self.teams[t].remove(p)
            self.holders[p].discard(t)
            t = via[p]
