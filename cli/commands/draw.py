"""`draw prepare|show|reveal|abandon|record|candidates`: a draw ceremony from the command line.

Run on a laptop whose screen is projected for the witnesses: `prepare` freezes the candidates
and shows their digests and the commitment (`show` shows the same screen again until the
reveal: after a restart, or for a late witness); dice are rolled; `reveal` takes the digits,
draws, saves everything at once and writes the record file. The commands act as the operator,
or as a named coordinator with `--as ID` (recorded in the audit log).

`draw candidates CAMPAIGN DIR` writes the frozen candidate lists, one file per stratum, named
by `domain.draw.candidate_files.stratum_file`: the stratum name percent-encoded plus ".txt"
("419802:A" -> "419802%3AA.txt", "high-risk" -> "high-risk.txt"), ids one per line, sorted, so
that each file's SHA-256 is the digest shown at prepare (`sha256sum` checks it). `pool.txt`
holds the inspector pool's certificate numbers the same way. `shuangsuiji verify RECORD
--candidates DIR` reads the stratum files back.
"""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.commands.tasks import acting, coordinator_actor
from cli.draw_screen import grouped, prepared_screen, revealed_screen

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from pathlib import Path

    from domain.config import Settings
    from domain.rules.access import Actor
    from domain.storage.models import Draw

POOL_FILE = "pool.txt"


async def _actor(args: argparse.Namespace) -> Actor:
    from domain.rules.access import SYSTEM

    return SYSTEM if args.as_ is None else await coordinator_actor(args.as_)


def default_record_path(campaign: str) -> Path:
    import re
    from pathlib import Path

    return Path(f"draw-{re.sub(r'[^0-9A-Za-z._-]', '_', campaign)}.json")


async def run_prepare(args: argparse.Namespace, settings: Settings) -> int:
    from domain.campaigns.prepare import prepare_draw
    from domain.errors import UserError

    beacon = None
    if args.beacon_source or args.beacon_round is not None:
        beacon = {"source": args.beacon_source or "", "round": args.beacon_round}
        if not beacon["source"] or beacon["round"] is None:
            raise UserError(
                "信标须同时给出 --beacon-source 和 --beacon-round "
                "(a beacon needs both its source and its round)"
            )
    async with connected(settings):
        prepared = await prepare_draw(
            await _actor(args),
            args.campaign,
            practice=args.practice,
            beacon=beacon,
            high_risk_complaints=(
                settings.high_risk_complaints
                if args.high_risk_complaints is None
                else args.high_risk_complaints
            ),
            exclude_unstaffable=args.exclude_unstaffable,
        )
    print(prepared_screen(prepared))
    return 0


async def run_show(args: argparse.Namespace, settings: Settings) -> int:
    from domain.campaigns.prepare import resume_draw
    from domain.errors import UserError

    async with connected(settings):
        prepared = await resume_draw(await _actor(args), args.campaign)
    if prepared is None:
        raise UserError(f"抽查计划 {args.campaign} 没有待揭示的抽取 (no prepared draw)")
    print(prepared_screen(prepared))
    return 0


async def _revealed(campaign_code: str) -> Draw:
    from domain.campaigns.lookup import revealed_draw

    return await revealed_draw(campaign_code)


def _write(path: Path, text: str, sealed: bool) -> None:
    """While the campaign is sealed the record says who inspects whom: owner-only."""
    from domain.draw.candidate_files import write_file
    from domain.errors import UserError

    try:
        write_file(path, text, private=sealed)
    except OSError as exc:
        raise UserError(f"无法写入 {path}: {exc.strerror} (cannot write the file)") from None


def _sealed(draw: Draw) -> bool:
    from domain.storage.models import CampaignStatus

    return draw.campaign.status != CampaignStatus.PUBLISHED


