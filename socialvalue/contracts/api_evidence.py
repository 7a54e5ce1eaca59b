"""Evidence files of return lines: upload, download, delete.

Files are checked by their content (PDF, DOCX, XLSX, CSV, JPEG or PNG, at most
``settings.EVIDENCE_MAX_BYTES``); a refused file is a 422 at ``["body", "file"]`` and leaves
nothing behind. Only the supplier adds or removes files, and only on a draft or queried
line (else 409). Whoever may see the line may download its files; anyone else gets 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from socialvalue.accounts.auth import api_auth
from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.api_common import (
    ERRORS,
    LineId,
    RecordId,
    ReturnId,
    caller,
    refusals,
    supplier_user,
)
from socialvalue.contracts.api_schemas import EvidenceOut, evidence_out
from socialvalue.contracts.evidence import (
    ALLOWED_LABELS,
    ERR_LINE_LOCKED,
    KINDS,
    evidence_add,
    evidence_delete,
    evidence_response,
)
from socialvalue.contracts.selectors import get_evidence_for_user, get_line_for_user
from socialvalue.core.access import STAFF_AND_SUPPLIERS, SUPPLIERS, Reach, api_access
from socialvalue.core.api_body import body_error

router = Router(tags=["returns"])

ERR_NO_FILE = "Attach the file as the multipart form field 'file'."
ERR_FILE_GONE = "The file of this evidence is missing."

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": f"A {ALLOWED_LABELS} file.",
                        }
                    },
                }
            }
        },
    }
}
DOWNLOAD_RESPONSE = {
    "responses": {
        200: {
            "description": "The file, as an attachment, with the content type it was "
            "checked to be.",
            "content": {
                kind.content_type: {"schema": {"type": "string", "format": "binary"}}
                for kind in KINDS
            },
        }
    }
}


@router.post(
    "/returns/{return_id}/lines/{line_id}/evidence",
    auth=api_auth,
    response={201: EvidenceOut, **ERRORS},
    summary="Add an evidence file to a line of your return",
    description="Suppliers only, for a draft or queried line (else 409). Send the file as "
    f"multipart/form-data field `file`: a {ALLOWED_LABELS} file whose name matches its "
    'content. A refused file is a 422 at `["body", "file"]` and nothing is stored.',
    openapi_extra=UPLOAD_BODY,
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def returns_evidence_add(
    request: AuthenticatedRequest,
    return_id: int = ReturnId,
    line_id: int = LineId,
) -> Any:
    user = supplier_user(request)
    line = get_line_for_user(user, line_id, return_pk=return_id)
    if not line.is_editable_by_supplier:
        raise HttpError(409, ERR_LINE_LOCKED)
    upload = request.FILES.get("file")
    if upload is None:
        raise NinjaValidationError([body_error(["file"], ERR_NO_FILE, "missing")])
    try:
        evidence = evidence_add(line, upload, by=user)
    except ValidationError as exc:
        if exc.messages == [ERR_LINE_LOCKED]:
            raise HttpError(409, ERR_LINE_LOCKED) from None
        # Anything else refused is about the file itself.
        raise NinjaValidationError([body_error(["file"], m) for m in exc.messages]) from None
    return Status(201, evidence_out(request, evidence))


@router.get(
    "/evidence/{evidence_id}",
    auth=api_auth,
    response={**ERRORS},
    summary="Download an evidence file",
    description="For whoever may see the line: the supplier, and the staff of the "
    "organisation that let the contract. Sent as an attachment, never cached.",
    openapi_extra=DOWNLOAD_RESPONSE,
)
@api_access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
def contracts_evidence_download(request: AuthenticatedRequest, evidence_id: int = RecordId) -> Any:
    evidence = get_evidence_for_user(caller(request), evidence_id)
    try:
        return evidence_response(evidence)
    except OSError:
        raise HttpError(404, ERR_FILE_GONE) from None


@router.delete(
    "/evidence/{evidence_id}",
    auth=api_auth,
    response={204: None, **ERRORS},
    summary="Remove an evidence file from a line of your return",
    description="Suppliers only, for a draft or queried line (else 409).",
)
@api_access(SUPPLIERS, Reach.ORGANISATION)
def returns_evidence_delete(request: AuthenticatedRequest, evidence_id: int = RecordId) -> Any:
    user = supplier_user(request)
    evidence = get_evidence_for_user(user, evidence_id)
    with refusals():
        evidence_delete(evidence, by=user)
    return Status(204, None)
