"""The draw record: one canonical JSON document holding every input and output of a draw.

Canonical form: UTF-8 JSON with sorted keys, no insignificant whitespace, non-ASCII kept. The
record's hash is the SHA-256 of that form of the record without its `record_hash` field.
Entropy and seed: `seed = SHA-256(secret + ":" + entropy)` (hex); `commitment = SHA-256(secret)`.
Candidate digests: SHA-256 of the sorted ids, each followed by a newline.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from decimal import Decimal
from typing import Any

from domain.draw.teams import Inspector, Member, TargetFacts, TeamParams
from domain.errors import UserError

FORMAT = "shuangsuiji-draw-record"
VERSION = 1
ALGORITHM = {
    "name": "consistent-sampling",
    "reference": "Rivest, consistent_sampler 1.0.10 (first-generation tickets)",
    "targets": "per stratum, the ceil(ratio% x eligible) smallest tickets under the seed",
    "teams": "targets in ticket order; pool in ticket order under '<seed>/<credit code>'",
    "version": 1,
}
MIN_DICE_DIGITS = 20


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ids_digest(ids: list[str]) -> str:
    return sha256_hex("".join(f"{i}\n" for i in sorted(ids)))


def commitment_of(secret: str) -> str:
    return sha256_hex(secret)


def seed_of(secret: str, entropy: str) -> str:
    return sha256_hex(f"{secret}:{entropy}")


def normalize_entropy(dice: str = "", beacon: str = "") -> str:
    """Dice digits (several parties' rolls may be separated by spaces, commas or slashes) and/or
    a beacon value, as the one string the seed is made from: `dice:<digits>` / `beacon:<value>`."""
    parts = []
    if dice.strip():
        digits = re.sub(r"[\s,，/|;；]+", "", dice)
        if not digits.isdigit():
            raise UserError("骰子点数只能是数字 (dice rolls must be decimal digits)")
        if len(digits) < MIN_DICE_DIGITS:
            raise UserError(
                f"骰子点数至少 {MIN_DICE_DIGITS} 位，实为 {len(digits)} 位 "
                f"(at least {MIN_DICE_DIGITS} digits)"
            )
        parts.append(f"dice:{digits}")
    if beacon.strip():
        value = beacon.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{32,}", value):
            raise UserError("信标值应为十六进制随机数 (beacon value must be hex)")
        parts.append(f"beacon:{value}")
    if not parts:
        raise UserError("请输入公开的随机数：骰子点数或信标值 (dice digits or a beacon value)")
    return "|".join(parts)


def take_count(eligible: int, ratio_percent: str | Decimal) -> int:
    return min(eligible, math.ceil(Decimal(str(ratio_percent)) * eligible / 100))


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def hash_of(record: dict) -> str:
    body = {k: v for k, v in record.items() if k != "record_hash"}
    return sha256_hex(canonical(body))


def sealed(record: dict) -> dict:
    return {**record, "record_hash": hash_of(record)}


def inspector_json(p: Inspector) -> dict:
    return {
        "cert_no": p.cert_no,
        "department_path": p.department_path,
        "cert_valid_until": p.cert_valid_until.isoformat(),
        "specialties": sorted(p.specialties),
        "patch_code": p.patch_code,
        "is_expert": p.is_expert,
        "active": p.active,
    }


def inspector_from(d: dict) -> Inspector:
    import datetime as dt

    return Inspector(
        cert_no=d["cert_no"],
        department_path=d["department_path"],
        cert_valid_until=dt.date.fromisoformat(d["cert_valid_until"]),
        specialties=frozenset(d["specialties"]),
        patch_code=d.get("patch_code"),
        is_expert=bool(d.get("is_expert")),
        active=bool(d.get("active", True)),
    )


def target_json(t: TargetFacts) -> dict:
    return {
        "categories": sorted(t.categories),
        "jurisdiction_code": t.jurisdiction_code,
        "conflicts": sorted(t.conflicts),
        "previous_team": sorted(t.previous_team),
    }


def target_from(code: str, d: dict) -> TargetFacts:
    return TargetFacts(
        code,
        frozenset(d["categories"]),
        d.get("jurisdiction_code"),
        frozenset(d.get("conflicts", ())),
        frozenset(d.get("previous_team", ())),
    )


def params_json(p: TeamParams) -> dict:
    d = dataclasses.asdict(p)
    d["due_date"] = p.due_date.isoformat()
    return d


def params_from(d: dict) -> TeamParams:
    import datetime as dt

    return TeamParams(**{**d, "due_date": dt.date.fromisoformat(d["due_date"])})


def member_json(m: Member) -> dict:
    return {"cert_no": m.cert_no, "role": m.role, "ticket": m.ticket}