async def run_reveal(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from domain.campaigns.reveal import reveal_draw
    from domain.errors import UserError

    path = Path(args.record) if args.record else default_record_path(args.campaign)
    # Checked before drawing: a draw saved but its file not written would confuse a ceremony.
    if not path.parent.is_dir() or path.is_dir():
        raise UserError(f"无法写入记录文件 {path}：目录不存在或是目录 (choose a writable --record)")
    async with connected(settings):
        result = await reveal_draw(
            await _actor(args),
            args.campaign,
            dice=args.dice or "",
            beacon_value=args.beacon_value or "",
        )
        draw = await _revealed(args.campaign)
    _write(path, draw.record, _sealed(draw))
    print(revealed_screen(result, draw.entropy or "", str(path), draw.record_hash or ""))
    return 0


async def run_abandon(args: argparse.Namespace, settings: Settings) -> int:
    from domain.campaigns.prepare import abandon_draw

    async with connected(settings):
        await abandon_draw(await _actor(args), args.campaign, args.reason)
    print(
        f"抽查计划 {args.campaign} 的待揭示抽取已作废，作废记录保留在审计日志中 "
        "(draw abandoned; it stays in the audit log)"
    )
    return 0


async def run_record(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from domain.rules.access import require_coordinator
    from domain.tasks.views import view_sealed_campaign

    path = Path(args.file)
    async with connected(settings):
        actor = await _actor(args)
        draw = await _revealed(args.campaign)
        require_coordinator(actor, draw.campaign.department.path)
        _write(path, draw.record, _sealed(draw))
        # Audited once the record has left the database: a failed write showed nothing.
        await view_sealed_campaign(actor, draw.campaign, purpose="draw.record")
    print(f"抽取记录已写入 {path} (record written); record_hash {grouped(draw.record_hash)}")
    if _sealed(draw):
        print("保密：公布前不得外传，文件仅本人可读 (0600) (confidential until publication)")
    else:
        print("计划已公示，记录可公开 (published: the record is public)")
    return 0


def _write_candidates(
    directory: Path, candidates: dict, sealed: bool
) -> tuple[dict, list[Path], list[str]]:
    from domain.campaigns.frozen import frozen_strata
    from domain.draw.candidate_files import write_candidates, write_file
    from domain.errors import UserError

    try:
        strata = frozen_strata(candidates)
        written = write_candidates(directory, strata, private=sealed)
        pool = sorted(p["cert_no"] for p in candidates["pool"])
        write_file(directory / POOL_FILE, "".join(f"{c}\n" for c in pool), private=sealed)
    except OSError as exc:
        raise UserError(f"无法写入 {directory}: {exc.strerror} (cannot write there)") from None
    return strata, written, pool


async def run_candidates(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from domain.campaigns.frozen import frozen_candidates
    from domain.campaigns.lookup import latest_draw
    from domain.campaigns.plan import get_campaign
    from domain.errors import UserError
    from domain.rules.access import require_coordinator
    from domain.storage.models import CampaignStatus
    from domain.tasks.views import view_sealed_campaign

    directory = Path(args.dir)
    async with connected(settings):
        actor = await _actor(args)
        campaign = await get_campaign(args.campaign)
        require_coordinator(actor, campaign.department.path)
        draw = await latest_draw(campaign)
        if draw is None:
            raise UserError(f"抽查计划 {args.campaign} 没有已准备的抽取 (no prepared draw)")
        sealed = campaign.status != CampaignStatus.PUBLISHED
        strata, written, pool = _write_candidates(
            directory, await frozen_candidates(draw.id), sealed
        )
        await view_sealed_campaign(actor, campaign, purpose="draw.candidates")
    digests = {s["name"]: s["digest"] for s in draw.prepared["strata"]}
    for (name, ids), path in zip(sorted(strata.items()), written, strict=True):
        print(f"{path.name}\t{len(ids)}\t{digests[name]}")
    print(f"{POOL_FILE}\t{len(pool)}\t{draw.prepared['pool']['digest']}")
    print(f"{len(written)} 个分层名单和检查人员库已写入 {directory}（SHA-256 即准备时公布的摘要）")
    if sealed:
        print("保密：公示前不得外传，文件仅本人可读 (0600) (confidential until publication)")
    else:
        print("计划已公示，名单可公开 (published: the lists are public)")
    return 0


def _acting(p: argparse.ArgumentParser) -> None:
    acting(p, operator=True)


def _campaign(p: argparse.ArgumentParser) -> None:
    p.add_argument("campaign", metavar="CAMPAIGN", help="计划编号 (plan number)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "draw",
        help="准备、揭示或作废抽查计划的抽取（摇号），写出抽取记录或候选名单 "
        "(prepare, reveal or abandon a draw; write its record or lists)",
        description="抽取分两步：准备（冻结候选名单，公布摘要和承诺值），再以公开随机数（当众掷骰）"
        "揭示。\n(A draw in two steps: prepare, freezing the candidates and publishing their "
        "digests and the commitment; then reveal with public entropy, dice rolled before "
        "witnesses.)",
    )
    ds = p.add_subparsers(
        dest="draw_command", metavar="ACTION", required=True, title="操作 (actions)"
    )

    pr = ds.add_parser(
        "prepare",
        help="冻结候选名单，显示摘要和承诺值 (freeze the candidates; print digests and commitment)",
    )
    _campaign(pr)
    pr.add_argument(
        "--practice", action="store_true", help="演练，用系统随机数 (practice draw, system entropy)"
    )
    pr.add_argument(
        "--beacon-source", metavar="NAME", help="公共随机信标，如 drand (public randomness beacon)"
    )
    pr.add_argument(
        "--beacon-round", type=int, metavar="N", help="使用的信标轮次 (the beacon round to use)"
    )
    pr.add_argument(
        "--high-risk-complaints",
        type=int,
        metavar="N",
        help="投诉达到 N 次即列为重点对象，默认 SSJ_HIGH_RISK_COMPLAINTS（3）(complaints that make "
        "a business high-risk)",
    )
    pr.add_argument(
        "--exclude-unstaffable",
        action="store_true",
        help="无法组成完整检查组的候选对象不列入（计入记录的排除项），而不是拒绝准备 (leave out "
        "candidates no full team can be formed for, instead of refusing the prepare)",
    )
    _acting(pr)
    pr.set_defaults(run=run_prepare)

    sh = ds.add_parser(
        "show",
        help="再次显示已准备的抽取，与准备时相同（供见证人查看） (show the prepared draw again)",
    )
    _campaign(sh)
    _acting(sh)
    sh.set_defaults(run=run_show)

    rv = ds.add_parser(
        "reveal",
        help="输入骰子点数：抽取、保存并写出记录 (enter the dice; draw, save, write the record)",
    )
    _campaign(rv)
    rv.add_argument(
        "--dice",
        metavar="DIGITS",
        help="至少 20 位数字；多方掷骰时按顺序用空格或 / 分隔 (20+ decimal digits; several "
        "parties separated by spaces or /, in order)",
    )
    rv.add_argument(
        "--beacon-value",
        metavar="HEX",
        help="所定信标轮次的随机值 (the fixed beacon round's value)",
    )
    rv.add_argument(
        "--record",
        metavar="FILE",
        help="记录写入的文件，默认 draw-CAMPAIGN.json (where to write the record)",
    )
    _acting(rv)
    rv.set_defaults(run=run_reveal)

    ab = ds.add_parser(
        "abandon", help="作废已准备的抽取，保留在审计日志中 (abandon a prepared draw; audited)"
    )
    _campaign(ab)
    ab.add_argument(
        "--reason", required=True, metavar="TEXT", help="理由，记入日志 (why; recorded)"
    )
    _acting(ab)
    ab.set_defaults(run=run_abandon)

    rc = ds.add_parser(
        "record", help="把抽取记录（含更正）写入 FILE (write the draw record, with amendments)"
    )
    _campaign(rc)
    rc.add_argument("file", metavar="FILE", help="要写入的文件 (file to write)")
    _acting(rc)
    rc.set_defaults(run=run_record)

    cd = ds.add_parser(
        "candidates",
        help="把冻结的候选名单按分层写入 DIR，另写 pool.txt (write the frozen candidate lists)",
        description="每个分层一个文件：分层名按百分号编码加 .txt（419802:A -> 419802%3AA.txt），"
        "编号排序、每行一个，因此每个文件的 SHA-256 就是准备时公布的摘要；pool.txt 为检查人员库的"
        "证件号。\n(One file per stratum: the stratum name percent-encoded + .txt, ids sorted "
        "one per line, so that each file's SHA-256 is the digest published at prepare; "
        "pool.txt: the inspector pool's certificate numbers.)",
    )
    _campaign(cd)
    cd.add_argument("dir", metavar="DIR", help="要写入的目录 (directory to write)")
    _acting(cd)
    cd.set_defaults(run=run_candidates)
