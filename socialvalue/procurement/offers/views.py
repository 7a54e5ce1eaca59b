"""The supplier's offer pages: open opportunities, their own offers, the price, and
submitting, the receipt, withdrawing and reopening.

Every bid is fetched with ``get_bid_for_user``, so another supplier (always) and the
buyer's staff (before the deadline, and for drafts at any time) get 404.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import (
    STAFF_AND_SUPPLIERS,
    SUPPLIERS,
    Reach,
    access,
)
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment, Tender
from socialvalue.procurement.offers.forms import (
    OfferUploadForm,
    PriceForm,
    parse_price,
)
from socialvalue.procurement.offers.pages import (
    MSG_PRICE_SAVED,
    MSG_REOPENED,
    MSG_STARTED,
    MSG_STILL_SUBMITTED,
    MSG_WITHDRAWN,
    OFFERS_PER_PAGE,
    OPPORTUNITIES_PER_PAGE,
    locked_redirect,
    offer_context,
    own_bid,
    price_text,
    require_supplier,
    safe_total,
    saved_lines,
    status_tag,
    tender_context,
)
from socialvalue.procurement.offers.rules import (
    OfferIncomplete,
    OfferLocked,
    SubmissionProblem,
    bid_submission_problems,
    london_time,
    offer_lock_reason,
)
from socialvalue.procurement.offers.selectors import (
    bid_of,
    commitments_of,
    days_to_close,
    offers_of,
    opportunities_for,
    optional_url,
)
from socialvalue.procurement.offers.services import (
    bid_reopen,
    bid_start,
    bid_submit,
    bid_update,
    bid_withdraw,
)
from socialvalue.procurement.selectors import get_tender_for_user, policy_for

# --- Opportunities --------------------------------------------------------------------------


@access(SUPPLIERS)
@require_GET
def opportunity_list(request: AuthenticatedRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    if category not in Tender.Category.values:
        category = ""
    query = request.GET.get("q", "").strip()[:200]
    tenders = opportunities_for(request.user, category=category, query=query)
    page = Paginator(tenders, OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    own = set(
        Bid.objects.filter(
            supplier_id=request.user.organisation_id,
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
def opportunity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = get_tender_for_user(request.user, pk)
    bid = bid_of(tender, request.user)
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
            **tender_context(tender),
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
def offer_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = require_supplier(request)
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
def offer_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(offers_of(request.user), OFFERS_PER_PAGE).get_page(request.GET.get("page"))
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
def offer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The supplier's offer editor; the buyer's staff see a submitted offer read-only once
    the deadline has passed. With htmx, answers the running total for a typed price."""
    if request.method == "POST":
        require_supplier(request)
    bid = own_bid(request, pk)
    user = request.user
    if not user.is_supplier_user:
        context = offer_context(bid)
        context["tender_url"] = optional_url("procurement:tender_detail", bid.tender_id)
        context["tender_list_url"] = optional_url("procurement:tender_list")
        return render(request, "procurement/offers/offer_view.html", context)

    commitments = commitments_of(bid)
    if request.headers.get("HX-Request") and request.method != "POST":
        return _price_preview(request, bid, commitments)

    form = PriceForm(
        request.POST if request.method == "POST" else None,
        live_url=request.path,
        initial={"price": price_text(bid.price)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            bid_update(bid=bid, by=user, price=form.cleaned_data["price"])
        except OfferLocked as exc:
            return locked_redirect(request, bid, exc.messages[0])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, MSG_PRICE_SAVED)
            if bid.status == Bid.Status.SUBMITTED:
                messages.info(request, MSG_STILL_SUBMITTED)
            return redirect("procurement:offer_edit", pk=bid.pk)
    context = offer_context(bid, commitments)
    context.update(
        {
            "form": form,
            "upload_form": OfferUploadForm(),
            "template_url": reverse("procurement:offer_template_download", args=[bid.pk]),
        }
    )
    return render(request, "procurement/offers/offer_edit.html", context)


def _price_preview(
    request: AuthenticatedRequest, bid: Bid, commitments: list[Commitment]
) -> HttpResponse:
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
    total = safe_total(bid.tender, saved_lines(commitments), price)
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
def offer_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Check your answers, then submit (or submit again for a new receipt)."""
    user = require_supplier(request)
    bid = own_bid(request, pk)
    reason = offer_lock_reason(bid)
    if reason:
        return locked_redirect(request, bid, reason)
    if request.method == "POST":
        try:
            bid_submit(bid=bid, by=user)
        except OfferLocked as exc:
            return locked_redirect(request, bid, exc.messages[0])
        except OfferIncomplete:
            pass  # the page below lists every problem
        else:
            return redirect("procurement:offer_receipt", pk=bid.pk)
    problems = bid_submission_problems(bid)
    context = offer_context(bid)
    context["problems"] = [(problem, _problem_link(bid, problem)) for problem in problems]
    return render(request, "procurement/offers/offer_submit.html", context)


@access(SUPPLIERS, Reach.ORGANISATION)
@require_GET
def offer_receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    if bid.status != Bid.Status.SUBMITTED or not bid.receipt_reference:
        return redirect("procurement:offer_edit", pk=bid.pk)
    return render(request, "procurement/offers/offer_receipt.html", offer_context(bid))


@access(SUPPLIERS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def offer_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = require_supplier(request)
    bid = own_bid(request, pk)
    reason = offer_lock_reason(bid)
    if reason:
        return locked_redirect(request, bid, reason)
    if bid.status != Bid.Status.SUBMITTED:
        return redirect("procurement:offer_edit", pk=bid.pk)
    if request.method == "POST":
        try:
            bid_withdraw(bid=bid, by=user)
        except OfferLocked as exc:
            return locked_redirect(request, bid, exc.messages[0])
        messages.success(request, MSG_WITHDRAWN)
        return redirect("procurement:offer_edit", pk=bid.pk)
    return render(request, "procurement/offers/offer_withdraw.html", offer_context(bid))


@access(SUPPLIERS, Reach.ORGANISATION)
@require_POST
def offer_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = require_supplier(request)
    bid = own_bid(request, pk)
    try:
        bid_reopen(bid=bid, by=user)
    except OfferLocked as exc:
        return locked_redirect(request, bid, exc.messages[0])
    messages.success(request, MSG_REOPENED)
    return redirect("procurement:offer_edit", pk=bid.pk)
