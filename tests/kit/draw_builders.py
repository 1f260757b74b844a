"""A complete draw record built the way the reveal builds it, from synthetic but plausible data."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from domain.draw.compute import build_record, run
from domain.draw.record import ids_digest, take_count
from domain.draw.seed import commitment_of, generate_secret, normalize_entropy, seed_of
from domain.draw.teams import Inspector, TargetFacts, TeamParams

CATEGORIES = ("人防工程设计", "人防工程监理", "人防工程质量检测", "人防工程平时使用")
DISTRICTS = ("419802", "419803", "419825")
DICE = "27182818284590452353 60287471352662497757"


@dataclass
class Draw:
    record: dict
    strata: dict[str, list[str]]
    pool: list[Inspector]
    facts: dict[str, TargetFacts]
    parts: dict  # build_record's arguments


def credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + "".join(rng.choice(alphabet) for _ in range(16))


def make_draw(
    *, per_stratum: int = 120, ratio: str = "5", experts: int = 1, seed_text: str = "demo"
) -> Draw:
    rng = random.Random(seed_text)
    strata = {
        f"{d}:{risk}": sorted({credit_code(rng) for _ in range(per_stratum)})
        for d in DISTRICTS
        for risk in "AB"
    }
    strata["high-risk"] = sorted({credit_code(rng) for _ in range(per_stratum // 4)})
    ratios = {name: ("50" if name == "high-risk" else ratio) for name in strata}
    pool = [
        Inspector(
            cert_no=f"RFZF-4198-{n:03d}",
            department_path=rng.choice(("/41/4198/", "/41/4198/419802/", "/41/4198/419803/")),
            cert_valid_until=dt.date(2027 + n % 3, 1, 1),
            specialties=frozenset(rng.sample(CATEGORIES, 3)),
            patch_code=rng.choice(DISTRICTS),
            active=n % 17 != 5,
        )
        for n in range(40)
    ] + [
        Inspector(
            f"RFZJ-4198-{n:03d}",
            "/41/4198/",
            dt.date(2028, 12, 31),
            frozenset(CATEGORIES),
            None,
            is_expert=True,
        )
        for n in range(4)
    ]
    certs = [p.cert_no for p in pool]
    facts = {
        code: TargetFacts(
            code,
            frozenset(rng.sample(CATEGORIES, rng.choice((1, 2)))),
            name.split(":")[0] if ":" in name else rng.choice(DISTRICTS),
            frozenset(rng.sample(certs, 1)) if rng.random() < 0.1 else frozenset(),
            frozenset(rng.sample(certs, 2)) if rng.random() < 0.2 else frozenset(),
        )
        for name, ids in strata.items()
        for code in ids
    }
    params = TeamParams("/41/4198/", dt.date(2026, 9, 30), experts_per_team=experts)
    secret = generate_secret()
    entropy = normalize_entropy(DICE)
    seed = seed_of(secret, entropy)
    drawn, teams = run(seed, strata, ratios, facts, pool, params)
    drawn_codes = [c for pairs in drawn.values() for c, _ in pairs]
    parts = dict(
        header={
            "campaign": {"code": "RF-2026-01", "name": "2026 年人防工程双随机抽查"},
            "commitment": commitment_of(secret),
            "secret": secret,
            "entropy": entropy,
            "seed": seed,
            "practice": False,
            "beacon": None,
            "prepared_at": "2026-03-02T09:00:00+00:00",
            "revealed_at": "2026-03-03T09:00:00+00:00",
        },
        strata=[
            {
                "name": name,
                "eligible": len(ids),
                "take": take_count(len(ids), ratios[name]),
                "digest": ids_digest(ids),
            }
            for name, ids in sorted(strata.items())
        ],
        ratios=ratios,
        drawn=drawn,
        pool=pool,
        pool_digest=ids_digest(certs),
        facts={c: facts[c] for c in drawn_codes},
        params=params,
        teams=teams,
        exclusions={"status_closed": 7, "yearly_cap": 3},
    )
    return Draw(build_record(**parts), strata, pool, facts, parts)
