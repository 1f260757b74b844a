"""The target directory (抽查对象名录库): ~320 businesses spread over the districts."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from demo import categories as c
from demo import codes, names
from demo.places import CITY_CODE, CITY_NAME, DISTRICTS, District
from demo.spec import TargetSpec
from domain.storage.models import RiskClass, TargetStatus

# How many businesses list each category as their main one (sums to 320).
MAIN_CATEGORY_COUNTS = {
    c.DESIGN: 28,
    c.SUPERVISION: 26,
    c.TESTING: 14,
    c.DRAWING_REVIEW: 8,
    c.EQUIPMENT_MAKING: 18,
    c.EQUIPMENT_INSTALLING: 34,
    c.PEACETIME_USE: 138,
    c.ALARM: 54,
}
# Professional firms hold city-issued qualifications, so the city office supervises them;
# shelter users and siren sites are supervised where they are (属地).
CITY_SUPERVISED = (c.DESIGN, c.SUPERVISION, c.TESTING, c.DRAWING_REVIEW, c.EQUIPMENT_MAKING)
MAKERS_WHO_INSTALL = 0.6
SOLE_TRADER_SHARE = 0.12  # of shelter users

# Fixed numbers rather than probabilities, so every seed shows every kind of record.
CLOSED, DEREGISTERED = 18, 12
ABNORMAL, BAD_RECORD, SERIOUS = 13, 19, 5


@dataclass
class _Draft:
    name: str
    categories: tuple[str, ...]
    district: District
    kind: str
    institution: bool = False


def build_targets(rng: random.Random) -> list[TargetSpec]:
    drafts = _drafts(rng)
    n = len(drafts)
    status = [TargetStatus.OPERATING] * n
    businesses = [i for i, d in enumerate(drafts) if not d.institution]
    picked = rng.sample(businesses, CLOSED + DEREGISTERED)
    for i in picked[:CLOSED]:
        status[i] = TargetStatus.CLOSED
    for i in picked[CLOSED:]:
        status[i] = TargetStatus.DEREGISTERED
    # A business that stopped trading often cannot be reached at its address any more.
    closed = picked[:CLOSED]
    abnormal = set(rng.sample(closed, ABNORMAL // 2))
    abnormal |= set(
        rng.sample([i for i in businesses if i not in abnormal], ABNORMAL - len(abnormal))
    )
    bad = set(rng.sample(range(n), BAD_RECORD))
    serious = set(rng.sample(sorted(bad), SERIOUS // 2))
    serious |= set(rng.sample([i for i in range(n) if i not in serious], SERIOUS - len(serious)))

    used_codes: set[str] = set()
    targets = []
    for i, d in enumerate(drafts):
        complaints = _complaints(rng, d.categories)
        facts = (complaints, i in abnormal, i in bad, i in serious)
        lat, lon = _near(rng, d.district)
        targets.append(
            TargetSpec(
                credit_code=_unique_code(rng, d, used_codes),
                name=d.name,
                categories=d.categories,
                region_code=d.district.code,
                address=_address(rng, d),
                latitude=lat,
                longitude=lon,
                status=status[i],
                jurisdiction_code=CITY_CODE
                if d.categories[0] in CITY_SUPERVISED
                else d.district.code,
                complaints=complaints,
                abnormal_listed=facts[1],
                bad_record=facts[2],
                serious_violation=facts[3],
                risk_class=_risk_class(rng, *facts),
            )
        )
    return targets


def _drafts(rng: random.Random) -> list[_Draft]:
    by_code = {d.code: d for d in DISTRICTS}
    taken: set[str] = set()
    drafts = [
        _Draft(name, (c.ALARM,), by_code[code], codes.INSTITUTION, institution=True)
        for name, code in names.INSTITUTIONS
    ]
    taken.update(d.name for d in drafts)
    for category, count in MAIN_CATEGORY_COUNTS.items():
        if category == c.ALARM:
            count -= len(names.INSTITUTIONS)
        for _ in range(count):
            district = _district(rng, category)
            cats: tuple[str, ...] = (category,)
            if category == c.EQUIPMENT_MAKING and rng.random() < MAKERS_WHO_INSTALL:
                cats = (category, c.EQUIPMENT_INSTALLING)
            sole = category == c.PEACETIME_USE and rng.random() < SOLE_TRADER_SHARE
            name = _unique_name(rng, category, district, sole, taken)
            kind = codes.SOLE_TRADER if sole else codes.ENTERPRISE
            drafts.append(_Draft(name, cats, district, kind))
    return drafts


def _district(rng: random.Random, category: str) -> District:
    weights = [d.share for d in DISTRICTS]
    if category in CITY_SUPERVISED:
        weights = [0.55, 0.37, 0.08]  # firms cluster in the two urban districts
    return rng.choices(DISTRICTS, weights)[0]


def _unique_name(
    rng: random.Random, category: str, district: District, sole: bool, taken: set[str]
) -> str:
    while True:
        brand = rng.choice(names.BRANDS)
        if sole:
            name = f"{CITY_NAME}{district.name}{brand}{rng.choice(names.SOLE_TRADER_TRADES)}"
        else:
            roll = rng.random()
            prefix = (
                CITY_NAME if roll < 0.6 else "河南" if roll < 0.85 else CITY_NAME + district.name
            )
            name = prefix + brand + rng.choice(names.INDUSTRY[category])
            if category in CITY_SUPERVISED and prefix == "河南" and rng.random() < 0.3:
                name += f"{CITY_NAME.removesuffix('市')}分公司"
        if name not in taken:
            taken.add(name)
            return name


def _unique_code(rng: random.Random, d: _Draft, used: set[str]) -> str:
    # Registered by the district's market regulator, or the city's for larger firms.
    division = d.district.code if d.kind != codes.ENTERPRISE or rng.random() < 0.7 else CITY_CODE
    legacy = rng.random() < 0.35
    while True:
        code = codes.credit_code(rng, d.kind, division, legacy)
        if code not in used:
            used.add(code)
            return code


def _address(rng: random.Random, d: _Draft) -> str:
    district = d.district
    town = rng.choice(district.towns) if district.towns else ""
    street = rng.choice(district.streets)
    number = rng.randint(1, 399)
    place = f"{CITY_NAME}{district.name}{town}{street}{number}号"
    roll = rng.random()
    if d.institution or roll < 0.3:
        return place
    if c.PEACETIME_USE in d.categories:
        # The shelter itself: the basement of a housing estate, a square or a hospital.
        site = rng.choice(("小区地下车库", "小区地下室", "广场地下一层", "商业街地下一层"))
        return f"{place}{rng.choice(names.BRANDS)}{site}"
    if d.kind == codes.SOLE_TRADER:
        return place
    if roll < 0.65:
        return f"{place}{rng.randint(1, 12)}号楼{rng.randint(1, 3)}单元{rng.randint(1, 24)}层"
    return f"{place}{rng.choice(names.BRANDS)}大厦{rng.randint(2, 28)}层"


def _near(rng: random.Random, district: District) -> tuple[float, float]:
    lat0, lon0 = district.centre
    km_per_deg_lat = 111.0
    km_per_deg_lon = 111.0 * math.cos(math.radians(lat0))
    lat = lat0 + rng.gauss(0, district.spread_km / 2) / km_per_deg_lat
    lon = lon0 + rng.gauss(0, district.spread_km / 2) / km_per_deg_lon
    return round(lat, 6), round(lon, 6)


def _complaints(rng: random.Random, categories: tuple[str, ...]) -> int:
    # Shelter users face the public (parking, shops), so they draw more complaints.
    busy = c.PEACETIME_USE in categories
    roll = rng.random()
    if roll < (0.70 if busy else 0.85):
        return 0
    if roll < (0.88 if busy else 0.95):
        return 1
    if roll < (0.96 if busy else 0.99):
        return 2
    return rng.randint(3, 9)


def _risk_class(
    rng: random.Random, complaints: int, abnormal: bool, bad: bool, serious: bool
) -> RiskClass:
    if serious:
        return RiskClass.D
    score = complaints + 2 * abnormal + 3 * bad
    roll = rng.random()
    if score >= 5:
        return RiskClass.D if roll < 0.5 else RiskClass.C
    if score >= 3:
        return RiskClass.C if roll < 0.6 else RiskClass.B
    if score >= 1:
        return RiskClass.B if roll < 0.75 else RiskClass.C if roll < 0.85 else RiskClass.A
    return RiskClass.A if roll < 0.42 else RiskClass.B if roll < 0.97 else RiskClass.C
