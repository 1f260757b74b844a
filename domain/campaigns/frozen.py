"""A prepared draw's frozen candidates, as stored: the inspector pool, and each stratum's
sorted credit codes in pieces of CHUNK ids (`DrawCandidateChunk`), so that a province's list is
written and read piece by piece and no step of a draw holds all of it.

Draws prepared before the pieces kept everything in one `DrawCandidates` text (`frozen_text`);
those are still read.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Iterable

from domain.draw.compute import line_ids

CHUNK = 50_000  # ids per stored piece: about 1 MB of text
# Ids a reveal ranks at once: a stratum up to this size in one go, as before the pieces; a
# bigger one in parts of this size, whose smallest tickets are merged.
SELECT_BUDGET = 2_000_000

# The stored form of the draws prepared before the pieces: a one-line JSON header, then the
# strata's texts back to back (rows older still are one JSON document).
FROZEN_FORMAT = "ssj-frozen/2"
_FROZEN_START = '{"format":"' + FROZEN_FORMAT + '"'
# The header alone: the ids are in the pieces.
CHUNKED_FORMAT = "ssj-frozen/3"
_CHUNKED_START = '{"format":"' + CHUNKED_FORMAT + '"'


def frozen_text(candidates: dict) -> str:
    """`candidates` ({"strata": {name: ids one per line}, "pool": [...]}) in the one-text form."""
    strata = frozen_lines(candidates)
    header = {
        "format": FROZEN_FORMAT,
        "pool": candidates.get("pool", []),
        "strata": [[name, len(text)] for name, text in strata.items()],
    }
    # json.dumps escapes line ends inside strings: the header is one line.
    return (
        json.dumps(header, ensure_ascii=False, separators=(",", ":"))
        + "\n"
        + "".join(strata.values())
    )


def parse_frozen(text: str) -> dict:
    """The inverse of `frozen_text` (and the JSON documents stored before it)."""
    if not text.startswith(_FROZEN_START):
        return json.loads(text)
    end = text.index("\n")
    header = json.loads(text[:end])
    strata, at = {}, end + 1
    for name, length in header["strata"]:
        strata[name] = text[at : at + length]
        at += length
    return {"strata": strata, "pool": header["pool"]}


def frozen_lines(candidates: dict | None) -> dict[str, str]:
    """The candidate lists, each as its ids one per line (drafts stored before the lists were
    frozen as text hold JSON lists)."""
    strata = (candidates or {}).get("strata", {})
    return {name: "\n".join(ids) if isinstance(ids, list) else ids for name, ids in strata.items()}


def frozen_strata(candidates: dict | None) -> dict[str, list[str]]:
    """The candidate lists, as lists of ids."""
    return {name: line_ids(text) for name, text in frozen_lines(candidates).items()}


def pieces_of(text: str, size: int = CHUNK) -> Iterable[str]:
    """A stratum's text cut into pieces of `size` ids."""
    ids = line_ids(text)
    for start in range(0, len(ids), size):
        yield "\n".join(ids[start : start + size])


async def save_pieces(draw, pool: list, strata: dict[str, Iterable[str]]) -> None:
    """Store the pool and each stratum's sorted ids, given as consecutive pieces (one per line
    each, at most CHUNK ids), for `draw`; inside the caller's transaction."""
    from domain.storage.models import DrawCandidateChunk, DrawCandidates

    header = {"format": CHUNKED_FORMAT, "pool": pool, "strata": sorted(strata)}
    await DrawCandidates.create(
        draw=draw, candidates=json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    )
    for name in sorted(strata):
        for seq, text in enumerate(strata[name]):
            await DrawCandidateChunk.create(draw=draw, stratum=name, seq=seq, ids=text)


async def save_frozen(draw, candidates: dict) -> None:
    """Store small `candidates` ({"strata": {name: ids, one per line or as a list}, "pool":
    [...]}) for `draw`."""
    lines = frozen_lines(candidates)
    pieces = {name: pieces_of("\n".join(sorted(line_ids(text)))) for name, text in lines.items()}
    await save_pieces(draw, candidates.get("pool", []), pieces)


async def _stored(draw_id: int) -> tuple[dict, bool]:
    """The draw's stored header (or whole old-form document) and whether its ids are in pieces."""
    from domain.storage.models import DrawCandidates

    row = await DrawCandidates.get_or_none(draw_id=draw_id)
    if row is None:
        return {}, False
    if row.candidates.startswith(_CHUNKED_START):
        return json.loads(row.candidates), True
    return parse_frozen(row.candidates), False


async def frozen_pool(draw_id: int) -> list[dict]:
    """The frozen inspector pool (small), without reading the candidates."""
    stored, _ = await _stored(draw_id)
    return stored.get("pool", [])


async def stratum_texts(
    draw_id: int, budget: int = SELECT_BUDGET
) -> AsyncGenerator[tuple[str, str], None]:
    """(stratum, ids one per line) in stratum order: a stratum whole when it holds at most
    `budget` ids, else in consecutive parts of about that many, each sorted."""
    from domain.storage.models import DrawCandidateChunk

    stored, chunked = await _stored(draw_id)
    if not chunked:
        for name, text in sorted(frozen_lines(stored).items()):
            yield name, text
        return
    rows = await DrawCandidateChunk.filter(draw_id=draw_id).values_list("id", "stratum", "seq")
    by_stratum: dict[str, list[tuple[int, int]]] = {}
    for row_id, name, seq in rows:
        by_stratum.setdefault(name, []).append((seq, row_id))
    per_part = max(budget // CHUNK, 1)
    for name in sorted(by_stratum):
        ids = [row_id for _, row_id in sorted(by_stratum[name])]
        for start in range(0, len(ids), per_part):
            texts = [await _piece(row_id) for row_id in ids[start : start + per_part]]
            yield name, "\n".join(texts)
            del texts


async def _piece(row_id: int) -> str:
    from domain.storage.models import DrawCandidateChunk

    (text,) = await DrawCandidateChunk.filter(id=row_id).values_list("ids", flat=True)
    return str(text)


async def frozen_candidates(draw_id: int) -> dict:
    """Everything `prepare` froze for the draw at once: {"strata": {name: ids one per line},
    "pool": [...]} ({} if nothing). For the lists people read and the checks of small draws;
    the draw itself reads stratum by stratum (`stratum_texts`)."""
    stored, chunked = await _stored(draw_id)
    if not chunked:
        return stored
    strata: dict[str, list[str]] = {}
    async for name, text in stratum_texts(draw_id):
        strata.setdefault(name, []).append(text)
    return {"strata": {n: "\n".join(t) for n, t in strata.items()}, "pool": stored["pool"]}
