"""Evidence files: checked by their content, stored privately under a random name.

Only PDF, DOCX, XLSX, CSV, JPEG and PNG files are accepted, and the type is worked out from
the bytes, not the name: an executable renamed ``.pdf`` is refused. The file's name must
also match what it contains, so that nobody downloads a file that is not what it says.
Files are at most ``settings.EVIDENCE_MAX_BYTES``; the checks are ``core.uploads``'. A
refused or failed upload leaves nothing behind: no row and no stored file.
"""

import hashlib
import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Evidence, LineEvent, ReturnLine
from socialvalue.core import uploads
from socialvalue.core.uploads import (
    CSV,
    DOCX,
    EMPTY,
    JPEG,
    PDF,
    PNG,
    TOO_BIG,
    WRONG_NAME,
    XLSX,
    FileKind,
    UploadRefused,
)

KINDS = (PDF, DOCX, XLSX, CSV, JPEG, PNG)
ALLOWED_LABELS = "PDF, DOCX, XLSX, CSV, JPEG or PNG"
ACCEPT_ATTRIBUTE = ".pdf,.docx,.xlsx,.csv,.jpg,.jpeg,.png"
LIMIT_SETTING = "EVIDENCE_MAX_BYTES"

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


def human_size(size: int) -> str:
    """A file size as people read it: 850 bytes, 12 KB, 10 MB, 1.5 MB."""
    return uploads.human_size(size, whole_mb=True)


def _message(refused: UploadRefused, shown: str) -> str:
    if refused.reason == EMPTY:
        return ERR_EMPTY.format(name=shown)
    if refused.reason == TOO_BIG:
        return ERR_TOO_BIG.format(
            name=shown, size=human_size(refused.size), limit=human_size(refused.limit)
        )
    # Plain text named anything but .csv is not an allowed file.
    if refused.reason == WRONG_NAME and refused.kind is not None and refused.kind is not CSV:
        ext = f".{refused.extension}" if refused.extension else "nothing"
        kind = refused.kind
        return ERR_NAME_MISMATCH.format(
            name=shown, kind=kind.label, ext=ext, expected=kind.extensions[0]
        )
    return ERR_TYPE.format(name=shown, allowed=ALLOWED_LABELS)


def detect_kind(data: bytes) -> FileKind | None:
    """The allowed kind of file ``data`` is, or None."""
    kind = uploads.sniff_kind(io.BytesIO(data))
    return kind if kind in KINDS else None


def check_file(name: str, data: bytes, size: int) -> FileKind:
    """The file's kind, or ``ValidationError`` saying exactly what is wrong with it."""
    shown = PurePath(name).name or "(no name)"
    if not name.strip():
        raise ValidationError(ERR_NAME)
    try:
        return uploads.check_upload(
            name=name, size=size, stream=io.BytesIO(data), kinds=KINDS, limit_setting=LIMIT_SETTING
        )
    except UploadRefused as refused:
        raise ValidationError(_message(refused, shown)) from refused


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
    if size > uploads.max_upload_bytes(LIMIT_SETTING):
        # Refuse before reading a byte of an oversized file.
        check_file(name, b"", size)
    data = _read_all(upload)
    kind = check_file(name, data, len(data))
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
