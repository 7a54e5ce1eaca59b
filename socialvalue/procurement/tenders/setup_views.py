"""A draft tender's menu of measures (by theme or measure by measure) and its evaluation
panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import MANAGERS, Reach, access
from socialvalue.framework.models import Measure
from socialvalue.framework.selectors import themes_for_version
from socialvalue.procurement import services
from socialvalue.procurement.models import PanelMember, Tender
from socialvalue.procurement.tenders.forms import (
    MenuMeasuresForm,
    MenuThemesForm,
    PanelForm,
)
from socialvalue.procurement.tenders.pages import (
    MSG_CLEAR,
    MSG_MENU_SAVED,
    MSG_PANEL_SAVED,
    MSG_SELECT_ALL,
    require_manager,
    staff_tender,
)
from socialvalue.procurement.tenders.views import draft_or_redirect

# --- Menu -------------------------------------------------------------------------------------


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def tender_menu(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    require_manager(request.user)
    if (response := draft_or_redirect(request, tender)) is not None:
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


def _menu_saved(request: AuthenticatedRequest, tender: Tender, *, total: int) -> HttpResponse:
    messages.success(request, MSG_MENU_SAVED.format(count=tender.menu.count(), total=total))
    return redirect("procurement:tender_detail", pk=tender.pk)


# --- Panel ------------------------------------------------------------------------------------


@access(MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def tender_panel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tender = staff_tender(request, pk)
    require_manager(request.user)
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
