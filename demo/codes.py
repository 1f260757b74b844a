"""Identifiers that look like the real ones: credit codes and certificate numbers."""

from __future__ import annotations

import random

from domain.rules.credit_code import ALPHABET, complete

# 登记管理部门码 + 机构类别码 (GB 32100-2015 table 1).
ENTERPRISE = "91"  # 工商 · 企业
SOLE_TRADER = "92"  # 工商 · 个体工商户
INSTITUTION = "12"  # 机构编制 · 事业单位

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS = "0123456789"
# Letters of the credit-code alphabet; newer organisation codes use them after "MA".
_BODY = ALPHABET


def org_code(body8: str) -> str:
    """Organisation code (组织机构代码, GB 11714): 8 characters and their check character."""
    total = sum(_char_value(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def _char_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def credit_code(rng: random.Random, kind: str, division: str, legacy: bool) -> str:
    """A valid credit code registered in `division`; `legacy` ones (registered before 2015)
    carry an old all-digit organisation code, newer ones the "MA" series."""
    if kind == INSTITUTION:
        body = "4" + "".join(rng.choice(_DIGITS) for _ in range(7))
    elif legacy:
        body = rng.choice("0567") + "".join(rng.choice(_DIGITS) for _ in range(7))
    else:
        body = "MA" + "".join(rng.choice(_BODY) for _ in range(6))
    return complete(kind + division + org_code(body))
