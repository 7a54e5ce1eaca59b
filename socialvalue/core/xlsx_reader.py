"""Reading an uploaded XLSX workbook at a cost bounded by our limits, not by the file's claims.

An XLSX file is a zip archive of XML parts. Read naively, a small file can cost far more
than its size suggests:

- a part can unpack to thousands of times its packed size (a "zip bomb");
- a sheet declares its size (``<dimension ref="A1:XFD1048576"/>``), and openpyxl pads every
  row it returns to the declared width: 16,384 columns a row for a 5 KB file;
- rows can be numbered far apart (row 1, then row 1,048,576), and openpyxl returns every
  missing row in between;
- the shared strings are read into memory whole, before any row.

So every XLSX import goes through here:

1. ``check_archive`` reads the zip's directory before anything is unpacked, and refuses
   a file with too many parts, a part or a total that unpacks to too much, or a part
   packed suspiciously tightly. The sizes in the directory are a real bound: Python's
   ``zipfile`` never returns more than an entry's declared size, and fails the entry's
   checksum if its data holds more.
2. ``open_workbook`` opens the workbook read-only (sheets are streamed, not loaded).
3. ``sheet_rows`` reads a sheet's first ``columns`` columns only, ignoring the declared
   dimension; a run of ``blank_rows_end`` blank rows ends the sheet, and a non-blank row
   beyond ``max_rows`` refuses the file.

Whatever goes wrong is an ``XlsxRefused`` with a message for the person who uploaded it;
the importers turn it into their own "nothing was imported" error.
"""

import io
import math
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

MB = 1024 * 1024
SHEETS_FOLDER = "xl/worksheets/"
BLANK_ROWS_END = 1000
# Below this size a part's compression ratio says nothing (a tiny part of repeated text
# packs tightly and costs nothing to unpack).
RATIO_FLOOR_BYTES = MB

# What reading a damaged or hostile zip directory can raise (NotImplementedError: an
# entry claims a zip format version Python does not know).
ZIP_ERRORS = (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError)

ERR_DAMAGED = (
    "The file is not an Excel workbook (.xlsx), or it is damaged. Save it again as .xlsx "
    "and upload it."
)
ERR_FILE_TOO_BIG = "The file is larger than {limit}; split it into smaller files."
ERR_TOO_MANY_PARTS = (
    "The Excel workbook has more than {limit:,} parts (sheets, images and the like); "
    "copy what you need into a new workbook and upload that."
)
ERR_TOO_MUCH_DATA = (
    "The Excel workbook holds too much data to read: unpacked, it is more than {limit}. "
    "Split it into smaller files, or delete what the upload does not need."
)
ERR_PACKED_TOO_TIGHTLY = (
    "The Excel workbook cannot be read safely: a part of it unpacks to more than {ratio:,} "
    "times its packed size. Open it in your spreadsheet program, save it again as .xlsx "
    "and upload it."
)
ERR_TOO_MANY_ROWS = (
    "The '{sheet}' sheet has more than {limit:,} rows; split it into smaller files, or "
    "delete the rows below your data."
)


