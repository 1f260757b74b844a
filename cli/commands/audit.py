"""`audit verify`, `audit head`, `audit show`: check, anchor and read the audit log."""

from __future__ import annotations

import argparse

from cli.commands.db import connected

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.config import Settings
    from domain.storage.models import AuditEntry


async def run_verify(args: argparse.Namespace, settings: Settings) -> int:
    from domain.audit import log as audit

    async with connected(settings):
        result = await audit.verify_chain()
    print(result.describe())
    return 0 if result.ok else 1


async def run_head(args: argparse.Namespace, settings: Settings) -> int:
    from domain.audit import log as audit

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
    from domain.errors import UserError

    kind, sep, object_id = text.partition(":")
    if not kind or (sep and not object_id):
        raise UserError(
            f"--object {text!r}: 应为 KIND:ID 或 KIND，例如 task:12 "
            "(--object must be KIND:ID or KIND, e.g. task:12)"
        )
    return kind, object_id or None


def format_entry(entry: AuditEntry) -> str:
    from domain.audit import log as audit

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
    from domain.audit import log as audit
    from domain.errors import UserError

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
        help="核验、锚定和查看哈希链审计日志 (verify, anchor and read the hash-chained audit log)",
        description="审计日志记录每一次更改和每一次查看保密数据，每条记录含上一条的哈希。\n(The "
        "audit log records every change and every view of sealed data, each entry holding the "
        "previous entry's hash.)",
    )
    actions = p.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True, title="操作 (actions)"
    )

    v = actions.add_parser(
        "verify",
        help="逐条核验哈希链；有断裂时指出第一条并以 1 退出 (walk the chain; exit 1 naming the "
        "first broken entry)",
        description="按顺序重算每条记录的哈希，并与记录的链头比较。输出 'audit chain OK: N "
        "entries, head HASH'，或第一条断裂的记录及断裂方式（被修改、删除、插入、重排、截断）并以 1 "
        "退出。\n(Recompute every entry's hash in order and compare the chain with its recorded "
        "head. Prints 'audit chain OK: N entries, head HASH', or the first broken entry and how "
        "it was broken (edited, deleted, inserted, reordered, truncated), and exits 1.)",
    )
    v.set_defaults(run=run_verify)

    h = actions.add_parser(
        "head",
        help="输出已核验的链头（序号和哈希）供公布 (print the verified head for publishing)",
        description="核验哈希链，然后输出最后一条的序号和哈希。请定期把这一行公布在数据库管理员无法"
        "更改的地方：持有旧链头的人日后可以证明到它为止的链没有被改写。\n(Verify the chain, then "
        "print its last seq and hash. Publish this line regularly where the database's "
        "administrators cannot change it: anyone holding an old head can later prove that the "
        "chain up to it was not rewritten.)",
    )
    h.set_defaults(run=run_head)

    s = actions.add_parser(
        "show",
        help="显示审计记录，最新的在最后 (print entries, newest last)",
        description="显示日志或某个对象的最近记录。(Print the last entries of the log, or of one "
        "object.)",
    )
    s.add_argument(
        "--object",
        metavar="KIND:ID",
        help="只看这个对象（如 task:12）或这一类 KIND (only this object, e.g. task:12, or KIND)",
    )
    s.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help="最后 N 条，0 为全部 (the last N entries; 0: all)",
    )
    s.set_defaults(run=run_show)
