"""`invite` and `unbind`: enrolling people in the Telegram bot from the command line."""

from __future__ import annotations

import argparse
import datetime as dt

from cli.commands.db import connected
from cli.commands.tasks import coordinator_actor
from cli.ids import record_id
from domain.config import Settings
from domain.people.enrollment import invite_by_reference, unbind
from domain.people.persons import find_person


async def run_invite(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        issued = await invite_by_reference(
            actor, args.role, args.person, ttl=dt.timedelta(hours=args.hours)
        )
    print(
        f"邀请 {issued.person_name}（{args.role}），有效期至 {issued.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    print(f"邀请码 (shown once): {issued.code}")
    if args.bot_username:
        print(f"链接: {issued.deep_link(args.bot_username)}")
    else:
        print(f"链接: https://t.me/<机器人用户名>?start={issued.code}")
    return 0


async def run_unbind(args: argparse.Namespace, settings: Settings) -> int:
    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        person = await find_person(args.role, args.person)
        await unbind(actor, args.role, person.id)
    print(f"已解除 {person.name} 的 Telegram 绑定；重新绑定请发新的邀请 (unbound)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    for name, fn, text in (
        ("invite", run_invite, "issue a one-time Telegram enrollment code (72 h by default)"),
        ("unbind", run_unbind, "release a person's Telegram account (lost phone)"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("role", choices=["inspector", "coordinator"])
        p.add_argument("person", help="an inspector's certificate number or a coordinator's id")
        p.add_argument("--as", dest="as_", type=record_id, help="the acting coordinator's id")
        if name == "invite":
            p.add_argument("--hours", type=int, default=72, help="validity in hours")
            p.add_argument("--bot-username", help="to print the t.me deep link")
        p.set_defaults(run=fn)
