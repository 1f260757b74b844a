"""Entry point: builds the argument parser from each command module and runs the command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from cli.commands import audit as commands_audit
from cli.commands import calendar as commands_calendar
from cli.commands import campaign as commands_campaign
from cli.commands import db as commands_db
from cli.commands import demo as commands_demo
from cli.commands import directory as commands_directory
from cli.commands import draw as commands_draw
from cli.commands import invite as commands_invite
from cli.commands import login_code as commands_login_code
from cli.commands import publication as commands_publication
from cli.commands import serve as commands_serve
from cli.commands import tasks as commands_tasks
from cli.commands import token as commands_token
from cli.commands import verify as commands_verify
from domain import clock
from domain.config import ConfigError, Settings
from domain.errors import UserError

COMMAND_MODULES = [
    commands_db,
    commands_directory,
    commands_serve,
    commands_tasks,
    commands_invite,
    commands_token,
    commands_login_code,
    commands_calendar,
    commands_campaign,
    commands_draw,
    commands_demo,
    commands_audit,
    commands_publication,
    commands_verify,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shuangsuiji",
        description="双随机、一公开 random inspections: directories, verifiable draws, "
        "evidence, reports and publication.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        clock.use_timezone(settings.timezone)
    except clock.UnknownTimezone as exc:
        print(f"configuration error: SSJ_TIMEZONE: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return asyncio.run(args.run(args, settings)) or 0
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
