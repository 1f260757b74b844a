"""The draw as one pure computation over frozen inputs; `verify` runs the same code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from json.encoder import encode_basestring as _q  # the string encoder `canonical` uses

from domain.draw.record import (
    ALGORITHM,
    FORMAT,
    VERSION,
    canonical,
    inspector_json,
    member_json,
    object_pieces,
    params_json,
    seal_encoded,
    sealed,
    snapshot_digest,
    take_count,
    target_json,
)
from domain.draw.teams import Inspector, Member, TargetFacts, TeamParams, Teams, assign_teams
from domain.draw.tickets import _fastticket, smallest


def select_targets(
    strata: dict[str, list[str]], ratios: dict[str, str], seed: str
) -> dict[str, list[tuple[str, str]]]:
    """Per stratum, the ceil(ratio × eligible) ids with the smallest tickets."""
    return {
        name: smallest(ids, seed, take_count(len(ids), ratios[name]))
        for name, ids in sorted(strata.items())
    }


def line_count(text: str) -> int:
    return text.count("\n") + 1 if text else 0


def line_ids(text: str) -> list[str]:
    """The ids of a frozen stratum's text, one per line (none in an empty text)."""
    return text.split("\n") if text else []


def sorted_lines(text: str) -> str:
    """The lines of `text` sorted (as Python sorts strings), joined again: a stratum's ids one per
    line, sorted without a Python string per id where the C helpers are built."""
    if _fastticket is not None:
        return _fastticket.sorted_lines(text)
    return "\n".join(sorted(text.split("\n")))


def assignment_order(drawn: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Teams are drawn target by target in global ticket order (who is served first gets the
    first pick under the cap, so this order is part of the algorithm)."""
    return [i for t, i in sorted((t, i) for pairs in drawn.values() for i, t in pairs)]


def team_inputs(order: list[str], facts: dict[str, TargetFacts]) -> list[TargetFacts]:
    """The facts of the drawn targets in `assignment_order`."""
    return [facts[code] for code in order]


def build_record(**parts) -> dict:
    """The sealed record (see `record_body`)."""
    return sealed(record_body(**parts))


def sealed_text(parts: dict) -> tuple[str, str]:
    """The record hash and canonical text of the record made of `parts` (`record_body`'s
    arguments)."""
    digest, pieces = seal_encoded(
        {
            **record_texts(parts),
            "teams": teams_text(assignment_order(parts["drawn"]), parts["teams"]),
            "fairness": canonical(parts["teams"].fairness.json()).encode("utf-8"),
        }
    )
    return digest, b"".join(pieces).decode("utf-8")


def record_texts(parts: dict) -> dict[str, bytes | bytearray]:
    """The canonical text, in UTF-8, of each member of the record but its teams (`parts` as for
    `sealed_text`; its "teams" are not read): a reveal writes them before the teams are drawn.
    The two lists that make a big draw's record tens of MB (drawn targets and their facts; the
    teams are the third) are written as text directly, each entry equal to its canonical JSON
    (tests compare): building them as dicts first and encoding those took five times as
    long."""
    drawn, facts = parts["drawn"], parts["facts"]
    texts: dict[str, bytes | bytearray] = {
        k: canonical(v).encode("utf-8") for k, v in _small_parts(**parts).items()
    }
    strata = (
        _object({**{k: canonical(v) for k, v in s.items()}, "drawn": _drawn_text(drawn[s["name"]])})
        for s in _strata_heads(parts["strata"], parts["ratios"])
    )
    texts["strata"] = _encoded(_listed(strata))
    facts_text: dict[tuple, str] = {}  # most targets share categories and jurisdiction
    texts["targets"] = _encoded(
        object_pieces({code: _cached_fact_text(facts_text, f) for code, f in facts.items()})
    )
    return texts


def teams_text(order: list[str], teams: dict[str, list[Member]]) -> bytearray:
    """The record's "teams" member, as `record_body` has it, in canonical JSON (UTF-8); `order`:
    the drawn targets' `assignment_order`."""
    return _encoded(
        _listed(
            '{"members":[' + ",".join(map(_member_text, teams[code])) + '],"target":' + _q(code)
            + "}"
            for code in order
        )
    )  # fmt: skip


