"""Supplier pages: open opportunities, and drafting, submitting and withdrawing an offer.

Every bid is fetched with ``get_bid_for_user``, so another supplier (always) and the
buyer's staff (before the deadline, and for drafts at any time) get 404.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from socialvalue.accounts.models import User
from socialvalue.core.access import (
    NOT_SUPPLIER,
    STAFF_AND_SUPPLIERS,
    SUPPLIERS,
    Reach,
    access,
)
from socialvalue.framework.calculator import Calculation, CalculationError
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment, Tender
from socialvalue.procurement.offer_forms import (
    ANSWERS,
    CommitmentForm,
    OfferUploadForm,
    PriceForm,
    parse_offer_quantity,
    parse_price,
)
from socialvalue.procurement.offer_selectors import (
    bid_of,
    commitments_of,
    days_to_close,
    offers_of,
    opportunities_for,
    optional_url,
    running_total,
)
from socialvalue.procurement.offers import (
    OfferIncomplete,
    OfferLocked,
    SubmissionProblem,
    bid_reopen,
    bid_replace_commitments,
    bid_start,
    bid_submission_problems,
    bid_submit,
    bid_update,
    bid_withdraw,
    commitment_add,
    commitment_remove,
    commitment_update,
    london_time,
    offer_changed_since_submission,
    offer_lock_reason,
)
from socialvalue.procurement.selectors import get_bid_for_user, get_tender_for_user, policy_for

SUPPLIER = User.Role.SUPPLIER
OPPORTUNITIES_PER_PAGE = 20
OFFERS_PER_PAGE = 25

ERR_TEMPLATE_PROBLEMS = (
    "Your template has {count} {problems}, listed above. Nothing in your offer has changed."
)
MSG_STARTED = "You have started an offer. Add your bid price and your commitments."
MSG_PRICE_SAVED = "Your bid price has been saved."
MSG_ADDED = "Commitment {code} has been added to your offer."
MSG_UPDATED = "Commitment {code} has been updated."
MSG_REMOVED = "Commitment {code} has been removed from your offer."
MSG_UPLOADED = "Your offer now has the {count} commitments from your completed template."
MSG_UPLOADED_ONE = "Your offer now has the 1 commitment from your completed template."
MSG_WITHDRAWN = "Your offer has been withdrawn. It will not be evaluated."
MSG_REOPENED = "Your offer is a draft again. Submit it before the deadline to be evaluated."
MSG_STILL_SUBMITTED = (
    "Your offer is still submitted with this change. Submit it again to get a new receipt "
    "that covers your changes."
)

STATUS_TAGS: dict[str, str] = {
    Bid.Status.DRAFT: "govuk-tag--grey",
    Bid.Status.SUBMITTED: "govuk-tag--blue",
    Bid.Status.WITHDRAWN: "govuk-tag--orange",
    Bid.Status.SUCCESSFUL: "govuk-tag--green",
    Bid.Status.UNSUCCESSFUL: "govuk-tag--red",
}


# --- Helpers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusTag:
    label: str
    css: str


def status_tag(bid: Bid) -> StatusTag:
    if bid.status == Bid.Status.DRAFT and timezone.now() >= bid.tender.deadline:
        return StatusTag("Not submitted", "govuk-tag--grey")
    return StatusTag(bid.get_status_display(), STATUS_TAGS.get(bid.status, "govuk-tag--grey"))


def _require_supplier(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not user.is_supplier_user:
        raise PermissionDenied(NOT_SUPPLIER)
    return user


def _own_bid(request: HttpRequest, pk: int) -> Bid:
    """The signed-in supplier's own bid (404 for anyone else's)."""
    return get_bid_for_user(request.user, pk)  # type: ignore[arg-type]


def _tender_context(tender: Tender) -> dict[str, Any]:
    return {
        "tender": tender,
        "deadline_text": london_time(tender.deadline),
        "closes_text": days_to_close(tender.deadline),
    }


def _safe_total(
    tender: Tender, lines: list[tuple[str, Decimal]], price: Decimal | None
) -> Calculation | None:
    try:
        return running_total(tender=tender, lines=lines, price=price)
    except CalculationError:
        return None


def _saved_lines(
    commitments: list[Commitment], *, leave_out: int | None = None
) -> list[tuple[str, Decimal]]:
    return [(c.measure.code, c.quantity) for c in commitments if c.pk != leave_out]


def _locked_redirect(request: HttpRequest, bid: Bid, reason: str) -> HttpResponse:
    messages.error(request, reason)
    return redirect("procurement:offer_edit", pk=bid.pk)


@dataclass(frozen=True)
class OfferRow:
    """One commitment as the offer pages show it: its value and its delivery plan."""

    position: int
    commitment: Commitment
    value: Decimal | None
    district: str
    answers: list[tuple[str, str, str]]  # (field, label, text)
    missing: list[str]


def _offer_rows(commitments: list[Commitment], total: Calculation | None) -> list[OfferRow]:
    values: list[Decimal | None] = list(total.values) if total is not None else []
    values += [None] * (len(commitments) - len(values))
    rows = []
    for position, (commitment, value) in enumerate(zip(commitments, values, strict=True), 1):
        response = getattr(commitment, "response", None)
        answers = [(name, label, getattr(response, name, "") or "") for name, label, *_ in ANSWERS]
        rows.append(
            OfferRow(
                position=position,
                commitment=commitment,
                value=value,
                district=commitment.get_target_district_display()
                if commitment.target_district
                else "",
                answers=answers,
                missing=[
                    label
                    for (name, label, text), (*_, required) in zip(answers, ANSWERS, strict=True)
                    if required and not text.strip()
                ],
            )
        )
    return rows


def _offer_context(bid: Bid, commitments: list[Commitment] | None = None) -> dict[str, Any]:
    commitments = commitments if commitments is not None else commitments_of(bid)
    total = _safe_total(bid.tender, _saved_lines(commitments), bid.price)
    lock_reason = offer_lock_reason(bid)
    return {
        **_tender_context(bid.tender),
        "bid": bid,
        "status_tag": status_tag(bid),
        "lock_reason": lock_reason,
        "editable": lock_reason is None,
        "can_reopen": bid.status == Bid.Status.WITHDRAWN
        and bid.tender.status == Tender.Status.OPEN
        and timezone.now() < bid.tender.deadline,
        "commitments": commitments,
        "rows": _offer_rows(commitments, total),
        "total": total,
        "price": bid.price,
        "changed_since_submission": offer_changed_since_submission(bid),
        "submitted_text": london_time(bid.submitted_at) if bid.submitted_at else "",
        "withdrawn_text": london_time(bid.withdrawn_at) if bid.withdrawn_at else "",
    }


# --- Opportunities --------------------------------------------------------------------------


@access(SUPPLIERS)
@require_GET
def opportunity_list(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    if category not in Tender.Category.values:
        category = ""
    query = request.GET.get("q", "").strip()[:200]
    tenders = opportunities_for(request.user, category=category, query=query)  # type: ignore[arg-type]
    page = Paginator(tenders, OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    own = set(
        Bid.objects.filter(
            supplier_id=request.user.organisation_id,  # type: ignore[union-attr]
            tender__in=[t.pk for t in page.object_list],
        ).values_list("tender_id", flat=True)
    )
    items = [
        {
            "tender": tender,
            "deadline_text": london_time(tender.deadline),
            "closes_text": days_to_close(tender.deadline),
            "started": tender.pk in own,
        }
        for tender in page.object_list
    ]
    return render(
        request,
        "procurement/offers/opportunity_list.html",
        {
            "page": page,
            "items": items,
            "category": category,
            "query": query,
            "categories": Tender.Category.choices,
            "filtered": bool(category or query),
        },
    )


@access(SUPPLIERS, Reach.PARTIES)
@require_GET
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tender = get_tender_for_user(request.user, pk)  # type: ignore[arg-type]
    bid = bid_of(tender, request.user)  # type: ignore[arg-type]
    menu = list(tender.menu.select_related("theme").order_by("theme__order", "order", "code"))
    themes: dict[str, list[Measure]] = {}
    for measure in menu:
        themes.setdefault(measure.theme.name, []).append(measure)
    pack = [
        (label, url)
        for label, url in (
            (
                "Social value invitation to tender wording (Word document)",
                optional_url("procurement:itt_docx", tender.pk),
            ),
            (
                "Qualitative delivery plan template (Word document)",
                optional_url("procurement:qdp_docx", tender.pk),
            ),
            (
                "Offer template (Excel spreadsheet)",
                optional_url("procurement:offer_template_xlsx", tender.pk),
            ),
        )
        if url
    ]
    now = timezone.now()
    policy = policy_for(tender.organisation_id)
    return render(
        request,
        "procurement/offers/opportunity_detail.html",
        {
            **_tender_context(tender),
            "bid": bid,
            "themes": themes,
            "menu_count": len(menu),
            "pack": pack,
            "accepting": tender.status == Tender.Status.OPEN and now < tender.deadline,
            "quality_levels": list(policy.quality_levels.all()) if policy else [],
        },
    )


@access(SUPPLIERS, Reach.PARTIES)
@require_POST
def offer_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_supplier(request)
    tender = get_tender_for_user(user, pk)
    existing = bid_of(tender, user)
    try:
        bid = bid_start(tender=tender, supplier=user.organisation, by=user)  # type: ignore[arg-type]
    except OfferLocked as exc:
        messages.error(request, exc.messages[0])
        return redirect("procurement:opportunity_detail", pk=tender.pk)
    if existing is None:
        messages.success(request, MSG_STARTED)
    return redirect("procurement:offer_edit", pk=bid.pk)


# --- The supplier's offers ------------------------------------------------------------------


@access(SUPPLIERS)
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(offers_of(request.user), OFFERS_PER_PAGE).get_page(  # type: ignore[arg-type]
        request.GET.get("page")
    )
    items = [
        {
            "bid": bid,
            "tag": status_tag(bid),
            "deadline_text": london_time(bid.tender.deadline),
            "closes_text": days_to_close(bid.tender.deadline),
            "debrief_url": (
                optional_url("procurement:debrief", bid.pk)
                if bid.status in (Bid.Status.SUCCESSFUL, Bid.Status.UNSUCCESSFUL)
                else None
            ),
        }
        for bid in page.object_list
    ]
    return render(request, "procurement/offers/offer_list.html", {"page": page, "items": items})


@access(STAFF_AND_SUPPLIERS, Reach.PARTIES, writes=SUPPLIERS)
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The supplier's offer editor; the buyer's staff see a submitted offer read-only once
    the deadline has passed. With htmx, answers the running total for a typed price."""
    if request.method == "POST":
        _require_supplier(request)
    bid = _own_bid(request, pk)
    user = request.user
    assert isinstance(user, User)
    if not user.is_supplier_user:
        context = _offer_context(bid)
        context["tender_url"] = optional_url("procurement:tender_detail", bid.tender_id)
        context["tender_list_url"] = optional_url("procurement:tender_list")
        return render(request, "procurement/offers/offer_view.html", context)

    commitments = commitments_of(bid)
    if request.headers.get("HX-Request") and request.method != "POST":
        return _price_preview(request, bid, commitments)

    form = PriceForm(
        request.POST if request.method == "POST" else None,
        live_url=request.path,
        initial={"price": _price_text(bid.price)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            bid_update(bid=bid, by=user, price=form.cleaned_data["price"])
        except OfferLocked as exc:
            return _locked_redirect(request, bid, exc.messages[0])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, MSG_PRICE_SAVED)
            if bid.status == Bid.Status.SUBMITTED:
                messages.info(request, MSG_STILL_SUBMITTED)
            return redirect("procurement:offer_edit", pk=bid.pk)
    context = _offer_context(bid, commitments)
    context.update(
        {
            "form": form,
            "upload_form": OfferUploadForm(),
            "template_url": reverse("procurement:offer_template_download", args=[bid.pk]),
        }
    )
    return render(request, "procurement/offers/offer_edit.html", context)


def _price_text(price: Decimal | None) -> str:
    """A saved price as someone would type it: 1250000 or 1250000.50."""
    if price is None:
        return ""
    return f"{price:.0f}" if price == price.to_integral_value() else f"{price:f}"


def _price_preview(request: HttpRequest, bid: Bid, commitments: list[Commitment]) -> HttpResponse:
    price: Decimal | None = bid.price
    price_error = ""
    typed = request.GET.get("price", "").strip()
    if typed:
        try:
            price = parse_price(typed)
        except ValidationError as exc:
            price, price_error = None, exc.messages[0]
    elif "price" in request.GET:
        price = None
    total = _safe_total(bid.tender, _saved_lines(commitments), price)
    return render(
        request,
        "procurement/offers/_running_total.html",
        {
            "bid": bid,
            "tender": bid.tender,
            "total": total,
            "price": price,
            "price_error": price_error,
            "live": True,
        },
    )


# --- Commitments ----------------------------------------------------------------------------


def _commitment_page(request: HttpRequest, bid: Bid, commitment: Commitment | None) -> HttpResponse:
    user = _require_supplier(request)
    reason = offer_lock_reason(bid)
    if reason:
        return _locked_redirect(request, bid, reason)
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
            return _locked_redirect(request, bid, exc.messages[0])
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
            **_tender_context(bid.tender),
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
    lines = _saved_lines(commitments, leave_out=editing.pk if editing else None)
    pending_value = None
    if measure is not None and quantity is not None:
        lines.append((measure.code, quantity))
        pending_value = quantity * (measure.proxy_value or 0)
    return {
        "total": _safe_total(bid.tender, lines, bid.price),
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
    request: HttpRequest, bid: Bid, commitments: list[Commitment], editing: Commitment | None
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
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_page(request, _own_bid(request, pk), None)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def commitment_edit(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    bid = _own_bid(request, pk)
    commitment = get_object_or_404(
        Commitment.objects.select_related("measure", "response"), pk=cpk, bid=bid
    )
    return _commitment_page(request, bid, commitment)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_delete(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    user = _require_supplier(request)
    bid = _own_bid(request, pk)
    commitment = get_object_or_404(
        Commitment.objects.select_related("measure", "response"), pk=cpk, bid=bid
    )
    reason = offer_lock_reason(bid)
    if reason:
        return _locked_redirect(request, bid, reason)
    error = ""
    if request.method == "POST":
        try:
            commitment_remove(commitment=commitment, by=user)
        except OfferLocked as exc:
            return _locked_redirect(request, bid, exc.messages[0])
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, MSG_REMOVED.format(code=commitment.measure.code))
            return redirect("procurement:offer_edit", pk=bid.pk)
    return render(
        request,
        "procurement/offers/commitment_remove.html",
        {**_tender_context(bid.tender), "bid": bid, "commitment": commitment, "error": error},
    )


# --- Completed template upload --------------------------------------------------------------


@access(SUPPLIERS, Reach.ORGANISATION)
@require_GET
def offer_template_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The tender's offer template, filled in with the offer's current commitments."""
    from socialvalue.procurement.offer_xlsx import offer_template_xlsx

    bid = _own_bid(request, pk)
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
def offer_upload(request: HttpRequest, pk: int) -> HttpResponse:
    from socialvalue.procurement.offer_xlsx import OfferImportError, offer_xlsx_parse

    user = _require_supplier(request)
    bid = _own_bid(request, pk)
    reason = offer_lock_reason(bid)
    if reason:
        return _locked_redirect(request, bid, reason)
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
            return _locked_redirect(request, bid, exc.messages[0])
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
            **_tender_context(bid.tender),
            "bid": bid,
            "form": form,
            "row_errors": row_errors,
            "template_url": reverse("procurement:offer_template_download", args=[bid.pk]),
        },
    )


# --- Submit, receipt, withdraw, reopen ------------------------------------------------------


def _problem_link(bid: Bid, problem: SubmissionProblem) -> str:
    """Where to fix a problem: the commitment's own page, the price, or a new commitment."""
    if problem.commitment_id is not None:
        anchor = f"#id_{problem.field}" if problem.field else ""
        return reverse("procurement:commitment_edit", args=[bid.pk, problem.commitment_id]) + anchor
    if problem.loc == ("price",):
        return reverse("procurement:offer_edit", args=[bid.pk]) + "#id_price"
    return reverse("procurement:commitment_new", args=[bid.pk])


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def offer_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then submit (or submit again for a new receipt)."""
    user = _require_supplier(request)
    bid = _own_bid(request, pk)
    reason = offer_lock_reason(bid)
    if reason:
        return _locked_redirect(request, bid, reason)
    if request.method == "POST":
        try:
            bid_submit(bid=bid, by=user)
        except OfferLocked as exc:
            return _locked_redirect(request, bid, exc.messages[0])
        except OfferIncomplete:
            pass  # the page below lists every problem
        else:
            return redirect("procurement:offer_receipt", pk=bid.pk)
    problems = bid_submission_problems(bid)
    context = _offer_context(bid)
    context["problems"] = [(problem, _problem_link(bid, problem)) for problem in problems]
    return render(request, "procurement/offers/offer_submit.html", context)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_GET
def offer_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    bid = _own_bid(request, pk)
    if bid.status != Bid.Status.SUBMITTED or not bid.receipt_reference:
        return redirect("procurement:offer_edit", pk=bid.pk)
    return render(request, "procurement/offers/offer_receipt.html", _offer_context(bid))


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _require_supplier(request)
    bid = _own_bid(request, pk)
    reason = offer_lock_reason(bid)
    if reason:
        return _locked_redirect(request, bid, reason)
    if bid.status != Bid.Status.SUBMITTED:
        return redirect("procurement:offer_edit", pk=bid.pk)
    if request.method == "POST":
        try:
            bid_withdraw(bid=bid, by=user)
        except OfferLocked as exc:
            return _locked_redirect(request, bid, exc.messages[0])
        messages.success(request, MSG_WITHDRAWN)
        return redirect("procurement:offer_edit", pk=bid.pk)
    return render(request, "procurement/offers/offer_withdraw.html", _offer_context(bid))


@access(SUPPLIERS, Reach.ORGANISATION)
@require_POST
def offer_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_supplier(request)
    bid = _own_bid(request, pk)
    try:
        bid_reopen(bid=bid, by=user)
    except OfferLocked as exc:
        return _locked_redirect(request, bid, exc.messages[0])
    messages.success(request, MSG_REOPENED)
    return redirect("procurement:offer_edit", pk=bid.pk)


urlpatterns = [
    path("opportunities/", opportunity_list, name="opportunity_list"),
    path("opportunities/<int:pk>/", opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/start/", offer_start, name="offer_start"),
    path("offers/", offer_list, name="offer_list"),
    path("offers/<int:pk>/", offer_edit, name="offer_edit"),
    path("offers/<int:pk>/commitments/new/", commitment_new, name="commitment_new"),
    path("offers/<int:pk>/commitments/<int:cpk>/", commitment_edit, name="commitment_edit"),
    path(
        "offers/<int:pk>/commitments/<int:cpk>/remove/",
        commitment_delete,
        name="commitment_remove",
    ),
    path(
        "offers/<int:pk>/offer-template.xlsx",
        offer_template_download,
        name="offer_template_download",
    ),
    path("offers/<int:pk>/upload/", offer_upload, name="offer_upload"),
    path("offers/<int:pk>/submit/", offer_submit, name="offer_submit"),
    path("offers/<int:pk>/receipt/", offer_receipt, name="offer_receipt"),
    path("offers/<int:pk>/withdraw/", offer_withdraw, name="offer_withdraw"),
    path("offers/<int:pk>/reopen/", offer_reopen, name="offer_reopen"),
]
