"""`login-code issue`: a coordinator's one-time sign-in code for a person without a chat, to be
exchanged for a field API token (POST /api/v1/auth/token)."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.commands.tasks import acting, coordinator_actor

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.config import Settings


async def run_issue(args: argparse.Namespace, settings: Settings) -> int:
    from domain import clock
    from domain.people.login import code_by_reference

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
        help="现场 API 的一次性登录码 (one-time sign-in codes for the field API)",
        description="六位数字的登录码，10 分钟内有效、只能用一次，用来换取现场 API 令牌（POST "
        "/api/v1/auth/token）。有聊天账号的人可向机器人发送 /login。\n(A six-digit code, valid "
        "10 minutes and once, that a person exchanges for a field API token. People with a "
        "chat ask the bot: /login.)",
    )
    actions = p.add_subparsers(
        dest="login_code_command", metavar="ACTION", required=True, title="操作 (actions)"
    )
    i = actions.add_parser("issue", help="为某人签发登录码，只显示一次 (issue a code for a person)")
    i.add_argument(
        "--person",
        required=True,
        metavar="PERSON",
        help="执法检查人员的证件号或协调员编号 (an inspector's certificate number or a "
        "coordinator's id)",
    )
    i.add_argument(
        "--role",
        choices=["inspector", "coordinator"],
        default="inspector",
        metavar="ROLE",
        help="inspector 执法检查人员 或 coordinator 协调员 (the person's role)",
    )
    acting(i)
    i.set_defaults(run=run_issue)
