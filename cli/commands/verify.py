"""`verify` and `sample`: the auditor's commands. Neither needs the database.

`shuangsuiji verify RECORD.json [--candidates DIR] [--expect-hash HEX]` recomputes a draw from
its record (and the published candidate lists: one file per stratum, see
`domain.draw.candidate_files`) and prints OK, a summary and the full record hash (exit 0), or the
first difference (exit 1). With `--expect-hash`, the record hash published on the task notice, a
record that differs from the published one in any way fails; without it only the record's
internal consistency is checked, and the output says so.

`shuangsuiji sample --seed S --take N FILE` prints, for the ids in FILE (one per line), the N
with the smallest consistent-sampling tickets under seed S, in order, as `ticket<TAB>id`; the
same ids and order as `consistent_sampler.sampler(ids, S, take=N)`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from domain.config import Settings
from domain.draw.candidate_files import read_candidates, read_ids
from domain.draw.published import published_hash
from domain.draw.record import VerifyFailed, loads
from domain.draw.tickets import smallest, trim
from domain.draw.verify import verify_record
from domain.errors import UserError


async def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    expected = None if args.expect_hash is None else published_hash(args.expect_hash)
    candidates_dir = Path(args.candidates) if args.candidates else None
    return verify_files(Path(args.record), candidates_dir, expected)


def verify_files(path: Path, candidates_dir: Path | None, expect_hash: str | None = None) -> int:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            f"无法读取抽取记录 {path}: {exc.strerror} (cannot read the record)"
        ) from None
    record = loads(data)
    candidates = None
    if candidates_dir is not None:
        names = [s.get("name") for s in record.get("strata", []) if isinstance(s, dict)]
        candidates = read_candidates(candidates_dir, names)
    try:
        result = verify_record(record, candidates, expect_hash)
    except VerifyFailed as exc:
        print(f"不一致 MISMATCH ({path.name}): {exc}")
        return 1
    print(result.summary())
    return 0


async def run_sample(args: argparse.Namespace, settings: Settings) -> int:
    if args.take < 0:
        raise UserError("--take 不能为负数 (--take must be >= 0)")
    ids = read_ids(Path(args.file))
    out = sys.stdout
    for object_id, ticket in smallest(ids, args.seed, args.take):
        shown = trim(ticket, args.digits) if args.digits else ticket
        out.write(f"{shown}\t{object_id}\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    verify = sub.add_parser(
        "verify",
        help="recompute a draw from its record (抽取记录验证)",
        description="Recompute a draw from its record; exit 0 with a summary and the record "
        "hash, or 1 naming the first difference. Without --expect-hash only the record's "
        "internal consistency is checked.",
    )
    verify.add_argument("record", metavar="RECORD.json")
    verify.add_argument(
        "--candidates",
        metavar="DIR",
        help="directory of published candidate lists, one file per stratum "
        "(name percent-encoded + .txt)",
    )
    verify.add_argument(
        "--expect-hash",
        metavar="HEX",
        help="the record hash published on the task notice (spaces allowed): any other "
        "record fails, naming both hashes",
    )
    verify.set_defaults(run=run_verify)

    sample = sub.add_parser(
        "sample",
        help="consistent sampling of ids from a file (一致抽样，供审核)",
        description="Print the N ids with the smallest consistent_sampler tickets under the "
        "seed, as ticket<TAB>id.",
    )
    sample.add_argument("--seed", required=True, help="the seed, as text")
    sample.add_argument("--take", type=int, required=True, metavar="N")
    sample.add_argument(
        "--digits",
        type=int,
        default=0,
        help="shorten tickets as consistent_sampler displays them (0: full ticket)",
    )
    sample.add_argument("file", metavar="FILE", help="ids, one per line (UTF-8)")
    sample.set_defaults(run=run_sample)
