"""Which way imports go (docs/architecture.md): the core imports no adapter, and the adapters
do not import each other. Read from the source, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = ("bot", "cli", "field_api")
# What each package may not import (the CLI starts both adapters, so it may import them).
FORBIDDEN = {
    "domain": ("bot", "cli", "field_api", "demo", "telegram", "aiohttp"),
    "demo": ("bot", "cli", "field_api"),
    "bot": ("cli", "field_api"),
    "field_api": ("bot", "cli", "telegram"),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


def violations(package: str) -> list[str]:
    banned = FORBIDDEN[package]
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in banned:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_go_one_way(package: str) -> None:
    if not (ROOT / package).is_dir():
        pytest.skip(f"no {package}/ package")
    assert violations(package) == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from bot.app import build\n    import cli.main\n")
    assert imported_modules(module) == [(2, "bot.app"), (3, "cli.main")]
