"""`invite` and `unbind`: enrolling people in the Telegram bot from the command line."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.commands.tasks import acting, coordinator_actor

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.config import Settings


async def run_invite(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from domain.people.enrollment import invite_by_reference

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
    from domain.people.enrollment import unbind
    from domain.people.persons import find_person

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        person = await find_person(args.role, args.person)
        await unbind(actor, args.role, person.id)
    print(f"已解除 {person.name} 的 Telegram 绑定；重新绑定请发新的邀请 (unbound)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    for name, fn, text in (
        (
            "invite",
            run_invite,
            "发一次性的 Telegram 绑定邀请码 (issue a one-time Telegram enrollment code)",
        ),
        (
            "unbind",
            run_unbind,
            "解除某人的 Telegram 账号绑定，如手机丢失 (release a person's "
            "Telegram account, e.g. a lost phone)",
        ),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument(
            "role",
            choices=["inspector", "coordinator"],
            metavar="ROLE",
            help="inspector 执法检查人员 或 coordinator 协调员",
        )
        p.add_argument(
            "person",
            metavar="PERSON",
            help="执法检查人员的证件号或协调员编号 (an inspector's certificate number or a "
            "coordinator's id)",
        )
        acting(p)
        if name == "invite":
            p.add_argument(
                "--hours", type=int, default=72, metavar="N", help="有效小时数 (validity in hours)"
            )
            p.add_argument(
                "--bot-username",
                metavar="NAME",
                help="机器人用户名，用于输出 t.me 链接 (to print the t.me deep link)",
            )
        p.set_defaults(run=fn)
