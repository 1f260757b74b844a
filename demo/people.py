"""The inspector directory (执法检查人员名录库), built per level, and declared conflicts."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from demo import categories as c
from demo import names
from demo.places import CITY_CODE, DISTRICTS
from demo.spec import ConflictSpec, InspectorSpec, TargetSpec
from domain.storage.models import TargetStatus

# Enough officers per specialty that a demo draw forms full teams under the fair-share cap
# whatever the seed (with 9 officers sharing each field by 5, about one draw in eight failed).
CITY_OFFICERS = 14
SHARED_BY = 8
COUNTY_OFFICERS = {"419802": 5, "419803": 4, "419825": 3}
# Fixed calendar dates, so the same seed gives the same data on any day: valid certificates run
# to 2028-2030, the expired ones ran out in 2024-2025.
VALID_ISSUE_YEARS = (2023, 2024, 2025)
EXPIRED_ISSUE_YEARS = (2019, 2020)
CERT_YEARS = 5
EXPIRED_BY = dt.date(2026, 12, 31)  # every lapsed certificate ran out before this day
EXPERTS = (
    (c.DESIGN, c.DRAWING_REVIEW),
    (c.EQUIPMENT_MAKING, c.EQUIPMENT_INSTALLING, c.TESTING),
    (c.ALARM, c.PEACETIME_USE),
)
EXPERT_TERM_END = dt.date(2028, 12, 31)
COUNTY_SPECIALTIES = (c.PEACETIME_USE, c.ALARM)
CONFLICTS = 5


def build_inspectors(rng: random.Random) -> list[InspectorSpec]:
    taken: set[str] = set()
    people: list[InspectorSpec] = []
    for j in range(CITY_OFFICERS):
        people.append(
            _officer(rng, taken, CITY_CODE, j + 1, _city_specialties(j), DISTRICTS[j % 3].code)
        )
    for code, count in COUNTY_OFFICERS.items():
        for i in range(count):
            specialties: tuple[str, ...] = COUNTY_SPECIALTIES
            if rng.random() < 0.5:
                specialties += (c.EQUIPMENT_INSTALLING,)
            people.append(_officer(rng, taken, code, i + 1, specialties, code))
    people = _with_lapses(people, rng)
    for i, specialties in enumerate(EXPERTS, start=1):
        people.append(
            InspectorSpec(
                cert_no=f"RFZJ-{CITY_CODE}-{i:03d}",
                name=_person(rng, taken),
                department_code=CITY_CODE,
                cert_valid_until=EXPERT_TERM_END,
                specialties=specialties,
                patch_code=None,
                is_expert=True,
                active=True,
            )
        )
    return people


def _city_specialties(j: int) -> tuple[str, ...]:
    """Each category goes to SHARED_BY consecutive officers, whose patches cycle through the
    districts: for a business in any district, at least three of them are from another patch
    (所所交叉), so a team of two can still be drawn when one certificate has lapsed."""
    return tuple(cat for k, cat in enumerate(c.CATEGORIES) if (j - k) % CITY_OFFICERS < SHARED_BY)


def _officer(
    rng: random.Random,
    taken: set[str],
    department: str,
    number: int,
    specialties: tuple[str, ...],
    patch: str,
) -> InspectorSpec:
    issued = _issue_date(rng, VALID_ISSUE_YEARS)
    return InspectorSpec(
        cert_no=f"{department}{issued.year % 100:02d}{number:04d}",
        name=_person(rng, taken),
        department_code=department,
        cert_valid_until=_valid_until(issued),
        specialties=specialties,
        patch_code=patch,
        is_expert=False,
        active=True,
    )


def _with_lapses(officers: list[InspectorSpec], rng: random.Random) -> list[InspectorSpec]:
    """Three certificates not renewed (one city, two county) and one officer retired."""
    city = [i for i, o in enumerate(officers) if o.department_code == CITY_CODE]
    county = [i for i, o in enumerate(officers) if o.department_code != CITY_CODE]
    expired = [rng.choice(city), *rng.sample(county, 2)]
    retired = rng.choice([i for i in county if i not in expired])
    result = list(officers)
    for i in expired:
        issued = _issue_date(rng, EXPIRED_ISSUE_YEARS)
        cert_no = officers[i].cert_no
        result[i] = replace(
            officers[i],
            cert_no=cert_no[:6] + f"{issued.year % 100:02d}" + cert_no[8:],
            cert_valid_until=_valid_until(issued),
        )
    result[retired] = replace(result[retired], active=False)
    return result


def _issue_date(rng: random.Random, years: tuple[int, ...]) -> dt.date:
    return dt.date(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28))


def _valid_until(issued: dt.date) -> dt.date:
    return issued.replace(year=issued.year + CERT_YEARS) - dt.timedelta(days=1)


def _person(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(names.SURNAMES) + rng.choice(names.GIVEN_NAMES)
        if name not in taken:
            taken.add(name)
            return name


def build_conflicts(
    rng: random.Random, inspectors: list[InspectorSpec], targets: list[TargetSpec]
) -> list[ConflictSpec]:
    """Officers who declared a tie to a business they could otherwise be drawn for: in their
    field and outside their own patch."""
    officers = [
        p for p in inspectors if not p.is_expert and p.active and p.cert_valid_until > EXPIRED_BY
    ]
    conflicts: list[ConflictSpec] = []
    for person in rng.sample(officers, CONFLICTS):
        candidates = [
            t
            for t in targets
            if t.status == TargetStatus.OPERATING
            and t.region_code != person.patch_code
            and any(cat in person.specialties for cat in t.categories)
        ]
        target = rng.choice(candidates)
        conflicts.append(
            ConflictSpec(person.cert_no, target.credit_code, rng.choice(names.CONFLICT_REASONS))
        )
    return conflicts
