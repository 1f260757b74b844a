"""`audit verify`, `audit head`, `audit show`: check, anchor and read the audit log."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from domain.audit import log as audit
from domain.config import Settings
from domain.errors import UserError
from domain.storage.models import AuditEntry


async def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        result = await audit.verify_chain()
    print(result.describe())
    return 0 if result.ok else 1


async def run_head(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        result = await audit.verify_chain()
        last = await audit.list_entries(limit=1)
    if not result.ok:
        # A head is published to vouch for the chain: never vouch for a broken one.
        print(result.describe())
        return 1
    at = f", at {audit.format_at(last[0].at)}" if last else ""
    print(f"audit head: seq {result.head_seq}, hash {result.head_hash}{at}")
    return 0


def parse_object(text: str) -> tuple[str, str | None]:
    kind, sep, object_id = text.partition(":")
    if not kind or (sep and not object_id):
        raise UserError(
            f"--object {text!r}: 应为 KIND:ID 或 KIND，例如 task:12 "
            "(--object must be KIND:ID or KIND, e.g. task:12)"
        )
    return kind, object_id or None


def format_entry(entry: AuditEntry) -> str:
    parts = [
        f"#{entry.seq}",
        audit.format_at(entry.at),
        entry.actor,
        entry.action,
        f"{entry.object_kind}:{entry.object_id}",
    ]
    if entry.before is not None:
        parts.append(f"before={entry.before}")
    if entry.after is not None:
        parts.append(f"after={entry.after}")
    if entry.data != "{}":
        parts.append(f"data={entry.data}")
    parts.append(f"hash={entry.hash[:16]}")
    return " ".join(parts)


async def run_show(args: argparse.Namespace, settings: Settings) -> int:
    kind, object_id = parse_object(args.object) if args.object else (None, None)
    if args.limit < 0:
        raise UserError(f"--limit {args.limit}: 应为 0 或正整数 (must be 0 or more; 0: all)")
    async with connected(settings):
        entries = await audit.list_entries(kind, object_id, limit=args.limit or None)
    if not entries:
        print("没有审计记录 (no audit entries)")
    for entry in entries:
        print(format_entry(entry))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "audit",
        help="verify, anchor and read the hash-chained audit log",
        description="The audit log records every change and every view of sealed data, each "
        "entry holding the previous entry's hash.",
    )
    actions = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    v = actions.add_parser(
        "verify",
        help="walk the chain; exit 1 naming the first broken entry",
        description="Recompute every entry's hash in order and compare the chain with its "
        "recorded head. Prints 'audit chain OK: N entries, head HASH', or the first broken "
        "entry and how it was broken (edited, deleted, inserted, reordered, truncated), and "
        "exits 1.",
    )
    v.set_defaults(run=run_verify)

    h = actions.add_parser(
        "head",
        help="print the verified head (seq and hash) for publishing",
        description="Verify the chain, then print its last seq and hash. Publish this line "
        "regularly where the database's administrators cannot change it: anyone holding an "
        "old head can later prove that the chain up to it was not rewritten.",
    )
    h.set_defaults(run=run_head)

    s = actions.add_parser(
        "show",
        help="print entries, newest last",
        description="Print the last entries of the log, or of one object.",
    )
    s.add_argument("--object", metavar="KIND:ID", help="only this object (e.g. task:12), or KIND")
    s.add_argument("--limit", type=int, default=50, help="the last N entries (0: all)")
    s.set_defaults(run=run_show)
