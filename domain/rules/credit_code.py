"""Unified social credit codes (统一社会信用代码), GB 32100-2015."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """Why `code` is not a valid credit code, or None when it is."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实为{len(code)}位 (must be 18 characters)"
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return f"含非法字符 {''.join(bad)} (characters not allowed by GB 32100)"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"校验码错误，应为 {expected} (check character should be {expected})"
    return None


def normalize(code: str) -> str:
    return code.strip().upper()


def complete(first17: str) -> str:
    """A valid code from its first 17 characters (used for demo data and tests)."""
    return first17 + check_character(first17)
