"""Reading and writing tables: CSV (UTF-8 with or without BOM, or GB18030) and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from domain.directory.errors import ImportRejected, RowError


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    sha256: str = ""  # of the file's bytes, as read


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            str(path),
            [RowError(0, "", f"文件编码无法识别：请另存为 UTF-8 或 GB18030 的 CSV ({exc.reason})")],
        ) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _without_blank(rows: Iterator[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    return [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]


def read_table(path: Path) -> Table:
    if not path.is_file():
        raise ImportRejected(str(path), [RowError(0, "", "文件不存在 (file not found)")])
    data = path.read_bytes()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_xlsx(path, data)
    else:
        table = _read_csv(path, data)
    table.sha256 = hashlib.sha256(data).hexdigest()
    return table


def _read_csv(path: Path, data: bytes) -> Table:
    reader = csv.reader(io.StringIO(_decode(path, data), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(str(path), [RowError(0, "", "文件为空 (empty file)")]) from None
    rows = ((i, [c.strip() for c in r]) for i, r in enumerate(reader, start=2))
    return Table([h.strip() for h in header], _without_blank(rows))


def _read_xlsx(path: Path, data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(str(path), [RowError(0, "", f"无法读取 XLSX 文件: {exc}")]) from None
    try:
        sheet = workbook.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(it, ())]
        rows = ((i, [_cell_text(v) for v in r]) for i, r in enumerate(it, start=2))
        return Table(header, _without_blank(rows))
    finally:
        workbook.close()


def write_table(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
        workbook.save(path)
        return
    # A BOM makes Excel open the file as UTF-8; our reader accepts either.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
