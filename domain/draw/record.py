"""The draw record: one canonical JSON document holding every input and output of a draw.

Canonical form: JSON with sorted keys, separators "," and ":" (no whitespace), non-ASCII kept
as is, encoded in UTF-8; no floats anywhere (ratios are decimal strings). `record_hash` is the
SHA-256 (hex) of the canonical form of the record without its `record_hash` field.

Conventions, also written into every record under `algorithm` so it documents itself:
- `commitment = SHA-256(secret)`, `seed = SHA-256(secret + ":" + entropy)` (see `seed.py`);
- a candidate digest is the SHA-256 of the ids sorted by code point, each followed by "\\n"
  (so the text ends with a newline; an empty list hashes the empty string), UTF-8;
- tickets are consistent_sampler 1.0.10 first-generation tickets (see `tickets.py`).

The record holds the inspector pool as frozen at prepare time (cert number, department path,
certificate end, specialties, patch, expert, active) and, for each drawn target, the facts the
team rules read (categories in scope, jurisdiction, declared conflicts, previous team): with
them the teams can be recomputed from the record alone. The candidate id lists, which can hold
a million ids, are published beside it (`candidates.py`) and checked against the digests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring  # what `canonical` writes a str key with
from typing import Any, TypeVar

from domain.draw.seed import commitment_of, normalize_entropy, seed_of, sha256_hex
from domain.draw.teams import Inspector, Member, TargetFacts, TeamParams
from domain.errors import UserError

# A member's canonical text, as a string or as its UTF-8.
P = TypeVar("P", str, bytes | bytearray)
FORMAT = "shuangsuiji-draw-record"
VERSION = 1
ALGORITHM = {
    "name": "consistent-sampling",
    "version": 2,
    "reference": "Rivest, consistent_sampler 1.0.10 (first-generation tickets, compared as "
    "strings, then by id)",
    "ticket": "'0.' + reversed(decimal, zero-padded to 64 digits, of int(SHA-256(SHA-256hex(seed)"
    " + id)))",
    "targets": "per stratum, the ceil(ratio% x eligible) smallest tickets under the seed",
    "teams": "officers: the smallest per-officer cap c* with which every target gets team_size "
    "who meet every rule; targets in ticket order each take, in ticket order under "
    "'<seed>/<credit code>', who meet the rules and are under c*; a target left short takes one "
    "more by the shortest chain of swaps (breadth first, candidates in pool order); experts: "
    "the first who meet the rules, uncapped; members in ticket order, the first officer leads "
    "(docs/draw-record.md, Team assignment)",
    "seed": "SHA-256 hex of UTF-8 (secret + ':' + entropy); commitment = SHA-256 hex of secret",
    "digest": "SHA-256 hex of UTF-8 ids sorted by code point, each followed by '\\n'",
    "snapshot_digest": "SHA-256 hex of the canonical JSON list of pool members sorted by cert_no",
    "record_hash": "SHA-256 hex of the canonical JSON (sorted keys, no spaces, UTF-8) without "
    "record_hash",
}
# Every top-level member a record may have. `verify` refuses any other: a member nothing
# recomputes would otherwise ride along under a freshly computed record_hash.
FIELDS = frozenset(
    {
        "format", "version", "algorithm", "campaign", "scope", "commitment", "secret",
        "entropy", "seed", "practice", "beacon", "prepared_at", "revealed_at", "exclusions",
        "pool", "team_params", "strata", "targets", "teams", "fairness", "amendments",
        "record_hash",
    }
)  # fmt: skip

__all__ = [
    "ALGORITHM",
    "FIELDS",
    "FORMAT",
    "VERSION",
    "RecordError",
    "VerifyFailed",
    "canonical",
    "commitment_of",
    "dumps",
    "hash_of",
    "ids_digest",
    "loads",
    "normalize_entropy",
    "sealed",
    "seed_of",
    "snapshot_digest",
    "take_count",
]


class RecordError(UserError):
    """The file is not a well-formed draw record."""


class VerifyFailed(Exception):
    """A recomputed value differs from the record: the message names the first difference."""


def _no_float(text: str) -> Any:
    raise RecordError(f"记录中不应有浮点数 {text} (records hold no floats; ratios are strings)")


def ids_digest(ids: Sequence[str]) -> str:
    """SHA-256 of the sorted ids, each followed by a newline (UTF-8). One join rather than an
    update per id: a million-id stratum list is digested at prepare and again by verify."""
    ordered = sorted(ids)
    text = "\n".join(ordered) + "\n" if ordered else ""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lines_digest(text: str) -> str:
    """`ids_digest` of ids given as their sorted text, one per line."""
    return hashlib.sha256((text + "\n" if text else "").encode("utf-8")).hexdigest()


def snapshot_digest(pool: Sequence[Inspector]) -> str:
    """SHA-256 of the canonical JSON list of the pool's attributes, sorted by cert number: the
    ids digest says who was in the pool, this one also says with which attributes. Publish both
    at prepare time so nobody can edit a certificate date or a patch before the reveal."""
    return sha256_hex(canonical([inspector_json(p) for p in sorted(pool, key=lambda p: p.cert_no)]))


def take_count(eligible: int, ratio_percent: str | Decimal) -> int:
    """min(eligible, ceil(ratio% × eligible)), in exact decimal arithmetic."""
    ratio = Decimal(str(ratio_percent))
    if not ratio.is_finite() or ratio < 0:
        raise ValueError(f"ratio must be a non-negative percentage, not {ratio_percent!r}")
    numerator, denominator = ratio.as_integer_ratio()
    return min(eligible, -((-numerator * eligible) // (denominator * 100)))


def canonical(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def hash_of(record: dict) -> str:
    body = {k: v for k, v in record.items() if k != "record_hash"}
    return sha256_hex(canonical(body))


def sealed(record: dict) -> dict:
    return seal(record)[0]


def seal(record: dict) -> tuple[dict, str]:
    """The record with its hash, and its canonical text."""
    digest, text = seal_texts({k: canonical(v) for k, v in record.items() if k != "record_hash"})
    return {**record, "record_hash": digest}, text


def seal_texts(parts: dict[str, str]) -> tuple[str, str]:
    """The hash and canonical text of a record given as its members' canonical texts. A big
    record's body is encoded once (not once to hash it and again to store it): the canonical
    text of a dict is its keys' texts in order, so the hash is fed part by part and only the
    text stored is joined whole (a big draw's record is tens of MB)."""
    digest = texts_hash(parts)
    return digest, "".join(object_pieces({**parts, "record_hash": canonical(digest)}))


def seal_encoded(parts: dict[str, bytes | bytearray]) -> tuple[str, list[bytes | bytearray]]:
    """`seal_texts` for members already encoded in UTF-8 (a record with any non-Latin-1
    character, a campaign's name, is two or four bytes per character as a Python string, and
    most of it is ASCII), the text given as the pieces to write one after the other, in UTF-8:
    a big draw's record is never held whole, nor twice. `parts` is emptied into the pieces."""
    digest = texts_hash(parts)
    parts["record_hash"] = canonical(digest).encode("utf-8")
    pieces = [_utf8(piece) for piece in object_pieces(parts)]
    parts.clear()
    return digest, pieces


def texts_hash(parts: Mapping[str, P]) -> str:
    """The hash of a record given as its members' canonical texts (without `record_hash`),
    as strings or as their UTF-8."""
    hasher = hashlib.sha256()
    for piece in object_pieces(parts):
        hasher.update(_utf8(piece))
    return hasher.hexdigest()


def _utf8(piece: str | bytes | bytearray) -> bytes | bytearray:
    return piece.encode("utf-8") if isinstance(piece, str) else piece


def object_pieces(texts: Mapping[str, P]) -> Iterator[str | P]:
    """The canonical text of a JSON object whose members' canonical texts are `texts`, in
    pieces to join (or to hash one by one): keys sorted as `canonical` sorts them, each with
    what goes before it; members given in UTF-8 stay so."""
    yield "{"
    for n, key in enumerate(sorted(texts)):
        yield ("," if n else "") + encode_basestring(key) + ":"
        yield texts[key]
    yield "}"


def dumps(record: dict) -> bytes:
    return canonical(record).encode("utf-8")


def loads(data: bytes | str) -> dict:
    """Parse a record; the content is not checked here (that is `verify`'s work)."""
    try:
        record = json.loads(data, parse_float=_no_float)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordError(f"不是有效的 JSON 文件 (not valid JSON): {exc}") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise RecordError(f"不是抽取记录 (not a draw record: format must be {FORMAT!r})")
    if record.get("version") != VERSION:
        raise RecordError(f"不支持的记录版本 {record.get('version')!r} (supported: {VERSION})")
    return record


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
    return TeamParams(**{**d, "due_date": dt.date.fromisoformat(d["due_date"])})


def member_json(m: Member) -> dict:
    return {"cert_no": m.cert_no, "role": m.role, "ticket": m.ticket}


def member_from(d: dict) -> Member:
    return Member(d["cert_no"], d["role"], d["ticket"])
