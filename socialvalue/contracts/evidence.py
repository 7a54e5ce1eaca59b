"""Evidence files: checked by their content, stored privately under a random name.

Only PDF, DOCX, XLSX, CSV, JPEG and PNG files are accepted, and the type is worked out from
the bytes, not the name: an executable renamed ``.pdf`` is refused. The file's name must
also match what it contains, so that nobody downloads a file that is not what it says.
Files are at most ``settings.EVIDENCE_MAX_BYTES``. A refused or failed upload leaves
nothing behind: no row and no stored file.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Evidence, LineEvent, ReturnLine


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
DOCX = FileKind(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
CSV = FileKind("CSV", "text/csv", (".csv",))
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileKind("PNG", "image/png", (".png",))
KINDS_BY_EXTENSION_NAME = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX, "jpg": JPEG, "png": PNG}
KINDS = (PDF, DOCX, XLSX, CSV, JPEG, PNG)
ALLOWED_LABELS = "PDF, DOCX, XLSX, CSV, JPEG or PNG"
ACCEPT_ATTRIBUTE = ".pdf,.docx,.xlsx,.csv,.jpg,.jpeg,.png"

ERR_EMPTY = "The file {name} is empty."
ERR_TOO_BIG = "The file {name} is {size}; files must be {limit} or smaller."
ERR_TYPE = "The file {name} is not a {allowed} file (its content was checked, not just its name)."
ERR_NAME_MISMATCH = (
    "The file {name} contains a {kind} file but its name ends in {ext}. Rename it to end in "
    "{expected} and upload it again."
)
ERR_LINE_LOCKED = "Evidence can only be added to or removed from a draft or queried line."
ERR_NAME = "The file has no name."
MAX_NAME = 255
SNIFF_BYTES = 8192
TEXT_SNIFF_BYTES = 65536


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls == 0


def detect_kind(head: bytes) -> FileKind | None:
    """The allowed kind of file these first bytes belong to, or None."""
    guess = filetype.guess(head[:SNIFF_BYTES])
    if guess is not None:
        return KINDS_BY_EXTENSION_NAME.get(guess.extension)
    if head and _looks_like_text(head[:TEXT_SNIFF_BYTES]):
        return CSV
    return None


def check_file(name: str, data_head: bytes, size: int) -> FileKind:
    """The file's kind, or ``ValidationError`` saying exactly what is wrong with it."""
    shown = PurePath(name).name or "(no name)"
    if not name.strip():
        raise ValidationError(ERR_NAME)
    limit = settings.EVIDENCE_MAX_BYTES
    if size == 0:
        raise ValidationError(ERR_EMPTY.format(name=shown))
    if size > limit:
        raise ValidationError(
            ERR_TOO_BIG.format(name=shown, size=human_size(size), limit=human_size(limit))
        )
    kind = detect_kind(data_head)
    if kind is None:
        raise ValidationError(ERR_TYPE.format(name=shown, allowed=ALLOWED_LABELS))
    ext = PurePath(name).suffix.lower()
    if ext not in kind.extensions:
        if kind is CSV:
            # Plain text named anything but .csv: not an allowed file.
            raise ValidationError(ERR_TYPE.format(name=shown, allowed=ALLOWED_LABELS))
        raise ValidationError(
            ERR_NAME_MISMATCH.format(
                name=shown, kind=kind.label, ext=ext or "nothing", expected=kind.extensions[0]
            )
        )
    return kind


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    return b"".join(upload.chunks())


def evidence_add(line: ReturnLine, upload: UploadedFile, *, by: User | None) -> Evidence:
    """Attach ``upload`` to a draft or queried line. Refuses bad files before storing
    anything; if saving the record fails, the stored file is removed again."""
    # Read the line afresh: the caller's copy may predate the return's submission.
    if not ReturnLine.objects.get(pk=line.pk).is_editable_by_supplier:
        raise ValidationError(ERR_LINE_LOCKED)
    name = PurePath(upload.name or "").name[:MAX_NAME]
    size = upload.size or 0
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        # Refuse before reading a byte of an oversized file.
        check_file(name, b"", size)
    data = _read_all(upload)
    kind = check_file(name, data[:TEXT_SNIFF_BYTES], len(data))
    storage = storages["evidence"]
    evidence = Evidence(
        line=line,
        original_name=name,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    stored_name = ""
    try:
        with transaction.atomic():
            # Locked, so that the return cannot be submitted while the evidence is saved.
            line = ReturnLine.objects.select_for_update().get(pk=line.pk)
            if not line.is_editable_by_supplier:
                raise ValidationError(ERR_LINE_LOCKED)
            evidence.file.save(name, ContentFile(data), save=False)
            stored_name = evidence.file.name or ""
            evidence.save()
            LineEvent.objects.create(
                line=line,
                action=LineEvent.Action.EVIDENCE_ADDED,
                from_status=line.status,
                to_status=line.status,
                message=name,
                by=by,
            )
    except BaseException:
        if stored_name:
            storage.delete(stored_name)
        raise
    return evidence


@transaction.atomic
def evidence_delete(evidence: Evidence, *, by: User | None) -> None:
    line = ReturnLine.objects.select_for_update().get(pk=evidence.line_id)
    if not line.is_editable_by_supplier:
        raise ValidationError(ERR_LINE_LOCKED)
    name = evidence.file.name
    evidence.delete()
    LineEvent.objects.create(
        line=line,
        action=LineEvent.Action.EVIDENCE_REMOVED,
        from_status=line.status,
        to_status=line.status,
        message=evidence.original_name,
        by=by,
    )
    transaction.on_commit(lambda: storages["evidence"].delete(name))


def download_name(name: str) -> str:
    """The supplier's file name, made safe for a Content-Disposition header: no folders,
    no control characters, never empty."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch if ch.isprintable() else "_" for ch in base).strip().strip(".")
    return cleaned or "evidence"


def evidence_response(evidence: Evidence) -> FileResponse:
    """The file as a download that is never shown inline, sniffed or cached.

    Raises ``OSError`` (``FileNotFoundError``) when the stored file is missing.
    """
    storage = storages["evidence"]
    if not evidence.file.name or not storage.exists(evidence.file.name):
        raise FileNotFoundError(evidence.file.name)
    response = FileResponse(
        storage.open(evidence.file.name, "rb"),
        as_attachment=True,
        filename=download_name(evidence.original_name),
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
