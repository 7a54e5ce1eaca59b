"""The commitments of a supplier's offer: adding, changing and removing one at a time, with a
preview of its value, and replacing them all from a completed offer template.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import (
    SUPPLIERS,
    Reach,
    access,
)
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment
from socialvalue.procurement.offers.forms import (
    ANSWERS,
    CommitmentForm,
    OfferUploadForm,
    parse_offer_quantity,
)
from socialvalue.procurement.offers.pages import (
    ERR_TEMPLATE_PROBLEMS,
    MSG_ADDED,
    MSG_REMOVED,
    MSG_STILL_SUBMITTED,
    MSG_UPDATED,
    MSG_UPLOADED,
    MSG_UPLOADED_ONE,
    locked_redirect,
    own_bid,
    require_supplier,
    safe_total,
    saved_lines,
    tender_context,
)
from socialvalue.procurement.offers.rules import (
    OfferLocked,
    offer_lock_reason,
)
from socialvalue.procurement.offers.selectors import commitments_of
from socialvalue.procurement.offers.services import (
    bid_replace_commitments,
    commitment_add,
    commitment_remove,
    commitment_update,
)

# --- Commitments ----------------------------------------------------------------------------


def _commitment_page(
    request: AuthenticatedRequest, bid: Bid, commitment: Commitment | None
) -> HttpResponse:
    user = require_supplier(request)
    reason = offer_lock_reason(bid)
    if reason:
        return locked_redirect(request, bid, reason)
    commitments = commitments_of(bid)
    if request.headers.get("HX-Request") and request.method != "POST":
        return _commitment_preview(request, bid, commitments, commitment)

    initial: dict[str, Any] = {}
    if commitment is not None:
        response = getattr(commitment, "response", None)
        initial = {
            "measure": str(commitment.measure_id),
            "quantity": f"{commitment.quantity.normalize():f}",
            "target_district": commitment.target_district,
            **{name: getattr(response, name, "") for name, *_ in ANSWERS},
        }
    form = CommitmentForm(
        request.POST if request.method == "POST" else None,
        tender=bid.tender,
        initial=initial,
        live_url=request.path,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "measure": data["measure"],
            "quantity": data["quantity"],
            "target_district": data["target_district"],
            **{name: data[name] for name, *_ in ANSWERS},
        }
        try:
            if commitment is None:
                saved = commitment_add(bid=bid, by=user, **fields)
                message = MSG_ADDED
            else:
                saved = commitment_update(commitment=commitment, by=user, **fields)
                message = MSG_UPDATED
        except OfferLocked as exc:
            return locked_redirect(request, bid, exc.messages[0])
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, message.format(code=saved.measure.code))
            if bid.status == Bid.Status.SUBMITTED:
                messages.info(request, MSG_STILL_SUBMITTED)
            return redirect("procurement:offer_edit", pk=bid.pk)

    preview = _preview_from_form(form, bid, commitments, commitment)
    return render(
        request,
        "procurement/offers/commitment_form.html",
        {
            **tender_context(bid.tender),
            "bid": bid,
            "form": form,
            "commitment": commitment,
            "position": (
                commitments.index(commitment) + 1
                if commitment is not None and commitment in commitments
                else len(commitments) + 1
            ),
            **preview,
        },
    )


def _add_service_errors(form: CommitmentForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _pending_line(
    bid: Bid, measure_value: str, quantity_text: str
) -> tuple[Measure | None, Decimal | None, str]:
    """The measure and quantity being typed, and why the quantity cannot be used yet."""
    measure = None
    if measure_value.isdigit():
        measure = bid.tender.menu.filter(pk=int(measure_value)).first()
    quantity, error = None, ""
    if quantity_text.strip():
        try:
            quantity = parse_offer_quantity(quantity_text)
        except ValidationError as exc:
            error = exc.messages[0]
    return measure, quantity, error


def _preview(
    bid: Bid,
    commitments: list[Commitment],
    editing: Commitment | None,
    measure: Measure | None,
    quantity: Decimal | None,
    quantity_error: str,
) -> dict[str, Any]:
    lines = saved_lines(commitments, leave_out=editing.pk if editing else None)
    pending_value = None
    if measure is not None and quantity is not None:
        lines.append((measure.code, quantity))
        pending_value = quantity * (measure.proxy_value or 0)
    return {
        "total": safe_total(bid.tender, lines, bid.price),
        "price": bid.price,
        "pending_measure": measure,
        "pending_quantity": quantity,
        "pending_value": pending_value,
        "quantity_error": quantity_error,
        "compact": True,
    }


def _preview_from_form(
    form: CommitmentForm, bid: Bid, commitments: list[Commitment], editing: Commitment | None
) -> dict[str, Any]:
    if form.is_bound:
        measure, quantity, _ = _pending_line(
            bid, str(form.data.get("measure", "")), str(form.data.get("quantity", ""))
        )
        return _preview(bid, commitments, editing, measure, quantity, "")
    if editing is not None:
        return _preview(bid, commitments, editing, editing.measure, editing.quantity, "")
    return _preview(bid, commitments, None, None, None, "")


def _commitment_preview(
    request: AuthenticatedRequest,
    bid: Bid,
    commitments: list[Commitment],
    editing: Commitment | None,
) -> HttpResponse:
    measure, quantity, error = _pending_line(
        bid, request.GET.get("measure", ""), request.GET.get("quantity", "")
    )
    context = _preview(bid, commitments, editing, measure, quantity, error)
    return render(
        request,
        "procurement/offers/_running_total.html",
        {**context, "bid": bid, "tender": bid.tender, "live": True},
    )


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def commitment_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _commitment_page(request, own_bid(request, pk), None)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def commitment_edit(request: AuthenticatedRequest, pk: int, cpk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    commitment = get_object_or_404(
        Commitment.objects.select_related("measure", "response"), pk=cpk, bid=bid
    )
    return _commitment_page(request, bid, commitment)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_delete(request: AuthenticatedRequest, pk: int, cpk: int) -> HttpResponse:
    user = require_supplier(request)
    bid = own_bid(request, pk)
    commitment = get_object_or_404(
        Commitment.objects.select_related("measure", "response"), pk=cpk, bid=bid
    )
    reason = offer_lock_reason(bid)
    if reason:
        return locked_redirect(request, bid, reason)
    error = ""
    if request.method == "POST":
        try:
            commitment_remove(commitment=commitment, by=user)
        except OfferLocked as exc:
            return locked_redirect(request, bid, exc.messages[0])
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, MSG_REMOVED.format(code=commitment.measure.code))
            return redirect("procurement:offer_edit", pk=bid.pk)
    return render(
        request,
        "procurement/offers/commitment_remove.html",
        {**tender_context(bid.tender), "bid": bid, "commitment": commitment, "error": error},
    )


# --- Completed template upload --------------------------------------------------------------


@access(SUPPLIERS, Reach.ORGANISATION)
@require_GET
def offer_template_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The tender's offer template, filled in with the offer's current commitments."""
    from socialvalue.procurement.offers.xlsx_template import (
        offer_template_xlsx,
    )

    bid = own_bid(request, pk)
    content = offer_template_xlsx(tender=bid.tender, bid=bid)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in bid.tender.reference)
    response["Content-Disposition"] = f'attachment; filename="offer-{name}.xlsx"'
    # The filled-in template is a sealed offer: keep copies out of shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def offer_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    from socialvalue.procurement.offers.xlsx_import import (
        OfferImportError,
        offer_xlsx_parse,
    )

    user = require_supplier(request)
    bid = own_bid(request, pk)
    reason = offer_lock_reason(bid)
    if reason:
        return locked_redirect(request, bid, reason)
    form = OfferUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            lines = offer_xlsx_parse(tender=bid.tender, data=data)
            bid_replace_commitments(bid=bid, lines=lines, by=user)
        except OfferLocked as exc:
            return locked_redirect(request, bid, exc.messages[0])
        except OfferImportError as exc:
            # Each message names its row already ("Row 12: ..."), in row order.
            row_errors = [message for _row, message in exc.row_errors] or list(exc.messages)
        except ValidationError as exc:
            row_errors = list(exc.messages)
        else:
            count = len(lines)
            messages.success(
                request, MSG_UPLOADED_ONE if count == 1 else MSG_UPLOADED.format(count=count)
            )
            if bid.status == Bid.Status.SUBMITTED:
                messages.info(request, MSG_STILL_SUBMITTED)
            return redirect("procurement:offer_edit", pk=bid.pk)
    if row_errors:
        count = len(row_errors)
        form.add_error(
            "file",
            ERR_TEMPLATE_PROBLEMS.format(
                count=count, problems="problem" if count == 1 else "problems"
            ),
        )
    return render(
        request,
        "procurement/offers/offer_upload.html",
        {
            **tender_context(bid.tender),
            "bid": bid,
            "form": form,
            "row_errors": row_errors,
            "template_url": reverse("procurement:offer_template_download", args=[bid.pk]),
        },
    )
