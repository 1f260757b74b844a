"""Import and export of the list and the two directories (CSV in UTF-8 or GB18030, XLSX)."""

from domain.directory.errors import ImportRejected, RowError
from domain.directory.exporter import export_file
from domain.directory.headers import HeaderChoices
from domain.directory.importer import ImportResult, import_file
from domain.directory.schema import KINDS

__all__ = [
    "KINDS",
    "HeaderChoices",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "export_file",
    "import_file",
]
