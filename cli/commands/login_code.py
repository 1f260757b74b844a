"""`login-code issue`: a coordinator's one-time sign-in code for a person without a chat, to be
exchanged for a field API token (POST /api/v1/auth/token)."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.commands.tasks import coordinator_actor
from cli.ids import record_id
from domain import clock
from domain.config import Settings
from domain.people.login import code_by_reference


async def run_issue(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        issued = await code_by_reference(actor, args.role, args.person)
    until = clock.local(issued.expires_at).strftime("%Y-%m-%d %H:%M")
    print(f"{issued.person_name}（{args.role}）的登录码，{until} 前有效，只能使用一次")
    print(f"登录码 (shown once): {issued.code}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "login-code",
        help="one-time sign-in codes for the field API",
        description="A six-digit code, valid 10 minutes and once, that a person exchanges for a "
        "field API token (POST /api/v1/auth/token). People with a chat ask the bot (/login).",
    )
    actions = p.add_subparsers(dest="login_code_command", metavar="ACTION", required=True)
    i = actions.add_parser("issue", help="issue a code for a person (printed once)")
    i.add_argument(
        "--person", required=True, help="an inspector's certificate number or a coordinator's id"
    )
    i.add_argument("--role", choices=["inspector", "coordinator"], default="inspector")
    i.add_argument("--as", dest="as_", type=record_id, help="the acting coordinator's id")
    i.set_defaults(run=run_issue)
