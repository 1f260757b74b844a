"""`token issue|revoke|list`: bearer tokens for the field API, each acting as one person: for
integrations, until revoked unless given an expiry, with all the person's rights or read-only."""

from __future__ import annotations

import argparse

from cli.commands.db import connected
from cli.commands.tasks import acting, coordinator_actor, with_json
from cli.ids import record_id
from cli.table import print_json, print_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start
if TYPE_CHECKING:
    from domain.config import Settings

ROLE_WORDS = {"inspector": "执法检查人员 (inspector)", "coordinator": "协调员 (coordinator)"}
SCOPE_WORDS = {"full": "完整权限 (full)", "read": "只读 (read)"}
STATE_WORDS = {
    "active": "有效 (active)",
    "expired": "已过期 (expired)",
    "revoked": "已撤销 (revoked)",
}


async def run_issue(args: argparse.Namespace, settings: Settings) -> int:
    from domain import clock
    from domain.people.api_tokens import issue_token
    from domain.people.persons import find_person

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
    from domain.people.api_tokens import revoke_token

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        await revoke_token(actor, args.token_id)
    print(f"已撤销令牌 {args.token_id} (revoked)")
    return 0


def _when(moment) -> str | None:
    return moment and f"{moment:%Y-%m-%d %H:%M}"


async def run_list(args: argparse.Namespace, settings: Settings) -> int:
    from domain import clock
    from domain.people.api_tokens import list_tokens

    async with connected(settings):
        actor = await coordinator_actor(args.as_)
        tokens = await list_tokens(actor)
    now = clock.now()
    if args.json:
        print_json(
            [
                {
                    "id": t.token_id,
                    "role": t.role.value,
                    "person_id": t.person_id,
                    "person": t.person_name,
                    "label": t.label,
                    "scope": t.scope.value,
                    "created_at": t.created_at.isoformat(),
                    "expires_at": t.expires_at and t.expires_at.isoformat(),
                    "revoked_at": t.revoked_at and t.revoked_at.isoformat(),
                    "state": t.state(now),
                }
                for t in tokens
            ]
        )
        return 0
    rows = [
        [
            str(t.token_id),
            ROLE_WORDS.get(t.role.value, t.role.value),
            f"{t.person_name} ({t.person_id})",
            t.label,
            SCOPE_WORDS.get(t.scope.value, t.scope.value),
            _when(t.created_at) or "",
            _when(t.expires_at) or "不过期 (never)",
            " ".join(filter(None, [STATE_WORDS[t.state(now)], _when(t.revoked_at)])),
        ]
        for t in tokens
    ]
    header = [
        "编号 (id)",
        "角色 (role)",
        "代表 (person)",
        "备注 (label)",
        "权限 (scope)",
        "签发 (issued, UTC)",
        "到期 (expires, UTC)",
        "状态 (state)",
    ]
    print_table(header, rows, "没有令牌 (no tokens)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "token",
        help="签发、撤销和列出现场 API 令牌 (issue, revoke and list field API tokens)",
        description="令牌让程序以某个人的身份、按其权限（或只读）调用现场 API，直到被撤销、到期"
        "或此人停用。只保存其 SHA-256：令牌只在签发时显示一次。\n(A token lets a program call the "
        "field API as one person, with that person's rights or read-only, until it is revoked, "
        "expires or the person is deactivated. Only its SHA-256 is stored: the token is "
        "printed once, on issue.)",
    )
    actions = p.add_subparsers(
        dest="token_command", metavar="ACTION", required=True, title="操作 (actions)"
    )
    i = actions.add_parser(
        "issue", help="签发代表某人的令牌，只显示一次 (issue a token acting as a person)"
    )
    i.add_argument(
        "role",
        choices=["inspector", "coordinator"],
        metavar="ROLE",
        help="inspector 执法检查人员 或 coordinator 协调员",
    )
    i.add_argument(
        "person",
        metavar="PERSON",
        help="执法检查人员的证件号或协调员编号 (an inspector's certificate number or a "
        "coordinator's id)",
    )
    i.add_argument(
        "--label",
        default="",
        metavar="TEXT",
        help="备注，如所用设备 (a note, e.g. the device it is for)",
    )
    i.add_argument(
        "--expires-days",
        type=int,
        metavar="N",
        help="N 天后失效，默认不过期 (stop working after N days; default: never)",
    )
    i.add_argument(
        "--scope",
        choices=["full", "read"],
        default="full",
        metavar="SCOPE",
        help="full 完整权限，或 read 只读：凡是修改数据的 API 调用都被拒绝 (read: refused on every "
        "API call that changes something)",
    )
    i.set_defaults(run=run_issue)
    r = actions.add_parser("revoke", help="使令牌失效 (stop a token from working)")
    r.add_argument(
        "token_id",
        type=record_id,
        metavar="ID",
        help="令牌编号，见 token list (the token's number)",
    )
    r.set_defaults(run=run_revoke)
    ls = actions.add_parser(
        "list", help="你所协调人员的令牌，时间为 UTC (the tokens of the persons you coordinate)"
    )
    with_json(ls)
    ls.set_defaults(run=run_list)
    for action in (i, r, ls):
        acting(action)
