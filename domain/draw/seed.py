"""The seed of a draw, by commit and reveal: nobody can choose it alone.

1. Prepare: the system generates a secret and publishes `commitment = SHA-256(secret)` (hex of
   the UTF-8 secret), with the candidate digests and, if a beacon is used, its source and round.
2. Reveal: public entropy that did not exist at step 1 is entered; the seed is
   `SHA-256(secret + ":" + entropy)` (hex, UTF-8). The secret is then published in the record.

The entropy is one string, built from its parts in this order and joined by "|":
- `dice:<digits>`: decimal dice rolled before witnesses, at least 20 digits in all. Several
  parties' rolls are entered in the order they were rolled, separated by spaces, commas,
  slashes, "|" or ";" (ASCII or full-width); the separators are dropped and the digits
  concatenated: "12345 67890/1234567890" gives `dice:12345678901234567890`.
- `beacon:<value>`: the value (lowercase hex, at least 32 digits) of the beacon round fixed at
  prepare time; the record keeps the source and round next to it.
A practice draw uses `practice:<hex>` from the system's random generator and is marked so.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from domain.errors import UserError

MIN_DICE_DIGITS = 20
MIN_BEACON_HEX = 32
_SEPARATORS = re.compile(r"[\s,，/|;；、]+")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generate_secret() -> str:
    return secrets.token_hex(32)


def commitment_of(secret: str) -> str:
    return sha256_hex(secret)


def seed_of(secret: str, entropy: str) -> str:
    return sha256_hex(f"{secret}:{entropy}")


def practice_entropy() -> str:
    return f"practice:{secrets.token_hex(16)}"


def _dice_digits(dice: str) -> str:
    digits = _SEPARATORS.sub("", dice)
    if not digits.isascii() or not digits.isdigit():
        bad = sorted({c for c in digits if not ("0" <= c <= "9")})
        raise UserError(
            f"骰子点数只能是 0-9 的数字，发现「{''.join(bad)}」"
            "(dice rolls must be decimal digits; separate parties with spaces or /)"
        )
    if len(digits) < MIN_DICE_DIGITS:
        raise UserError(
            f"骰子点数至少 {MIN_DICE_DIGITS} 位，实为 {len(digits)} 位 "
            f"(at least {MIN_DICE_DIGITS} digits)"
        )
    return digits


def _beacon_value(beacon: str) -> str:
    value = beacon.strip().lower()
    if not re.fullmatch(rf"[0-9a-f]{{{MIN_BEACON_HEX},}}", value):
        raise UserError(
            f"信标值应为至少 {MIN_BEACON_HEX} 位的十六进制数，实为「{beacon.strip()[:80]}」"
            "(beacon value must be hex)"
        )
    return value


def normalize_entropy(dice: str = "", beacon: str = "") -> str:
    """Dice digits and/or a beacon value, as the one string the seed is made from."""
    parts = []
    if dice.strip():
        parts.append(f"dice:{_dice_digits(dice)}")
    if beacon.strip():
        parts.append(f"beacon:{_beacon_value(beacon)}")
    if not parts:
        raise UserError("请输入公开的随机数：骰子点数或信标值 (dice digits or a beacon value)")
    return "|".join(parts)


@dataclass(frozen=True)
class Entropy:
    dice: str | None = None
    beacon: str | None = None
    practice: str | None = None


def parse_entropy(entropy: str) -> Entropy:
    """The parts of a recorded entropy string; raises ValueError if it is not canonical."""
    if entropy.startswith("practice:"):
        value = entropy.removeprefix("practice:")
        if not re.fullmatch(r"[0-9a-f]{32,}", value):
            raise ValueError(f"practice entropy is not hex: {entropy!r}")
        return Entropy(practice=value)
    parts = dict(part.partition(":")[::2] for part in entropy.split("|"))
    dice, beacon = parts.pop("dice", None), parts.pop("beacon", None)
    if parts or (dice is None and beacon is None):
        raise ValueError(f"entropy is not dice:<digits> and/or beacon:<hex>: {entropy!r}")
    try:
        canonical = normalize_entropy(dice or "", beacon or "")
    except UserError as exc:
        raise ValueError(str(exc)) from None
    if canonical != entropy:
        raise ValueError(f"entropy is not in canonical form: {entropy!r}, expected {canonical!r}")
    return Entropy(dice=dice, beacon=beacon)


def check_beacon_spec(beacon: dict | None) -> None:
    """At prepare: a beacon must be named with the round whose value will be used."""
    if beacon is None:
        return
    if not str(beacon.get("source", "")).strip():
        raise UserError("请写明公共随机信标的来源，如 drand 或 NIST (beacon source required)")
    if not str(beacon.get("round", "")).isdigit():
        raise UserError("公共随机信标须事先确定轮次号 (beacon round number required)")
