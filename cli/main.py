"""Entry point: builds the argument parser from each command module and runs the command.

Building the parser imports no more than argparse and the command modules, which import what
a command needs only when it runs: `shuangsuiji --help` and a mistyped option answer at once,
without loading the ORM, aiohttp or the fonts (tests/cli/test_startup.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Coroutine, Sequence

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
from cli.help import Parser

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

# A reader that stopped reading (`| head`) ends the command as SIGPIPE would, without a trace.
BROKEN_PIPE_EXIT = 128 + 13


def build_parser() -> Parser:
    parser = Parser(
        prog="shuangsuiji",
        description="双随机、一公开：抽查名录、可验证的抽取、检查证据、报告与公示。\n"
        "(random inspections: directories, verifiable draws, evidence, reports, publication)",
        epilog="每个命令的详细说明 (each command's help): shuangsuiji COMMAND --help",
    )
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title="命令 (commands)"
    )
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # here, where a closed pipe can still be caught
    except BrokenPipeError:
        _discard_stdout()
        return BROKEN_PIPE_EXIT


def _discard_stdout() -> None:
    """Nothing more can reach the reader; the interpreter's own flush at exit must not fail."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a file: a test's StringIO
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    import logging

    from domain import clock
    from domain.config import ConfigError, Settings
    from domain.errors import UserError

    try:
        settings = Settings.from_env()
        clock.use_timezone(settings.timezone)
    except clock.UnknownTimezone as exc:
        print(f"配置错误 (configuration error): SSJ_TIMEZONE: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"配置错误 (configuration error): {exc}", file=sys.stderr)
        return 2
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        outcome = args.run(args, settings)
        if isinstance(outcome, Coroutine):  # most commands; a few answer without the event loop
            import asyncio

            outcome = asyncio.run(outcome)
        return outcome or 0
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
