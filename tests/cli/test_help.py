"""Every help page of `shuangsuiji`: Chinese first with English beside it, metavars that read
as words, defaults shown, and text as written (no `%%` left over from escaping)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from cli.commands.directory import KIND_WORDS
from cli.main import build_parser
from domain.directory import KINDS
from tests.kit.cli import Command

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")


def parsers() -> Iterator[tuple[str, argparse.ArgumentParser, str]]:
    """Each parser with its name and the one-line help its parent lists it with."""
    pending = [(build_parser(), "")]
    while pending:
        parser, line = pending.pop()
        yield parser.prog, parser, line
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                listed = {a.dest: a.help or "" for a in action._choices_actions}
                pending += [(sub, listed[name]) for name, sub in action.choices.items()]


PARSERS = sorted(parsers(), key=lambda p: p[0])


def bilingual(text: str) -> bool:
    return bool(CJK.search(text) and LATIN.search(text))


@pytest.mark.parametrize(("prog", "parser", "line"), PARSERS, ids=[p[0] for p in PARSERS])
def test_each_page_is_chinese_with_english(prog, parser, line, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    page = parser.format_help()
    assert page.startswith(f"用法 usage: {prog}")
    assert "%%" not in page and "%(" not in page
    assert "options:" not in page and "show this help message" not in page  # argparse's own
    assert prog == "shuangsuiji" or bilingual(line), f"{prog}: {line!r}"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help is None:
            continue
        assert bilingual(action.help), f"{prog} {action.option_strings or action.dest}"
        metavar = parser._get_formatter()._format_args(action, action.dest.upper())
        assert not metavar or re.fullmatch(r"[\[\] .A-Z:=_]+|\S+\.\w+", metavar), metavar
        assert not metavar.endswith("_"), f"{prog}: {metavar}"


def test_an_option_reads_as_what_it_takes(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    page = {prog: parser.format_help() for prog, parser, _ in PARSERS}
    assert "--as ID" in page["shuangsuiji task list"]
    assert "AS_" not in "".join(page.values())
    assert "--limit N" in page["shuangsuiji list"]
    assert "(默认 default: 50)" in page["shuangsuiji list"]
    assert "(默认 default: 72)" in page["shuangsuiji invite"]
    assert "(默认 default: 2)" in page["shuangsuiji campaign create"]
    assert "default: None" not in "".join(page.values())


def test_the_kinds_offered_are_the_directories_kinds():
    assert list(KIND_WORDS) == list(KINDS)


def test_a_usage_error_says_so_in_both_languages_and_where_to_look(tmp_path):
    wrong = Command("sqlite://:memory:", cwd=tmp_path)("task", "list")
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert wrong.stderr.splitlines() == [
        "用法 usage: shuangsuiji task list [-h] [--json] [--as ID] CAMPAIGN",
        "shuangsuiji task list: 用法错误 (usage error): the following arguments are required: "
        "CAMPAIGN",
        "详见 (see): shuangsuiji task list --help",
    ]
