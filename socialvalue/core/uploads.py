"""Checking an upload: its type told by its contents, its size within a limit from settings.

A pure module: it reads the bytes it is given and never touches the database or storage.
Every upload (contract evidence, resource-bank files, case-study photographs) is checked
here, each with the kinds of file it allows and the setting that holds its size limit:

- PDFs start with ``%PDF-``; JPEG images with ``FF D8 FF``; PNG images with their
  eight-byte signature.
- Word, Excel and PowerPoint files are zip archives with a ``[Content_Types].xml`` and
  their main part (``word/document.xml``, ``xl/workbook.xml``, ``ppt/presentation.xml``).
- CSV files are plain text (UTF-8, or Windows' cp1252) without control characters.

The name is never trusted for the type, but it must end in an extension of the type found,
so that nobody downloads a file that is not what it says. Each caller words the refusal
itself from ``UploadRefused.reason``.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from socialvalue.core.xlsx_reader import ZIP_ERRORS


@dataclass(frozen=True)
class FileKind:
    """A kind of file an upload may be: ``key`` names it in code and data files."""

    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = FileKind(
    "docx",
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    "xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
PPTX = FileKind(
    "pptx",
    "PPTX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
CSV = FileKind("csv", "CSV", "text/csv", (".csv",))
JPEG = FileKind("jpg", "JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileKind("png", "PNG", "image/png", (".png",))
KINDS = (PDF, DOCX, XLSX, PPTX, CSV, JPEG, PNG)

# Why an upload was refused (``UploadRefused.reason``), in the order they are checked.
EMPTY = "empty"
TOO_BIG = "too_big"
WRONG_TYPE = "wrong_type"
WRONG_NAME = "wrong_name"

_SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
_ZIP_SIGNATURE = b"PK\x03\x04"
_OFFICE_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_TEXT_SAMPLE_BYTES = 64 * 1024
# Text may hold tabs and line breaks; any other control character means a binary file.
_CONTROL_BYTES = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0D} | {0x7F}


class UploadRefused(ValueError):
    """An upload that is refused: ``reason`` says why (``EMPTY``, ``TOO_BIG``,
    ``WRONG_TYPE`` or ``WRONG_NAME``); ``kind`` is what it contains (for a wrong name),
    ``extension`` what its name ends in (without the dot, "" for none)."""

    def __init__(
        self,
        reason: str,
        *,
        size: int = 0,
        limit: int = 0,
        kind: FileKind | None = None,
        extension: str = "",
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size
        self.limit = limit
        self.kind = kind
        self.extension = extension


def _office_kind(stream: IO[bytes]) -> FileKind | None:
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


def sniff_kind(stream: IO[bytes]) -> FileKind | None:
    """The kind of file ``stream`` holds (one of ``KINDS``), or None if it is none of them.

    Reads from the start of ``stream`` and leaves it rewound.
    """
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        for signature, kind in _SIGNATURES:
            if head.startswith(signature):
                return kind
        if head.startswith(_ZIP_SIGNATURE):
            return _office_kind(stream)
        sample = stream.read(_TEXT_SAMPLE_BYTES + 1)
        whole = len(sample) <= _TEXT_SAMPLE_BYTES
        return CSV if _is_csv(sample[:_TEXT_SAMPLE_BYTES], whole=whole) else None
    finally:
        stream.seek(0)


def extension_of(name: str) -> str:
    """What a file name ends in, lower case and without the dot ("" for none)."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def max_upload_bytes(setting: str) -> int:
    """The size limit a setting holds, in bytes."""
    limit: int = getattr(settings, setting)
    return limit


def check_size(size: int, limit_setting: str) -> int:
    """Refuse (``UploadRefused``) a file of ``size`` bytes that is empty or over the limit in
    ``settings.<limit_setting>``, which is returned; no byte of the file need be read."""
    limit = max_upload_bytes(limit_setting)
    if size <= 0:
        raise UploadRefused(EMPTY, size=size, limit=limit)
    if size > limit:
        raise UploadRefused(TOO_BIG, size=size, limit=limit)
    return limit


def check_upload(
    *,
    name: str,
    size: int,
    stream: IO[bytes],
    kinds: tuple[FileKind, ...],
    limit_setting: str,
    check_name: bool = True,
) -> FileKind:
    """The kind of an acceptable upload; raises ``UploadRefused`` otherwise.

    The file must hold 1 byte to the limit in ``settings.<limit_setting>`` (checked before a
    byte of it is read), be one of ``kinds`` by its contents and, unless ``check_name`` is
    false, have a name ending in one of that kind's extensions.
    """
    limit = check_size(size, limit_setting)
    kind = sniff_kind(stream)
    extension = extension_of(name)
    if kind is None or kind not in kinds:
        raise UploadRefused(WRONG_TYPE, size=size, limit=limit, extension=extension)
    if check_name and f".{extension}" not in kind.extensions:
        raise UploadRefused(WRONG_NAME, size=size, limit=limit, kind=kind, extension=extension)
    return kind


def human_size(size: int | None, *, whole_mb: bool = False) -> str:
    """A file size as people read it: 850 bytes, 12 KB, 1.4 MB ("" for no size).

    With ``whole_mb``, a whole number of megabytes drops its ".0": 10 MB.
    """
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    text = f"{size / (1024 * 1024):.1f} MB"
    return text.replace(".0 MB", " MB") if whole_mb else text
