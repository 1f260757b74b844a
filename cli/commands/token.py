"""`token issue|revoke|list`: bearer tokens for the field API, each acting as one person: for
integrations, until revoked unless given an expiry, with all the person's rights or read-only."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.commands.tasks import coordinator_actor
from cli.ids import record_id
from domain import clock
from domain.config import Settings
from domain.people.api_tokens import issue_token, list_tokens, revoke_token
from domain.people.persons import find_person


async def run_issue(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        person = await find_person(args.role, args.person)
        issued = await issue_token(
            actor,
            args.role,
            person.id,
            label=args.label,
            expires_days=args.expires_days,
            scope=args.scope,
        )
    if issued.expires_at is None:
        until = "撤销前一直有效"
    else:
        until = f"{clock.local(issued.expires_at):%Y-%m-%d %H:%M} 前有效"
    scope = "只读" if issued.scope.value == "read" else "完整权限"
    print(
        f"令牌 {issued.token_id}：代表 {issued.person_name}（{args.role}），{scope}，{until} "
        f"(scope {issued.scope.value})"
    )
    print(f"令牌 (shown once; send as 'Authorization: Bearer ...'): {issued.token}")
    return 0


async def run_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await revoke_token(actor, args.token_id)
    print(f"已撤销令牌 {args.token_id} (revoked)")
    return 0


async def run_list(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        tokens = await list_tokens(actor)
    now = clock.now()
    for t in tokens:
        state = t.state(now)
        if t.revoked_at:
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}"
        expires = f"{t.expires_at:%Y-%m-%d %H:%M}" if t.expires_at else "never"
        print(
            f"{t.token_id}\t{t.role.value}\t{t.person_id}\t{t.person_name}\t{t.label}\t"
            f"{t.created_at:%Y-%m-%d %H:%M}\t{t.scope.value}\texpires {expires}\t{state}"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "token",
        help="issue, revoke and list field API tokens",
        description="A token lets a program call the field API as one person, with that "
        "person's rights (or read-only), until it is revoked, expires or the person is "
        "deactivated. Only its SHA-256 "
        "is stored: the token is printed once, on issue.",
    )
    actions = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    i = actions.add_parser("issue", help="issue a token acting as a person (printed once)")
    i.add_argument("role", choices=["inspector", "coordinator"])
    i.add_argument("person", help="an inspector's certificate number or a coordinator's id")
    i.add_argument("--label", default="", help="a note, e.g. the device it is for")
    i.add_argument(
        "--expires-days", type=int, help="stop working after this many days (default: never)"
    )
    i.add_argument(
        "--scope",
        choices=["full", "read"],
        default="full",
        help="read: refused on every API call that changes something",
    )
    i.set_defaults(run=run_issue)
    r = actions.add_parser("revoke", help="stop a token from working")
    r.add_argument("token_id", type=record_id, help="the token's number (see `token list`)")
    r.set_defaults(run=run_revoke)
    ls = actions.add_parser("list", help="the tokens of the persons you coordinate (UTC times)")
    ls.set_defaults(run=run_list)
    for action in (i, r, ls):
        action.add_argument("--as", dest="as_", type=record_id, help="the acting coordinator's id")