class XlsxRefused(Exception):
    """The workbook was not read. ``message`` says why, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class XlsxDamaged(XlsxRefused):
    """Not a workbook, or one openpyxl cannot read."""

    def __init__(self) -> None:
        super().__init__(ERR_DAMAGED)


class XlsxTooBig(XlsxRefused):
    """The file, or what it unpacks to, is over a limit."""


class XlsxTooManyRows(XlsxRefused):
    """A sheet has a non-blank row beyond ``limit``; ``row`` is the first one found."""

    def __init__(self, *, sheet: str, limit: int, row: int) -> None:
        self.sheet, self.limit, self.row = sheet, limit, row
        super().__init__(ERR_TOO_MANY_ROWS.format(sheet=sheet, limit=limit))


@dataclass(frozen=True)
class XlsxLimits:
    """What an import accepts of an XLSX file before reading a single cell."""

    max_file_bytes: int
    max_unpacked_bytes: int  # all parts together
    max_sheet_bytes: int  # one worksheet: streamed, so the time to read it is the bound
    max_part_bytes: int  # any other part (shared strings, styles…): read into memory whole
    max_parts: int = 1000
    max_ratio: int = 100  # unpacked size over packed size, for parts over RATIO_FLOOR_BYTES


def _size(limit: int) -> str:
    if limit % MB == 0:
        return f"{limit // MB:,} MB"
    return f"{math.ceil(limit / 1024):,} KB"


def _is_sheet(name: str) -> bool:
    return name.startswith(SHEETS_FOLDER) and name.endswith(".xml")


def check_archive(data: bytes, limits: XlsxLimits) -> None:
    """Refuse the file, from its zip directory alone, if unpacking it could cost too much."""
    if len(data) > limits.max_file_bytes:
        raise XlsxTooBig(ERR_FILE_TOO_BIG.format(limit=_size(limits.max_file_bytes)))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except ZIP_ERRORS:
        raise XlsxDamaged() from None
    if len(parts) > limits.max_parts:
        raise XlsxTooBig(ERR_TOO_MANY_PARTS.format(limit=limits.max_parts))
    too_much = XlsxTooBig(ERR_TOO_MUCH_DATA.format(limit=_size(limits.max_unpacked_bytes)))
    total = 0
    for part in parts:
        total += part.file_size
        limit = limits.max_sheet_bytes if _is_sheet(part.filename) else limits.max_part_bytes
        if part.file_size > limit or total > limits.max_unpacked_bytes:
            raise too_much
        if part.file_size > RATIO_FLOOR_BYTES and (
            part.file_size > limits.max_ratio * max(part.compress_size, 1)
        ):
            raise XlsxTooBig(ERR_PACKED_TOO_TIGHTLY.format(ratio=limits.max_ratio))


@contextmanager
def open_workbook(data: bytes, limits: XlsxLimits, *, data_only: bool = True) -> Iterator[Any]:
    """The workbook, read-only, once ``check_archive`` has passed; closed afterwards.

    With ``data_only`` a formula cell reads as its last calculated value; without, as its
    formula text (``"=2*3"``), for an importer that refuses formulas.
    """
    check_archive(data, limits)
    try:
        with warnings.catch_warnings():
            # Excel's own extensions (slicers, rich validation) are dropped with a warning.
            warnings.simplefilter("ignore")
            workbook: Workbook = load_workbook(
                io.BytesIO(data), read_only=True, data_only=data_only
            )
    except Exception:  # noqa: BLE001 - a damaged workbook fails in many ways; all mean the same
        raise XlsxDamaged() from None
    try:
        yield workbook
    finally:
        workbook.close()


def _is_blank(values: tuple[object, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _rows(sheet: Any, *, columns: int, first_row: int, last_row: int | None) -> Iterator[Any]:
    # The declared dimension is only a claim: forget it, so that nothing is padded to it.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=columns, values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - malformed XML inside a sheet fails in many ways
            raise XlsxDamaged() from None
        yield values


def sheet_rows(
    sheet: Any,
    *,
    columns: int,
    max_rows: int,
    first_row: int = 1,
    blank_rows_end: int = BLANK_ROWS_END,
) -> Iterator[tuple[object, ...]]:
    """The sheet's rows from ``first_row`` on, each as its first ``columns`` values.

    Blank rows are returned too, so the position of a row is its row number; but
    ``blank_rows_end`` blank rows in a row end the sheet. Raises ``XlsxTooManyRows`` on
    reaching a non-blank row numbered above ``max_rows``, and ``XlsxDamaged`` if the
    sheet cannot be read.
    """
    blank_run = 0
    number = first_row - 1
    for values in _rows(sheet, columns=columns, first_row=first_row, last_row=None):
        number += 1
        if _is_blank(values):
            blank_run += 1
            if blank_run >= blank_rows_end:
                return
        else:
            blank_run = 0
            if number > max_rows:
                raise XlsxTooManyRows(sheet=sheet.title, limit=max_rows, row=number)
        yield values


def first_rows(sheet: Any, *, columns: int, count: int) -> list[tuple[object, ...]]:
    """The sheet's first ``count`` rows, each as its first ``columns`` values (for
    headings and settings at the top of a sheet)."""
    return list(_rows(sheet, columns=columns, first_row=1, last_row=count))