def _listed(texts: Iterable[str]) -> Iterator[str]:
    """The pieces of a JSON array of these canonical texts."""
    yield "["
    for n, text in enumerate(texts):
        yield "," + text if n else text
    yield "]"


def _encoded(pieces: Iterable[str], batch: int = 4096) -> bytearray:
    """The pieces joined, in UTF-8, encoded a batch at a time: joined as one string first, a
    big draw's list would take up to four times its bytes (a string is as wide as its widest
    character), then its bytes besides. A bytearray: turned into bytes, it would be copied."""
    out = bytearray()
    pieces = iter(pieces)
    while group := list(islice(pieces, batch)):
        out += "".join(group).encode("utf-8")
    return out


def _object(texts: dict[str, str]) -> str:
    return "".join(object_pieces(texts))


def _drawn_text(pairs: list[tuple[str, str]]) -> str:
    return "[" + ",".join(f'{{"id":{_q(i)},"ticket":{_q(t)}}}' for i, t in pairs) + "]"


def _member_text(m: Member) -> str:
    return f'{{"cert_no":{_q(m.cert_no)},"role":{_q(m.role)},"ticket":{_q(m.ticket)}}}'


def _cached_fact_text(cache: dict[tuple, str], f: TargetFacts) -> str:
    key = (f.categories, f.jurisdiction_code, f.conflicts, f.previous_team)
    text = cache.get(key)
    if text is None:
        text = cache[key] = canonical(target_json(f))
    return text


def _strata_heads(strata: list[dict], ratios: dict[str, str]) -> list[dict]:
    """Each stratum's entry but its drawn list."""
    return [{**s, "ratio_percent": ratios[s["name"]]} for s in strata]


def _small_parts(
    *,
    header: dict,
    pool: list[Inspector],
    pool_digest: str,
    params: TeamParams,
    exclusions: dict[str, int],
    **_big,
) -> dict:
    """Every member of the record but the strata, targets and teams."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "algorithm": ALGORITHM,
        **header,
        "exclusions": exclusions,
        "pool": {
            "digest": pool_digest,
            "size": len(pool),
            "snapshot_digest": snapshot_digest(pool),
            # By cert_no as Python orders text, whatever order the database read them in.
            "members": [inspector_json(p) for p in sorted(pool, key=lambda p: p.cert_no)],
        },
        "team_params": params_json(params),
        "amendments": [],
    }


def record_body(
    *,
    strata: list[dict],
    ratios: dict[str, str],
    drawn: dict[str, list[tuple[str, str]]],
    facts: dict[str, TargetFacts],
    teams: Teams,
    **small,
) -> dict:
    """`small`: `_small_parts`' arguments; `header`: campaign, commitment, secret, entropy,
    seed, practice, beacon, times."""
    return {
        **_small_parts(**small),
        "strata": [
            {**s, "drawn": [{"id": i, "ticket": t} for i, t in drawn[s["name"]]]}
            for s in _strata_heads(strata, ratios)
        ],
        "targets": {code: target_json(f) for code, f in sorted(facts.items())},
        "teams": [
            {"target": code, "members": [member_json(m) for m in teams[code]]}
            for code in assignment_order(drawn)
        ],
        "fairness": teams.fairness.json(),
    }


def run(
    seed: str,
    strata: dict[str, list[str]],
    ratios: dict[str, str],
    facts: dict[str, TargetFacts],
    pool: list[Inspector],
    params: TeamParams,
) -> tuple[dict[str, list[tuple[str, str]]], Teams]:
    """Selection then teams; `facts` must cover at least every drawn target."""
    drawn = select_targets(strata, ratios, seed)
    teams = assign_teams(seed, team_inputs(assignment_order(drawn), facts), pool, params)
    return drawn, teams
