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

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from pathlib import Path

    from domain.config import Settings


async def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from domain.draw.published import published_hash

    expected = None if args.expect_hash is None else published_hash(args.expect_hash)
    candidates_dir = Path(args.candidates) if args.candidates else None
    return verify_files(Path(args.record), candidates_dir, expected)


def verify_files(path: Path, candidates_dir: Path | None, expect_hash: str | None = None) -> int:
    from domain.draw.candidate_files import read_candidates
    from domain.draw.record import VerifyFailed, loads
    from domain.draw.verify import verify_record
    from domain.errors import UserError

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
    from pathlib import Path

    from domain.draw.candidate_files import read_ids
    from domain.draw.tickets import smallest, trim
    from domain.errors import UserError

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
        help="按抽取记录重算抽取，核验结果 (recompute a draw from its record)",
        description="按记录重算抽取：一致时以 0 退出并输出摘要和记录哈希，否则以 1 退出并指出第一处"
        "不同。不给 --expect-hash 时只检查记录自身是否一致。\n(Recompute a draw from its "
        "record; exit 0 with a summary and the record hash, or 1 naming the first difference. "
        "Without --expect-hash only the record's internal consistency is checked.)",
    )
    verify.add_argument("record", metavar="RECORD.json", help="抽取记录 (the draw record)")
    verify.add_argument(
        "--candidates",
        metavar="DIR",
        help="公布的候选名单目录，每个分层一个文件（分层名百分号编码加 .txt）(directory of "
        "published candidate lists, one file per stratum)",
    )
    verify.add_argument(
        "--expect-hash",
        metavar="HEX",
        help="通知书上公布的记录哈希（可含空格）：其他记录一律不通过，并列出两个哈希 (the record "
        "hash published on the task notice: any other record fails, naming both)",
    )
    verify.set_defaults(run=run_verify)

    sample = sub.add_parser(
        "sample",
        help="对文件中的编号做一致抽样，供审核 (consistent sampling of ids from a file)",
        description="按种子输出 consistent_sampler 票号最小的 N 个编号，每行 票号<TAB>编号。\n"
        "(Print the N ids with the smallest consistent_sampler tickets under the seed, as "
        "ticket<TAB>id.)",
    )
    sample.add_argument("--seed", required=True, metavar="TEXT", help="种子 (the seed, as text)")
    sample.add_argument("--take", type=int, required=True, metavar="N", help="抽取个数 (how many)")
    sample.add_argument(
        "--digits",
        type=int,
        default=0,
        metavar="N",
        help="像 consistent_sampler 那样缩短票号显示，0 为完整 (shorten tickets as "
        "consistent_sampler displays them; 0: full)",
    )
    sample.add_argument("file", metavar="FILE", help="编号，每行一个，UTF-8 (ids, one per line)")
    sample.set_defaults(run=run_sample)
