"""Pages of the list and the directories as the export writes them, for a coordinator's
program (the field API), and the export for a coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.directory.exporter import count_rows, export_file, export_rows
from domain.errors import UserError
from domain.rules.access import Actor, require_any_coordinator


@dataclass(frozen=True)
class DirectoryPage:
    kind: str
    headers: list[str]  # as the import reads them (Chinese, or English on request)
    rows: list[list[str]]
    total: int
    offset: int


MAX_PAGE = 500


async def directory_page(
    actor: Actor, kind_name: str, offset: int = 0, limit: int = 100, english: bool = False
) -> DirectoryPage:
    """A page of the list or a directory, for any coordinator: the rows as the export writes
    them, so that a program reads what it would import."""
    require_any_coordinator(actor)
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise UserError(f"limit 应为 1 到 {MAX_PAGE}，offset 不能为负 (limit 1..{MAX_PAGE})")
    headers, rows = await export_rows(kind_name, english, offset, limit)
    return DirectoryPage(kind_name, headers, rows, await count_rows(kind_name), offset)


async def export_for(actor: Actor, kind_name: str, path: Path, english: bool = False) -> int:
    """`export_file` for a coordinator (any: the directories are shared by every level)."""
    require_any_coordinator(actor)
    return await export_file(kind_name, path, english)
