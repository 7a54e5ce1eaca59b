"""The officers' tender pages: the list, creating and editing a draft, a tender's page and
its lifecycle actions (open, close, cancel).
"""

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import MANAGERS, STAFF, Reach, access
from socialvalue.framework.models import Measure
from socialvalue.procurement import services
from socialvalue.procurement.models import Bid, PanelMember, Tender
from socialvalue.procurement.selectors import (
    is_sealed,
    submitted_bids,
    tenders_visible_to,
)
from socialvalue.procurement.tenders.forms import (
    TenderCancelForm,
    TenderFilterForm,
    TenderForm,
)
from socialvalue.procurement.tenders.pages import (
    MSG_CANCELLED,
    MSG_CLOSE_TOO_EARLY,
    MSG_CLOSED,
    MSG_CREATED,
    MSG_OPENED,
    MSG_SAVED,
    TENDER_LINKS,
    TENDERS_PER_PAGE,
    buyer_organisation,
    count_text,
    is_manager,
    marks_text,
    plain_figure,
    require_manager,
    staff_tender,
    when_text,
)

# --- Tender list, create and edit -------------------------------------------------------------


@access(STAFF)
def tender_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = TenderFilterForm(request.GET or None, organisation_id=user.organisation_id)
    everything = tenders_visible_to(user)
    page = Paginator(form.filter(everything), TENDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/tenders/list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.active,
            "has_tenders": everything.exists(),
            "can_create": is_manager(user),
        },
    )


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def tender_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = buyer_organisation(user)
    policy = services.policy_for_organisation(organisation=organisation)
    form = TenderForm(request.POST or None, organisation=organisation, policy=policy, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_create(
                organisation=organisation, created_by=user, **form.tender_fields()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, MSG_CREATED.format(reference=tender.reference))
            return redirect("procurement:tender_detail", pk=tender.pk)
    return render(
        request,
        "procurement/tenders/form.html",
        {"form": form, "tender": None, "organisation": organisation},
    )


def draft_or_redirect(request: AuthenticatedRequest, tender: Tender) -> HttpResponse | None:
    if tender.status == Tender.Status.DRAFT:
        return None
    messages.error(
        request, services.ERR_NOT_EDITABLE.format(status=tender.get_status_display().lower())
    )
    return redirect("procurement:tender_detail", pk=tender.pk)


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def tender_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    require_manager(request.user)
    if (response := draft_or_redirect(request, tender)) is not None:
        return response
    policy = services.policy_for_organisation(organisation=tender.organisation)
    form = TenderForm(
        request.POST or None, organisation=tender.organisation, policy=policy, tender=tender
    )
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_update(tender=tender, **form.tender_fields())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, MSG_SAVED.format(reference=tender.reference))
            return redirect("procurement:tender_detail", pk=tender.pk)
    return render(
        request,
        "procurement/tenders/form.html",
        {"form": form, "tender": tender, "organisation": tender.organisation},
    )


# --- Tender detail and its lifecycle actions --------------------------------------------------


@dataclass
class ActionError:
    message: str
    href: str = ""


def tender_links(tender: Tender) -> dict[str, list[tuple[str, str]]]:
    """Links to the tender's other pages that exist in this installation, by section."""
    sections: dict[str, list[tuple[str, str]]] = {"itt": [], "evaluation": []}
    for section, url_name, label, statuses in TENDER_LINKS:
        if tender.status not in statuses:
            continue
        try:
            href = reverse(url_name, args=[tender.pk])
        except NoReverseMatch:
            continue
        sections[section].append((label, href))
    return sections


def _offers_text(tender: Tender) -> str:
    if tender.status == Tender.Status.DRAFT:
        return "The tender is not open for offers yet."
    if is_sealed(tender):
        count = Bid.objects.filter(tender=tender, status=Bid.Status.SUBMITTED).count()
        if count == 0:
            return "No offers received yet; offers stay sealed until the deadline."
        if count == 1:
            return "1 offer received; it stays sealed until the deadline."
        return f"{count} offers received; they stay sealed until the deadline."
    count = submitted_bids(tender).count()
    if count == 0:
        return "No offers were received."
    return "1 offer received." if count == 1 else f"{count} offers received."


def _action_errors(tender: Tender, error: ValidationError, *, can_edit: bool) -> list[ActionError]:
    if not hasattr(error, "error_dict"):
        return [ActionError(message) for message in error.messages]
    targets = {
        "deadline": "#id_deadline_date",
        "sv_weighting": "#id_sv_weighting",
        "estimated_value": "#id_estimated_value",
    }
    result: list[ActionError] = []
    for name, messages_ in error.message_dict.items():
        href = ""
        if can_edit and name in targets:
            href = reverse("procurement:tender_edit", args=[tender.pk]) + targets[name]
        elif can_edit and name == "menu":
            href = reverse("procurement:tender_menu", args=[tender.pk])
        elif name == "cancellation_reason":
            href = "#id_reason"
        result.extend(ActionError(message, href) for message in messages_)
    return result


