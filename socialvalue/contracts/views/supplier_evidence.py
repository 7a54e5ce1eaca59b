"""Evidence files of a return line: upload and delete, while the line is a draft or queried.

The file is checked by ``evidence_add`` (type from its content, size, name); a refused file
is explained on the page and leaves nothing behind.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.evidence import (
    ERR_LINE_LOCKED,
    evidence_add,
    evidence_delete,
    human_size,
)
from socialvalue.contracts.return_forms import EvidenceForm, add_service_errors
from socialvalue.contracts.selectors import get_evidence_for_user
from socialvalue.contracts.views.supplier_common import (
    back_to_return,
    line_tag,
    line_url,
    line_value,
    own_line,
    own_return,
    supplier_user,
)
from socialvalue.core.access import SUPPLIERS, Reach, access

MSG_UPLOADED = "{name} has been added to the evidence for {reference} {code}."
MSG_DELETED = "{name} has been removed from the evidence for {reference} {code}."


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_upload_view(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    line = own_line(request, return_record, line_pk)
    if not line.is_editable_by_supplier:
        return back_to_return(request, return_record, ERR_LINE_LOCKED)
    max_bytes = settings.EVIDENCE_MAX_BYTES
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        max_bytes=max_bytes,
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_add(line, form.cleaned_data["file"], by=user)
        except ValidationError as exc:
            add_service_errors(form, ValidationError({"file": exc.messages}))
        else:
            messages.success(
                request,
                MSG_UPLOADED.format(
                    name=evidence.original_name,
                    reference=line.contract.reference,
                    code=line.measure.code,
                ),
            )
            return redirect("contracts:evidence_upload", pk=return_record.pk, line_pk=line.pk)
    return render(
        request,
        "contracts/supplier/evidence.html",
        {
            "return": return_record,
            "period": return_record.period,
            "line": line,
            "tag": line_tag(line),
            "value": line_value(line),
            "evidence": list(line.evidence.all()),
            "form": form,
            "back_url": line_url(user, return_record, line.pk),
        },
    )


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_delete_view(request: AuthenticatedRequest, pk: int, evidence_pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    evidence = get_evidence_for_user(user, evidence_pk)
    if evidence.line.return_record_id != return_record.pk:
        raise Http404("No such evidence.")
    line = own_line(request, return_record, evidence.line_id)
    if not line.is_editable_by_supplier:
        return back_to_return(request, return_record, ERR_LINE_LOCKED)
    if request.method == "POST":
        try:
            evidence_delete(evidence, by=user)
        except ValidationError as exc:
            return back_to_return(request, return_record, exc.messages[0])
        messages.success(
            request,
            MSG_DELETED.format(
                name=evidence.original_name,
                reference=line.contract.reference,
                code=line.measure.code,
            ),
        )
        return redirect("contracts:evidence_upload", pk=return_record.pk, line_pk=line.pk)
    return render(
        request,
        "contracts/supplier/evidence_delete.html",
        {
            "return": return_record,
            "period": return_record.period,
            "line": line,
            "evidence": evidence,
            "size": human_size(evidence.size),
            "cancel_url": line_url(user, return_record, line.pk),
        },
    )
