"""The whole demo data set from one seed, as plain values (no database)."""

from __future__ import annotations

import random

from demo.items import ITEMS
from demo.people import build_conflicts, build_inspectors
from demo.places import departments
from demo.spec import DemoData
from demo.targets import build_targets

DEFAULT_SEED = 2025


def build_demo(seed: int = DEFAULT_SEED) -> DemoData:
    """Same seed, same data — names, codes, coordinates and all."""
    # One generator per part: adding a field to one part does not reshuffle the others.
    targets = build_targets(random.Random(f"{seed}/targets"))
    inspectors = build_inspectors(random.Random(f"{seed}/inspectors"))
    conflicts = build_conflicts(random.Random(f"{seed}/conflicts"), inspectors, targets)
    return DemoData(
        seed=seed,
        departments=departments(),
        items=ITEMS,
        targets=tuple(targets),
        inspectors=tuple(inspectors),
        conflicts=tuple(conflicts),
    )
