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
import re
from pathlib import Path

from cli.commands.db import connected
from cli.commands.tasks import coordinator_actor
from cli.draw_screen import grouped, prepared_screen, revealed_screen
from cli.ids import record_id
from domain.campaigns.frozen import frozen_candidates, frozen_strata
from domain.campaigns.lookup import latest_draw, revealed_draw
from domain.campaigns.plan import get_campaign
from domain.campaigns.prepare import abandon_draw, prepare_draw, resume_draw
from domain.campaigns.reveal import reveal_draw
from domain.config import Settings
from domain.draw.candidate_files import write_candidates, write_file
from domain.errors import UserError
from domain.rules.access import SYSTEM, Actor, require_coordinator
from domain.storage.models import CampaignStatus, Draw
from domain.tasks.views import view_sealed_campaign

POOL_FILE = "pool.txt"


async def _actor(args: argparse.Namespace) -> Actor:
    return SYSTEM if args.as_ is None else await coordinator_actor(args.as_)


def default_record_path(campaign: str) -> Path:
    return Path(f"draw-{re.sub(r'[^0-9A-Za-z._-]', '_', campaign)}.json")


async def run_prepare(args: argparse.Namespace, settings: Settings) -> int:
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
    async with connected(settings):
        prepared = await resume_draw(await _actor(args), args.campaign)
    if prepared is None:
        raise UserError(f"抽查计划 {args.campaign} 没有待揭示的抽取 (no prepared draw)")
    print(prepared_screen(prepared))
    return 0


async def _revealed(campaign_code: str) -> Draw:
    return await revealed_draw(campaign_code)


def _write(path: Path, text: str, sealed: bool) -> None:
    """While the campaign is sealed the record says who inspects whom: owner-only."""
    try:
        write_file(path, text, private=sealed)
    except OSError as exc:
        raise UserError(f"无法写入 {path}: {exc.strerror} (cannot write the file)") from None


def _sealed(draw: Draw) -> bool:
    return draw.campaign.status != CampaignStatus.PUBLISHED


async def run_reveal(args: argparse.Namespace, settings: Settings) -> int:
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
    async with connected(settings):
        await abandon_draw(await _actor(args), args.campaign, args.reason)
    print(
        f"抽查计划 {args.campaign} 的待揭示抽取已作废，作废记录保留在审计日志中 "
        "(draw abandoned; it stays in the audit log)"
    )
    return 0


async def run_record(args: argparse.Namespace, settings: Settings) -> int:
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
    try:
        strata = frozen_strata(candidates)
        written = write_candidates(directory, strata, private=sealed)
        pool = sorted(p["cert_no"] for p in candidates["pool"])
        write_file(directory / POOL_FILE, "".join(f"{c}\n" for c in pool), private=sealed)
    except OSError as exc:
        raise UserError(f"无法写入 {directory}: {exc.strerror} (cannot write there)") from None
    return strata, written, pool


async def run_candidates(args: argparse.Namespace, settings: Settings) -> int:
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
    p.add_argument(
        "--as",
        dest="as_",
        type=record_id,
        metavar="ID",
        help="act as this coordinator (default: the operator)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "draw",
        help="prepare, reveal or abandon a campaign's draw (摇号); write its record or lists",
        description="A draw in two steps: prepare (freeze candidates, publish digests and the "
        "commitment), then reveal with public entropy (dice rolled before witnesses).",
    )
    ds = p.add_subparsers(dest="draw_command", metavar="ACTION", required=True)

    pr = ds.add_parser("prepare", help="freeze the candidates; print digests and commitment")
    pr.add_argument("campaign", metavar="CAMPAIGN")
    pr.add_argument("--practice", action="store_true", help="practice draw (system entropy)")
    pr.add_argument("--beacon-source", metavar="NAME", help="public randomness beacon, e.g. drand")
    pr.add_argument("--beacon-round", type=int, metavar="N", help="the beacon round to use")
    pr.add_argument(
        "--high-risk-complaints",
        type=int,
        metavar="N",
        help="complaints that make a business high-risk (default: SSJ_HIGH_RISK_COMPLAINTS, 3)",
    )
    pr.add_argument(
        "--exclude-unstaffable",
        action="store_true",
        help="leave out candidates that no full team can be formed for (counted in the record's "
        "exclusions) instead of refusing the prepare",
    )
    _acting(pr)
    pr.set_defaults(run=run_prepare)

    sh = ds.add_parser(
        "show", help="show the prepared draw again, as prepare showed it (for the witnesses)"
    )
    sh.add_argument("campaign", metavar="CAMPAIGN")
    _acting(sh)
    sh.set_defaults(run=run_show)

    rv = ds.add_parser("reveal", help="enter the dice; draw, save and write the record")
    rv.add_argument("campaign", metavar="CAMPAIGN")
    rv.add_argument(
        "--dice",
        metavar="DIGITS",
        help='20+ decimal digits; several parties separated by spaces or "/" (in order)',
    )
    rv.add_argument("--beacon-value", metavar="HEX", help="the fixed beacon round's value")
    rv.add_argument(
        "--record", metavar="FILE", help="where to write the record (default draw-CAMPAIGN.json)"
    )
    _acting(rv)
    rv.set_defaults(run=run_reveal)

    ab = ds.add_parser("abandon", help="abandon a prepared draw (stays in the audit log)")
    ab.add_argument("campaign", metavar="CAMPAIGN")
    ab.add_argument("--reason", required=True, metavar="TEXT", help="why (recorded)")
    _acting(ab)
    ab.set_defaults(run=run_abandon)

    rc = ds.add_parser("record", help="write the draw record (with amendments) to FILE")
    rc.add_argument("campaign", metavar="CAMPAIGN")
    rc.add_argument("file", metavar="FILE")
    _acting(rc)
    rc.set_defaults(run=run_record)

    cd = ds.add_parser(
        "candidates",
        help="write the frozen candidate lists to DIR, one file per stratum, and pool.txt",
        description="One file per stratum: the stratum name percent-encoded + .txt "
        "(419802:A -> 419802%%3AA.txt), ids sorted one per line, so that each file's SHA-256 "
        "is the digest published at prepare; pool.txt: the inspector pool's cert numbers.",
    )
    cd.add_argument("campaign", metavar="CAMPAIGN")
    cd.add_argument("dir", metavar="DIR")
    _acting(cd)
    cd.set_defaults(run=run_candidates)
