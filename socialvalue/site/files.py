"""The resource bank's rule for uploaded files, on ``core.uploads``.

A resource is a PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or CSV file, told by its
contents rather than its name, of at most ``settings.RESOURCE_MAX_BYTES`` (20 MB), with a
name ending in its type's extension (so it opens in the right program).
"""

from typing import IO

from socialvalue.core import uploads
from socialvalue.core.uploads import EMPTY, TOO_BIG, WRONG_NAME, UploadRefused

PDF = uploads.PDF.key
DOCX = uploads.DOCX.key
XLSX = uploads.XLSX.key
PPTX = uploads.PPTX.key
CSV = uploads.CSV.key
KINDS = (uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.PPTX, uploads.CSV)
ALLOWED_TYPES = tuple(kind.key for kind in KINDS)
LIMIT_SETTING = "RESOURCE_MAX_BYTES"

CONTENT_TYPES = {kind.key: kind.content_type for kind in KINDS}
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


class FileCheckError(ValueError):
    """An upload the resource bank refuses; ``str(error)`` is the message to show."""


def sniff_file_type(stream: IO[bytes]) -> str | None:
    """The file's real type (one of ``ALLOWED_TYPES``), or None if it is none of them.

    Reads from the start of ``stream`` and leaves it rewound.
    """
    kind = uploads.sniff_kind(stream)
    return kind.key if kind in KINDS else None


def _message(refused: UploadRefused) -> str:
    if refused.reason == EMPTY:
        return ERR_FILE_EMPTY
    if refused.reason == TOO_BIG:
        return ERR_FILE_TOO_BIG
    if refused.reason == WRONG_NAME and refused.kind is not None:
        shown = f".{refused.extension}" if refused.extension else "no extension"
        key = refused.kind.key
        return ERR_FILE_NAME.format(kind=TYPE_NAMES[key], ext=shown, expected=key)
    return ERR_FILE_TYPE


def check_upload(*, name: str, size: int, stream: IO[bytes]) -> str:
    """The type of an upload the resource bank accepts; raises ``FileCheckError`` otherwise."""
    try:
        kind = uploads.check_upload(
            name=name, size=size, stream=stream, kinds=KINDS, limit_setting=LIMIT_SETTING
        )
    except UploadRefused as refused:
        raise FileCheckError(_message(refused)) from refused
    return kind.key
