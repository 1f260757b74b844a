"""How `--help` reads: Chinese first with English beside it, readable metavars, defaults shown.

Every parser of the command is a `Parser` (subparsers inherit their parent's class), so each
help page has the same headings, wraps Chinese text at its displayed width (a CJK character
takes two columns, and a line may break between any two of them) and shows defaults alike."""

from __future__ import annotations

import argparse
import re
import sys

from cli.table import width

DEFAULT = " (默认 default: %(default)s)"
# A line may break before and after a CJK character or punctuation, and at spaces; never
# inside a shown default.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_TOKENS = re.compile(rf"\(默认 default: [^)]*\)|\s+|[{_CJK}]|[^\s{_CJK}]+")


def wrap(text: str, columns: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKENS.findall(" ".join(paragraph.split())):
            if line and width(line) + width(token.rstrip()) > columns:
                lines.append(line.rstrip())
                line = "" if token.isspace() else token
            elif line or not token.isspace():
                line += token
        lines.append(line.rstrip())
    return lines


class Formatter(argparse.HelpFormatter):
    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 30,
        width: int | None = None,
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法 usage: " if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        """Descriptions: a newline in the text starts a new line (the English after the
        Chinese), everything else is wrapped."""
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _get_help_string(self, action: argparse.Action) -> str | None:
        """The default beside the help, when it says something: not for flags, nor for an
        option whose absence means "not given" (None, empty)."""
        text = action.help or ""
        default = action.default
        quiet = default is None or default == "" or isinstance(default, bool)
        if action.option_strings and not quiet and default is not argparse.SUPPRESS:
            if "%(default)" not in text:
                return f"{text}{DEFAULT}"
        return text


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数 (arguments)"
        self._optionals.title = "选项 (options)"
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help="显示本帮助并退出 (show this help and exit)",
        )

    def error(self, message: str):
        """A usage error: the usage, the reason (argparse's words), exit status 2."""
        self.print_usage(sys.stderr)
        hint = f"详见 (see): {self.prog} --help"
        self.exit(2, f"{self.prog}: 用法错误 (usage error): {message}\n{hint}\n")
