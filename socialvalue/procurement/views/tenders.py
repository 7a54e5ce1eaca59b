"""The social value policy settings and the officers' tender pages.

Who may do what:
- the policy page is the social value lead's alone (everyone else signed in gets 403);
- the tender list is for the council's staff (officers, evaluators and the lead; 403 for
  suppliers); officers and the lead create, edit and move tenders on, evaluators only look;
- a single tender is fetched with ``get_tender_for_user`` after checking the visitor is staff,
  so a supplier or another organisation's officer gets 404 for it, never a hint it exists.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from socialvalue.accounts.models import User
from socialvalue.core.access import LEADS, MANAGERS, STAFF, Reach, access
from socialvalue.core.money import format_gbp, round_2dp
from socialvalue.framework.models import Measure
from socialvalue.framework.selectors import themes_for_version
from socialvalue.procurement import services
from socialvalue.procurement.forms import (
    MenuMeasuresForm,
    MenuThemesForm,
    PanelForm,
    PolicyForm,
    TenderCancelForm,
    TenderFilterForm,
    TenderForm,
)
from socialvalue.procurement.models import Bid, PanelMember, Policy, QualityLevel, Tender
from socialvalue.procurement.selectors import (
    get_tender_for_user,
    is_sealed,
    submitted_bids,
    tenders_visible_to,
)

TENDERS_PER_PAGE = 20
CHANGES_PER_PAGE = 10
MANAGER_ROLES = (User.Role.LEAD, User.Role.OFFICER)

NOT_MANAGER = "Only officers and the social value lead can change tenders."
NOT_BUYER_STAFF = "Only staff of a buying organisation can do that."
MSG_POLICY_SAVED = "The social value policy has been saved."
MSG_CREATED = "Tender {reference} has been created as a draft."
MSG_SAVED = "Tender {reference} has been saved."
MSG_OPENED = "Tender {reference} is open for offers until {deadline}."
MSG_CLOSED = "Tender {reference} is closed: its offers can now be evaluated."
MSG_CLOSE_TOO_EARLY = "The tender cannot close before its deadline, {deadline}."
MSG_CANCELLED = "Tender {reference} has been cancelled."
MSG_MENU_SAVED = "The menu now has {count} of {total} measures."
MSG_PANEL_SAVED = "The panel has been saved."
MSG_SELECT_ALL = "Every measure is selected. Save the measures to keep this menu."
MSG_CLEAR = "No measures are selected. Select the measures you want, then save them."

# Pages other parts of the tender build. Each link shows only once its URL name exists, and
# only in the statuses listed; every page checks its own access. (section, URL name, label)
TENDER_LINKS: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "itt",
        "procurement:itt_docx",
        "Social value ITT wording (DOCX)",
        tuple(Tender.Status.values),
    ),
    (
        "itt",
        "procurement:qdp_docx",
        "Qualitative Delivery Plan template (DOCX)",
        tuple(Tender.Status.values),
    ),
    (
        "itt",
        "procurement:offer_template_xlsx",
        "Offer template (XLSX)",
        tuple(Tender.Status.values),
    ),
    (
        "evaluation",
        "procurement:evaluation",
        "Evaluation",
        (Tender.Status.CLOSED, Tender.Status.EVALUATED, Tender.Status.AWARDED),
    ),
    (
        "evaluation",
        "procurement:results",
        "Results",
        (Tender.Status.CLOSED, Tender.Status.EVALUATED, Tender.Status.AWARDED),
    ),
    (
        "evaluation",
        "procurement:report",
        "Evaluation report",
        (Tender.Status.EVALUATED, Tender.Status.AWARDED),
    ),
]


# --- Access -----------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _staff_tender(request: HttpRequest, pk: int) -> Tender:
    """The tender, for staff of its organisation; 404 for anyone else (suppliers included)."""
    user = _user(request)
    if not user.is_officer:
        raise Http404("No such tender.")
    return get_tender_for_user(user, pk)


def _require_manager(user: User) -> None:
    if user.role not in MANAGER_ROLES:
        raise PermissionDenied(NOT_MANAGER)


def _can_manage(user: User) -> bool:
    return user.role in MANAGER_ROLES


def _buyer_organisation(user: User) -> Any:
    organisation = user.organisation
    if organisation is None or not organisation.is_buyer:
        raise PermissionDenied(NOT_BUYER_STAFF)
    return organisation


def _plain(value: Decimal) -> str:
    text = f"{round_2dp(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def marks_text(tender: Tender) -> str:
    """ "Quantitative 5 marks, qualitative 5 marks": Q and L, to 2 decimal places at most."""
    q, ql = _plain(tender.quantitative_marks), _plain(tender.qualitative_marks)
    return (
        f"Quantitative {q} mark{'' if q == '1' else 's'}, "
        f"qualitative {ql} mark{'' if ql == '1' else 's'}"
    )


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


# --- Policy -----------------------------------------------------------------------------------

POLICY_LABELS = {
    "threshold": "Threshold",
    "minimum_weighting": "Minimum social value weighting",
    "default_quantitative_share": "Default quantitative share",
    "default_deliverability_threshold": "Default deliverability threshold",
}
SAME_CHANGE = timedelta(seconds=5)


@dataclass
class PolicyChange:
    """One save of the policy page (or the admin): who, when and what changed."""

    when: datetime
    who: str  # "" when the platform made the change itself
    lines: list[str] = field(default_factory=list)


def _policy_value(name: str, value: Any) -> str:
    if value is None:
        return "not set"
    if name == "threshold":
        return format_gbp(Decimal(value))
    if name in {"minimum_weighting", "default_quantitative_share"}:
        return f"{_plain(Decimal(value))}%"
    return str(value)


def _who(record: Any) -> str:
    user = record.history_user
    return (user.full_name or user.email) if user is not None else ""


def _pairs(records: Iterable[Any], key: str) -> list[tuple[Any, Any]]:
    """Each historical record with the one before it for the same object (or None)."""
    previous: dict[Any, Any] = {}
    pairs = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        pairs.append((record, previous.get(getattr(record, key))))
        previous[getattr(record, key)] = record
    return pairs


def policy_changes(policy: Policy) -> list[PolicyChange]:
    """The policy's history, newest first, with each save's changes in words.

    Records written by one person within a few seconds of each other are one save (the page
    saves the figures and the levels together).
    """
    events: list[tuple[Any, str]] = []
    created_at = None
    for record, before in _pairs(
        Policy.history.filter(id=policy.pk).select_related("history_user"), "id"
    ):
        if before is None:
            created_at = record.history_date
            events.append((record, "Policy set up with the strategy’s defaults"))
            continue
        delta = record.diff_against(before, included_fields=list(POLICY_LABELS))
        for change in delta.changes:
            old = _policy_value(change.field, change.old)
            new = _policy_value(change.field, change.new)
            events.append((record, f"{POLICY_LABELS[change.field]}: {old} → {new}"))
    for record, before in _pairs(
        QualityLevel.history.filter(policy_id=policy.pk).select_related("history_user"), "id"
    ):
        if before is None:
            if created_at is None or abs(record.history_date - created_at) > SAME_CHANGE:
                events.append((record, f"Score {record.score} set to “{record.label}”"))
            continue  # the default levels written with a new policy need no lines
        delta = record.diff_against(before, included_fields=["label", "descriptor"])
        for change in delta.changes:
            events.append(
                (record, f"Score {record.score} {change.field}: “{change.old}” → “{change.new}”")
            )
    events.sort(key=lambda e: (e[0].history_date, e[0].history_id))
    changes: list[PolicyChange] = []
    latest = None
    for record, line in events:
        last = changes[-1] if changes else None
        if (
            last is not None
            and latest is not None
            and last.who == _who(record)
            and record.history_date - latest <= SAME_CHANGE
        ):
            last.lines.append(line)
        else:
            changes.append(PolicyChange(when=record.history_date, who=_who(record), lines=[line]))
        latest = record.history_date
    return list(reversed(changes))


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    organisation = _buyer_organisation(_user(request))
    policy = services.policy_for_organisation(organisation=organisation)
    form = PolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_settings_update(
                policy=policy, levels=form.levels(), **form.policy_fields()
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, MSG_POLICY_SAVED)
            return redirect("procurement:policy_edit")
    changes = Paginator(policy_changes(policy), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/policy/edit.html",
        {"form": form, "policy": policy, "organisation": organisation, "changes": changes},
    )


# --- Tender list, create and edit -------------------------------------------------------------


@access(STAFF)
def tender_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
            "can_create": _can_manage(user),
        },
    )


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def tender_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisation = _buyer_organisation(user)
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


def _draft_or_redirect(request: HttpRequest, tender: Tender) -> HttpResponse | None:
    if tender.status == Tender.Status.DRAFT:
        return None
    messages.error(
        request, services.ERR_NOT_EDITABLE.format(status=tender.get_status_display().lower())
    )
    return redirect("procurement:tender_detail", pk=tender.pk)


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def tender_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    _require_manager(_user(request))
    if (response := _draft_or_redirect(request, tender)) is not None:
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
    request: HttpRequest,
    tender: Tender,
    *,
    errors: list[ActionError] | None = None,
    cancel_form: TenderCancelForm | None = None,
) -> HttpResponse:
    user = _user(request)
    can_manage = _can_manage(user)
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
        "duration_text": _count(tender.duration_months, "month"),
        "weighting_text": f"{_plain(tender.sv_weighting)}% of the total marks",
        "share_text": f"{_plain(tender.quantitative_share)}% of the social value marks",
        "marks_text": marks_text(tender),
        "threshold_text": " – ".join(
            part
            for part in (
                str(tender.deliverability_threshold),
                levels.get(tender.deliverability_threshold, ""),
            )
            if part
        ),
        "deadline": _when(tender.deadline),
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
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _staff_tender(request, pk))


@access(MANAGERS, Reach.ORGANISATION)
@require_POST
def tender_open(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    _require_manager(_user(request))
    try:
        tender = services.tender_open(tender=tender)
    except ValidationError as exc:
        errors = _action_errors(tender, exc, can_edit=tender.status == Tender.Status.DRAFT)
        return _render_detail(request, tender, errors=errors)
    messages.success(
        request, MSG_OPENED.format(reference=tender.reference, deadline=_when(tender.deadline))
    )
    return redirect("procurement:tender_detail", pk=tender.pk)


@access(MANAGERS, Reach.ORGANISATION)
@require_POST
def tender_close(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    _require_manager(_user(request))
    try:
        tender = services.tender_close(tender=tender)
    except ValidationError as exc:
        errors = _action_errors(tender, exc, can_edit=False)
        if tender.status == Tender.Status.OPEN and timezone.now() < tender.deadline:
            # The service's words, with the deadline written the way the page writes it.
            errors = [ActionError(MSG_CLOSE_TOO_EARLY.format(deadline=_when(tender.deadline)))]
        return _render_detail(request, tender, errors=errors)
    messages.success(request, MSG_CLOSED.format(reference=tender.reference))
    return redirect("procurement:tender_detail", pk=tender.pk)


@access(MANAGERS, Reach.ORGANISATION)
@require_POST
def tender_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    _require_manager(_user(request))
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


# --- Menu -------------------------------------------------------------------------------------


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def tender_menu(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    _require_manager(_user(request))
    if (response := _draft_or_redirect(request, tender)) is not None:
        return response
    version = tender.framework_version
    themes = themes_for_version(version).annotate(measure_count=Count("measures"))
    measures = (
        Measure.objects.filter(version=version)
        .select_related("theme")
        .order_by("theme__order", "outcome__order", "order")
    )
    on_menu = set(tender.menu.values_list("pk", flat=True))
    theme_measures: dict[int, set[int]] = {}
    for measure_pk, theme_pk in measures.values_list("pk", "theme_id"):
        theme_measures.setdefault(theme_pk, set()).add(measure_pk)
    ticked_themes = [t.pk for t in themes if theme_measures.get(t.pk, set()) <= on_menu]
    mode = request.POST.get("mode") if request.method == "POST" else None
    action = request.POST.get("action", "save")
    notice = ""
    themes_form = MenuThemesForm(
        request.POST if mode == "themes" else None,
        themes=themes,
        initial={"themes": ticked_themes},
    )
    measures_initial: list[int] = sorted(on_menu)
    if mode == "measures" and action == "select_all":
        measures_initial, notice = [m.pk for m in measures], MSG_SELECT_ALL
    elif mode == "measures" and action == "clear":
        measures_initial, notice = [], MSG_CLEAR
    measures_form = MenuMeasuresForm(
        request.POST if mode == "measures" and action == "save" else None,
        measures=measures,
        initial={"measures": measures_initial},
    )
    if mode == "themes" and themes_form.is_valid():
        try:
            tender = services.tender_set_menu_by_themes(
                tender=tender, themes=list(themes_form.cleaned_data["themes"])
            )
        except ValidationError as exc:
            themes_form.add_error(None, exc.messages)
        else:
            return _menu_saved(request, tender, total=len(measures))
    if mode == "measures" and action == "save" and measures_form.is_valid():
        try:
            tender = services.tender_set_menu(
                tender=tender, measures=list(measures_form.cleaned_data["measures"])
            )
        except ValidationError as exc:
            measures_form.add_error(None, exc.messages)
        else:
            return _menu_saved(request, tender, total=len(measures))
    return render(
        request,
        "procurement/tenders/menu.html",
        {
            "tender": tender,
            "themes_form": themes_form,
            "measures_form": measures_form,
            "notice": notice,
            "menu_count": len(on_menu),
            "menu_total": len(measures),
            "has_errors": bool(themes_form.errors or measures_form.errors),
        },
    )


def _menu_saved(request: HttpRequest, tender: Tender, *, total: int) -> HttpResponse:
    messages.success(request, MSG_MENU_SAVED.format(count=tender.menu.count(), total=total))
    return redirect("procurement:tender_detail", pk=tender.pk)


# --- Panel ------------------------------------------------------------------------------------


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def tender_panel(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _staff_tender(request, pk)
    _require_manager(_user(request))
    current = list(PanelMember.objects.filter(tender=tender).select_related("user"))
    moderator = next((m.user_id for m in current if m.is_moderator), None)
    form = PanelForm(
        request.POST or None,
        candidates=services.panel_candidates(tender),
        initial={"members": [m.user_id for m in current], "moderator": moderator},
    )
    lock = services.panel_lock_reason(tender)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_set(
                tender=tender,
                members=list(form.cleaned_data["members"]),
                moderator=form.cleaned_data["moderator"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, MSG_PANEL_SAVED)
            return redirect("procurement:tender_detail", pk=tender.pk)
    return render(
        request,
        "procurement/tenders/panel.html",
        {"tender": tender, "form": form, "panel": current, "lock": lock},
    )


urlpatterns: list[URLPattern] = [
    path("settings/social-value-policy/", policy_edit, name="policy_edit"),
    path("tenders/", tender_list, name="tender_list"),
    path("tenders/new/", tender_create, name="tender_create"),
    path("tenders/<int:pk>/", tender_detail, name="tender_detail"),
    path("tenders/<int:pk>/edit/", tender_edit, name="tender_edit"),
    path("tenders/<int:pk>/open/", tender_open, name="tender_open"),
    path("tenders/<int:pk>/close/", tender_close, name="tender_close"),
    path("tenders/<int:pk>/cancel/", tender_cancel, name="tender_cancel"),
    path("tenders/<int:pk>/menu/", tender_menu, name="tender_menu"),
    path("tenders/<int:pk>/panel/", tender_panel, name="tender_panel"),
]
