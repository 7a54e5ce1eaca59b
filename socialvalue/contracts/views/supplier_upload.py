"""The return template download and the completed template (or CSV) upload.

An upload replaces the return's draft lines, all or nothing: a file with any bad row
changes nothing, and the page lists every problem with its row number.
"""

from pathlib import PurePath

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.contracts.imports import ImportFailed, lines_import
from socialvalue.contracts.models import Evidence, Return, ReturnLine
from socialvalue.contracts.return_forms import ReturnUploadForm
from socialvalue.contracts.return_xlsx import (
    return_template_xlsx,
    rows_from_upload,
    template_file_name,
)
from socialvalue.contracts.returns import ERR_RETURN_SUBMITTED
from socialvalue.contracts.views.supplier_common import (
    back_to_return,
    own_return,
    return_url,
    supplier_user,
)
from socialvalue.core.access import SUPPLIERS, Reach, access
from socialvalue.core.spreadsheets import XLSX_CONTENT_TYPE

ERR_FILE_PROBLEMS = (
    "The file has {count} {problems}, listed above. Nothing in your return has changed."
)
MSG_IMPORTED = "{count} {lines} imported from {name}."


@access(SUPPLIERS, Reach.ORGANISATION)
@require_safe
def return_template_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The return's spreadsheet template, pre-filled with the quarter's contracts and
    targets (or with the return's draft lines)."""
    return_record = own_return(request, pk)
    response = HttpResponse(return_template_xlsx(return_record), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_file_name(return_record)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def return_upload_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = supplier_user(request)
    return_record = own_return(request, pk)
    if return_record.status != Return.Status.DRAFT:
        return back_to_return(request, return_record, ERR_RETURN_SUBMITTED)
    form = ReturnUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = PurePath(upload.name or "upload").name
        upload.seek(0)
        data = b"".join(upload.chunks())
        try:
            rows = rows_from_upload(data)
            batch = lines_import(return_record, rows, file_name=name, by=user)
        except ImportFailed as exc:
            row_errors = exc.messages
        else:
            count = batch.line_count
            messages.success(
                request,
                MSG_IMPORTED.format(
                    count=count, lines="line" if count == 1 else "lines", name=name
                ),
            )
            return redirect(return_url(return_record))
    if row_errors:
        count = len(row_errors)
        form.add_error(
            "file",
            ERR_FILE_PROBLEMS.format(count=count, problems="problem" if count == 1 else "problems"),
        )
    drafts = ReturnLine.objects.filter(return_record=return_record, status=ReturnLine.Status.DRAFT)
    return render(
        request,
        "contracts/supplier/return_upload.html",
        {
            "return": return_record,
            "period": return_record.period,
            "form": form,
            "row_errors": row_errors,
            "draft_count": drafts.count(),
            "evidence_count": Evidence.objects.filter(line__in=drafts).count(),
            "template_url": reverse("contracts:return_template", args=[return_record.pk]),
        },
    )
