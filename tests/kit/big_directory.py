"""A city's whole directory, generated: a district-level city, its items, `count` businesses
written as a directory CSV (read by the real importer) and an inspector pool whose specialties
are spread unevenly, so that one category (RARE) has a pool of only `rare_officers`."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from demo.categories import CATEGORIES
from domain.rules.credit_code import complete
from domain.storage.models import Department, InspectionItem, Inspector

CITY = "419900"
DISTRICTS = [f"4199{n:02d}" for n in range(2, 7)]
RARE = CATEGORIES[-1]
COMMON = CATEGORIES[:-1]
HEADERS = ["credit_code", "name", "categories", "region", "status", "jurisdiction"]
HEADERS += ["complaints", "risk_class"]


async def departments() -> Department:
    city = await Department.create(code=CITY, name="示范市人防办", path=f"/{CITY}/")
    for code in DISTRICTS:
        await Department.create(
            code=code, name=f"{code}区人防办", parent=city, path=f"/{CITY}/{code}/"
        )
    return city


async def items(city: Department, ratio: int) -> list[str]:
    codes = []
    for n, start in enumerate(range(0, len(CATEGORIES), 2)):
        code = f"RF-BIG-{n + 1:02d}"
        await InspectionItem.create(
            code=code, name=f"事项{n + 1}", legal_basis="《人民防空法》", body=city,
            content="检查", categories=list(CATEGORIES[start : start + 2]), ratio_percent=ratio,
        )  # fmt: skip
        codes.append(code)
    return codes


def targets_csv(path: Path, count: int, rare_every: int) -> Path:
    """One business in `rare_every` has RARE as its only category; ~3 % are not operating."""
    rng = random.Random(2026)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for n in range(count):
            district = DISTRICTS[n % len(DISTRICTS)]
            category = RARE if n % rare_every == 0 else rng.choice(COMMON)
            status = "closed" if n % 100 == 7 else "deregistered" if n % 100 == 13 else ""
            writer.writerow(
                [
                    complete(f"91{district}MA{n:07d}"),
                    f"示范人防工程第{n}号有限公司",
                    category,
                    district,
                    status,
                    district,
                    str(n % 7 // 2),  # 0-3: one in seven reaches the high-risk threshold
                    "ABCD"[(n // 5) % 4],
                ]
            )
    return path


async def inspectors(count: int, rare_officers: int) -> None:
    """Each officer has a patch (所所交叉 applies) and one to three common specialties, the
    first categories far more often than the last; RARE only for the first `rare_officers`,
    one patch after another so that every RARE business keeps most of them."""
    ids = {d.code: d.id for d in await Department.filter(code__in=DISTRICTS)}
    rng = random.Random(7)
    people = []
    for n in range(count):
        district = ids[DISTRICTS[n % len(DISTRICTS)]]
        weights = [2 ** (len(COMMON) - k) for k in range(len(COMMON))]
        specialties = set(rng.choices(COMMON, weights=weights, k=rng.randint(1, 3)))
        specialties.add(COMMON[n % len(COMMON)])  # every common category has some officers
        if n < rare_officers:
            specialties.add(RARE)
        people.append(
            Inspector(
                cert_no=f"RFZF{CITY}{n:05d}",
                name=f"检查员{n}",
                department_id=district,
                patch_id=district,
                cert_valid_until=dt.date(2030, 1, 1),
                specialties=sorted(specialties),
            )
        )
    await Inspector.bulk_create(people)
