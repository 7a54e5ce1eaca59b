"""What kind of file an upload really is, judged by its contents rather than its name.

A pure module: it reads the bytes it is given and never touches the database or storage.
PDFs start with ``%PDF-``; Word, Excel and PowerPoint files are zip archives with a
``[Content_Types].xml`` and their main part (``word/document.xml``, ``xl/workbook.xml``,
``ppt/presentation.xml``); CSV files are plain text without control characters.
"""

import csv
import io
import zipfile
from typing import IO

from socialvalue.core.xlsx_reader import ZIP_ERRORS

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB

PDF = "pdf"
DOCX = "docx"
XLSX = "xlsx"
PPTX = "pptx"
CSV = "csv"
ALLOWED_TYPES = (PDF, DOCX, XLSX, PPTX, CSV)

CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    CSV: "text/csv",
}
TYPE_NAMES = {
    PDF: "PDF",
    DOCX: "Word (DOCX)",
    XLSX: "Excel (XLSX)",
    PPTX: "PowerPoint (PPTX)",
    CSV: "CSV",
}

ERR_FILE_EMPTY = "The selected file is empty."
ERR_FILE_TOO_BIG = "The selected file must be smaller than 20 MB."
ERR_FILE_TYPE = (
    "The selected file must be a PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or CSV file."
)
ERR_FILE_NAME = (
    "The selected file is a {kind} file but its name ends in “{ext}”. "
    "Rename it to end in “.{expected}” and choose it again."
)

_OFFICE_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_CSV_SAMPLE_BYTES = 64 * 1024
# Text may hold tabs and line breaks; any other control character means a binary file.
_CONTROL_BYTES = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0D} | {0x7F}


class FileCheckError(ValueError):
    """An upload the resource bank refuses; ``str(error)`` is the message to show."""


def _office_type(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except ZIP_ERRORS:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in _OFFICE_PARTS.items():
        if part in names:
            return kind
    return None


def _text(sample: bytes, *, whole: bool) -> str | None:
    try:
        return sample.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A sample of a longer file can stop halfway through a character.
        if not whole and error.reason == "unexpected end of data":
            return sample[: error.start].decode("utf-8-sig")
    try:
        return sample.decode("cp1252")  # spreadsheets saved as "CSV" on Windows
    except UnicodeDecodeError:
        return None


def _is_csv(sample: bytes, *, whole: bool) -> bool:
    if not sample.strip() or any(byte in _CONTROL_BYTES for byte in sample):
        return False
    text = _text(sample, whole=whole)
    if text is None:
        return False
    try:
        return bool(list(csv.reader(io.StringIO(text))))
    except csv.Error:
        return False


def sniff_file_type(stream: IO[bytes]) -> str | None:
    """The file's real type (one of ``ALLOWED_TYPES``), or None if it is none of them.

    Reads from the start of ``stream`` and leaves it rewound.
    """
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return _office_type(stream)
        sample = stream.read(_CSV_SAMPLE_BYTES + 1)
        whole = len(sample) <= _CSV_SAMPLE_BYTES
        return CSV if _is_csv(sample[:_CSV_SAMPLE_BYTES], whole=whole) else None
    finally:
        stream.seek(0)


def check_upload(*, name: str, size: int, stream: IO[bytes]) -> str:
    """The type of an upload the resource bank accepts; raises ``FileCheckError`` otherwise.

    The file must be 1 byte to 20 MB, be one of the allowed types by its contents, and have
    a name ending in that type's extension (so it opens in the right program).
    """
    if size <= 0:
        raise FileCheckError(ERR_FILE_EMPTY)
    if size > MAX_FILE_BYTES:
        raise FileCheckError(ERR_FILE_TOO_BIG)
    kind = sniff_file_type(stream)
    if kind is None:
        raise FileCheckError(ERR_FILE_TYPE)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix != kind:
        shown = f".{suffix}" if suffix else "no extension"
        raise FileCheckError(ERR_FILE_NAME.format(kind=TYPE_NAMES[kind], ext=shown, expected=kind))
    return kind


def human_size(size: int | None) -> str:
    """A file size as people read it: 850 bytes, 12 KB, 1.4 MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
