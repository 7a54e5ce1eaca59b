"""Officers' pages for verifying returns, and the download of evidence files.

Council staff (officers, evaluators and the lead) see the returns of suppliers holding one
of their organisation's contracts, and in them only the lines of those contracts. Every
record is fetched through the selectors, so an officer of another organisation gets 404.
Evidence is served to anyone allowed to see its line (the supplier's own users and the
buying organisation's staff), always as a download and never cached.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.contracts.evidence import download_name, evidence_response
from socialvalue.contracts.models import Evidence, ReturnLine
from socialvalue.contracts.returns import (
    line_query,
    line_reject,
    line_verify,
    returns_open,
    supplier_recipients,
)
from socialvalue.contracts.selectors import (
    get_evidence_for_user,
    get_line_for_user,
    get_return_for_user,
    returns_visible_to,
)
from socialvalue.contracts.verification_forms import ALL_QUARTERS, DecisionForm, ReturnState
from socialvalue.contracts.views.verification_page import (
    decision_prefix,
    line_anchor,
    lines_for_page,
    next_undecided,
    return_page_context,
)
from socialvalue.contracts.views.verification_queries import (
    ReturnRow,
    filter_form,
    filtered_returns,
    summary_for,
    timing_of,
)
from socialvalue.core.access import STAFF, STAFF_AND_SUPPLIERS, Reach, access

RETURNS_PER_PAGE = 25
LIST_TEMPLATE = "contracts/verification/return_list.html"
DETAIL_TEMPLATE = "contracts/verification/return_detail.html"
MISSING_TEMPLATE = "contracts/verification/evidence_missing.html"

MSG_VERIFIED = "You verified {code} on contract {reference}."
MSG_QUERIED = "You queried {code} on contract {reference}. {sent}"
MSG_REJECTED = "You rejected {code} on contract {reference}. {sent}"
MSG_SENT = "Your message has been emailed to {supplier}."
MSG_NOBODY = "{supplier} has no active users to email; they will see your message on the return."
MSG_ALL_DECIDED = " No line of your contracts in this return is left to decide."
ERR_FILE_MISSING = (
    "The file {name} is missing from the evidence store. Ask the supplier to upload it "
    "again, or tell the platform's administrators."
)


# --- The list of returns -------------------------------------------------------------------


@access(STAFF)
@require_safe
def officer_return_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    returns_open(today=today)
    form = filter_form(user, request.GET, today)
    page = Paginator(filtered_returns(user, form, today), RETURNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [ReturnRow(record=r, timing=timing_of(r, today)) for r in page]
    return render(
        request,
        LIST_TEMPLATE,
        {
            "form": form,
            "page": page,
            "rows": rows,
            "period": form.period,
            "filtered": form.active,
            "has_returns": returns_visible_to(user).exists(),
            "summary": summary_for(user, today),
            "all_quarters": ALL_QUARTERS,
            "states": ReturnState,
        },
    )


# --- One return ----------------------------------------------------------------------------


@access(STAFF, Reach.PARTIES)
@require_safe
def officer_return_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    return_record = get_return_for_user(user, pk)
    context = return_page_context(user, return_record, timezone.localdate())
    return render(request, DETAIL_TEMPLATE, context)


def _apply_errors(form: DecisionForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _decide(line: ReturnLine, form: DecisionForm, user: User) -> str:
    """Make the decision; the success message. Raises ``ValidationError`` when refused."""
    decision = form.cleaned_data["decision"]
    message = form.cleaned_data["message"] or ""
    names = {"code": line.measure.code, "reference": line.contract.reference}
    if decision == DecisionForm.VERIFY:
        line_verify(line, by=user, message=message)
        return MSG_VERIFIED.format(**names)
    supplier = line.return_record.supplier
    if decision == DecisionForm.QUERY:
        line_query(line, by=user, message=message)
        template = MSG_QUERIED
    else:
        line_reject(line, by=user, message=message)
        template = MSG_REJECTED
    sent = MSG_SENT if supplier_recipients(supplier) else MSG_NOBODY
    return template.format(**names, sent=sent.format(supplier=supplier.name))


@access(STAFF, Reach.PARTIES)
@require_POST
def line_decide_view(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    user = request.user
    return_record = get_return_for_user(user, pk)
    line = get_line_for_user(user, line_pk, return_pk=return_record.pk)
    form = DecisionForm(request.POST, prefix=decision_prefix(line))
    if form.is_valid():
        try:
            done = _decide(line, form, user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            following = next_undecided(lines_for_page(user, return_record), line.pk)
            if following is None:
                done += MSG_ALL_DECIDED
            messages.success(request, done)
            url = reverse("contracts:return_detail", args=[return_record.pk])
            anchor = line_anchor(following.pk) if following else "lines"
            return redirect(f"{url}#{anchor}")
    context = return_page_context(user, return_record, timezone.localdate(), failed=(line.pk, form))
    return render(request, DETAIL_TEMPLATE, context, status=400)


# --- Evidence files ------------------------------------------------------------------------


@access(STAFF_AND_SUPPLIERS, Reach.PARTIES)
@require_safe
def evidence_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    evidence: Evidence = get_evidence_for_user(user, pk)
    try:
        return evidence_response(evidence)
    except OSError:
        return render(
            request,
            MISSING_TEMPLATE,
            {
                "evidence": evidence,
                "problem": ERR_FILE_MISSING.format(name=download_name(evidence.original_name)),
                "return_pk": evidence.line.return_record_id,
            },
            status=404,
        )
