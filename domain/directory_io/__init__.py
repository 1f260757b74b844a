"""Import and export of the list and the two directories (CSV in UTF-8 or GB18030, XLSX)."""

from domain.directory_io.errors import ImportRejected, RowError
from domain.directory_io.exporter import export_file
from domain.directory_io.importer import ImportResult, import_file
from domain.directory_io.schema import KINDS

__all__ = ["KINDS", "ImportRejected", "ImportResult", "RowError", "export_file", "import_file"]
