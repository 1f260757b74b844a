"""The shape of the test tree: what tests share lives in tests/kit (and the fake Bot API in
tests/fakebot); a test module imports from there, never from another test module or a
conftest (pytest hands a conftest's fixtures to the tests below it without an import)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SHARED = ("kit", "fakebot")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(source: str, path: Path) -> list[tuple[int, str]]:
    """The modules of the tests package that `source` (the text of `path`) imports: relative
    imports resolved, and `from PACKAGE import NAME` taken as the module NAME if it is one."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                inner = f"{module}.{alias.name}"
                found.append((node.lineno, inner if is_module(inner) else module))
    return [(n, name) for n, name in found if name.split(".")[0] == "tests"]


def allowed(name: str) -> bool:
    parts = name.split(".")
    return len(parts) > 1 and parts[1] in SHARED and "conftest" not in parts


def python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def test_test_modules_import_only_the_kit():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in python_files()
        for line, name in imports(path.read_text(encoding="utf-8"), path)
        if not allowed(name)
    ]
    assert wrong == [], "move what they share into tests/kit:\n" + "\n".join(wrong)


def test_helpers_live_in_the_kit():
    """Outside tests/kit and tests/fakebot: test modules, conftests and packages only."""
    stray = [
        str(path.relative_to(ROOT))
        for path in python_files()
        if path.relative_to(TESTS).parts[0] not in SHARED
        and not path.name.startswith("test_")
        and path.name not in ("conftest.py", "__init__.py")
    ]
    assert stray == [], "helpers belong in tests/kit: " + ", ".join(stray)


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        ("from tests.kit import factories", True),
        ("from tests.kit.cli import Command", True),
        ("import tests.fakebot", True),
        ("from tests.fakebot import FakeBotAPI", True),
        ("from tests.test_cli import run", False),
        ("import tests.tasks.test_flow", False),
        ("from .test_flow import REPORT", False),
        ("from . import test_flow", False),
        ("from tests.tasks import conftest", False),
        ("from tests.bot.conftest import bind", False),
        ("from tests.kit.conftest import x", False),
        ("from tests import kit", True),
        ("from tests import factories", False),
        ("from tests.tasks import Drawn", False),
    ],
)
def test_the_check_sees_each_way_of_importing(line, ok):
    [(_, name)] = imports(line, TESTS / "tasks" / "test_probe.py")
    assert allowed(name) == ok, name
