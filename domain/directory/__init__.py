"""Import and export of the list and the two directories (CSV in UTF-8 or GB18030, XLSX).

The names below load their module when first used, so that `domain.directory.listing` (what
`shuangsuiji list` needs) does not bring the importer and the exporter with it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.directory.errors import ImportRejected, RowError
    from domain.directory.exporter import export_file
    from domain.directory.headers import HeaderChoices
    from domain.directory.importer import ImportResult, import_file
    from domain.directory.schema import KINDS

_WHERE = {
    "HeaderChoices": "headers",
    "ImportRejected": "errors",
    "RowError": "errors",
    "export_file": "exporter",
    "ImportResult": "importer",
    "import_file": "importer",
    "KINDS": "schema",
}

__all__ = [
    "KINDS",
    "HeaderChoices",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "export_file",
    "import_file",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