def _menu_groups(tender: Tender) -> list[tuple[Any, list[Measure]]]:
    measures = tender.menu.select_related("theme").order_by(
        "theme__order", "outcome__order", "order"
    )
    return [(theme, list(items)) for theme, items in groupby(measures, key=lambda m: m.theme)]


def _render_detail(
    request: AuthenticatedRequest,
    tender: Tender,
    *,
    errors: list[ActionError] | None = None,
    cancel_form: TenderCancelForm | None = None,
) -> HttpResponse:
    user = request.user
    can_manage = is_manager(user)
    allowed = services.TRANSITIONS[tender.status]
    now = timezone.now()
    menu_groups = _menu_groups(tender)
    panel = list(
        PanelMember.objects.filter(tender=tender)
        .select_related("user")
        .order_by("-is_moderator", "user__full_name")
    )
    levels = {
        level.score: level.label
        for level in services.policy_for_organisation(
            organisation=tender.organisation
        ).quality_levels.all()
    }
    context = {
        "tender": tender,
        "can_manage": can_manage,
        "is_draft": tender.status == Tender.Status.DRAFT,
        "can_open": can_manage and Tender.Status.OPEN in allowed,
        "can_close": can_manage and Tender.Status.CLOSED in allowed and now >= tender.deadline,
        "waits_for_deadline": tender.status == Tender.Status.OPEN and now < tender.deadline,
        "can_cancel": can_manage and Tender.Status.CANCELLED in allowed,
        "cancel_form": cancel_form or TenderCancelForm(),
        "errors": errors or [],
        "duration_text": count_text(tender.duration_months, "month"),
        "weighting_text": f"{plain_figure(tender.sv_weighting)}% of the total marks",
        "share_text": f"{plain_figure(tender.quantitative_share)}% of the social value marks",
        "marks_text": marks_text(tender),
        "threshold_text": " – ".join(
            part
            for part in (
                str(tender.deliverability_threshold),
                levels.get(tender.deliverability_threshold, ""),
            )
            if part
        ),
        "deadline": when_text(tender.deadline),
        "menu_groups": menu_groups,
        "menu_count": sum(len(items) for _, items in menu_groups),
        "menu_total": Measure.objects.filter(version=tender.framework_version_id).count(),
        "panel": panel,
        "panel_lock": services.panel_lock_reason(tender),
        "offers_text": _offers_text(tender),
        "links": tender_links(tender),
    }
    return render(request, "procurement/tenders/detail.html", context)


@access(STAFF, Reach.ORGANISATION)
def tender_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, staff_tender(request, pk))


@access(MANAGERS, Reach.ORGANISATION)
@require_POST
def tender_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    require_manager(request.user)
    try:
        tender = services.tender_open(tender=tender)
    except ValidationError as exc:
        errors = _action_errors(tender, exc, can_edit=tender.status == Tender.Status.DRAFT)
        return _render_detail(request, tender, errors=errors)
    messages.success(
        request, MSG_OPENED.format(reference=tender.reference, deadline=when_text(tender.deadline))
    )
    return redirect("procurement:tender_detail", pk=tender.pk)


@access(MANAGERS, Reach.ORGANISATION)
@require_POST
def tender_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    require_manager(request.user)
    try:
        tender = services.tender_close(tender=tender)
    except ValidationError as exc:
        errors = _action_errors(tender, exc, can_edit=False)
        if tender.status == Tender.Status.OPEN and timezone.now() < tender.deadline:
            # The service's words, with the deadline written the way the page writes it.
            errors = [ActionError(MSG_CLOSE_TOO_EARLY.format(deadline=when_text(tender.deadline)))]
        return _render_detail(request, tender, errors=errors)
    messages.success(request, MSG_CLOSED.format(reference=tender.reference))
    return redirect("procurement:tender_detail", pk=tender.pk)


@access(MANAGERS, Reach.ORGANISATION)
@require_POST
def tender_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    require_manager(request.user)
    form = TenderCancelForm(request.POST)
    if not form.is_valid():
        errors = [
            ActionError(str(message), "#id_reason") for message in form.errors.get("reason", [])
        ]
        return _render_detail(request, tender, errors=errors, cancel_form=form)
    try:
        tender = services.tender_cancel(tender=tender, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        errors = _action_errors(tender, exc, can_edit=False)
        return _render_detail(request, tender, errors=errors, cancel_form=form)
    messages.success(request, MSG_CANCELLED.format(reference=tender.reference))
    return redirect("procurement:tender_detail", pk=tender.pk)
