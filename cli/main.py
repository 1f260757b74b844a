"""Entry point: builds the argument parser from each command module and runs the command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from cli import (
    commands_audit,
    commands_calendar,
    commands_campaign,
    commands_db,
    commands_demo,
    commands_directory,
    commands_draw,
    commands_invite,
    commands_publication,
    commands_serve,
    commands_tasks,
    commands_token,
    commands_verify,
)
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
