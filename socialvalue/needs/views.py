"""Local-needs pages: the map, the table view, an area's figures, the lead's measure links
and the local supplier check. Public except the links editor."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import ANYONE, SERVICE_OWNER_LEADS, Reach, access
from socialvalue.core.postcodes import LOOKUP_LIMITS, district_for_postcode
from socialvalue.framework.selectors import framework_version_current, measures_for_version
from socialvalue.needs.data_files import ATTRIBUTION_LINES
from socialvalue.needs.deprivation import HIGH_TO_SEVERE_EXPLAINED
from socialvalue.needs.domains import DOMAINS, KIND_GROUPS
from socialvalue.needs.forms import (
    MeasureNeedLinkForm,
    NeedsFilterForm,
    NeedsSelection,
    PostcodeForm,
)
from socialvalue.needs.models import Area, MeasureNeedLink
from socialvalue.needs.palette import DECILE_COLOURS, legend_rows
from socialvalue.needs.selectors import (
    area_get_public,
    deciles_by_area,
    district_profile,
    district_summary,
    districts,
    lsoa_deciles,
    lsoas_ranked,
    measure_need_link_groups,
    need_layers,
)
from socialvalue.needs.services import measure_need_link_create, measure_need_link_delete

LSOAS_PER_PAGE = 50
MSG_LINK_ADDED = "Linked {code} to the {domain}."
MSG_LINK_REMOVED = "Removed the link from {code} to the {domain}."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _common(request: HttpRequest) -> tuple[NeedsFilterForm, NeedsSelection, dict[str, Any]]:
    """The filter form (as submitted, or showing the resolved choice) and what every
    needs page shows."""
    district_list = list(districts())
    theme_layers, measure_layers = need_layers()

    def make_form(data: Any) -> NeedsFilterForm:
        return NeedsFilterForm(
            data,
            districts=district_list,
            theme_layers=theme_layers,
            measure_layers=measure_layers,
        )

    form = make_form(request.GET or None)
    if form.is_bound:
        form.is_valid()
    selection = form.selection()
    if not form.errors:
        # Show the choice as resolved, e.g. the need a TOMs layer switched to.
        form = make_form(selection.as_query() | {"view": selection.view})
        form.is_valid()
    domain_field = form.fields["domain"]
    if selection.layer is not None and hasattr(domain_field, "choices"):
        domain_field.choices = [(key, DOMAINS[key].label) for key in selection.layer.domains]
    rows = district_summary(selection.domain)
    context = {
        "form": form,
        "selection": selection,
        "domain": DOMAINS[selection.domain],
        "domain_label_lower": _lower_first(DOMAINS[selection.domain].label),
        "district_rows": [r for r in rows if not r.is_comparator],
        "comparator_rows": [r for r in rows if r.is_comparator],
        "has_data": bool(district_list),
        "high_to_severe_explained": HIGH_TO_SEVERE_EXPLAINED,
        "attribution_lines": ATTRIBUTION_LINES,
        "need_layers": theme_layers + measure_layers,
        "layer_domains": [DOMAINS[key] for key in selection.layer.domains]
        if selection.layer
        else [],
    }
    return form, selection, context


@access(ANYONE)
def needs_index(request: HttpRequest) -> HttpResponse:
    form, selection, context = _common(request)
    map_config = {
        "domains": [
            {
                "key": d.key,
                "label": d.label,
                "short": d.short_label,
                "group": KIND_GROUPS[d.kind],
                "description": d.description,
            }
            for d in DOMAINS.values()
        ],
        "districts": [{"code": row.code, "name": row.name} for row in context["district_rows"]],
        "layers": {layer.key: layer.domains for layer in context["need_layers"]},
        "colours": DECILE_COLOURS,
        "lsoaUrl": reverse("api:needs_areas_geojson") + "?level=lsoa",
        "districtUrl": reverse("api:needs_areas_geojson") + "?level=district",
        "summaryUrl": reverse("api:needs_summary"),
        "areaUrl": reverse("needs:area", args=["CODE"]),
        "tableUrl": reverse("needs:table"),
        "tileUrl": getattr(settings, "NEEDS_TILE_URL", ""),
        "tileAttribution": getattr(settings, "NEEDS_TILE_ATTRIBUTION", ""),
    }
    context |= {
        "map_config": map_config,
        "legend": legend_rows(),
        "link_groups": measure_need_link_groups(),
    }
    return render(request, "needs/index.html", context)


@access(ANYONE)
def needs_table(request: HttpRequest) -> HttpResponse:
    form, selection, context = _common(request)
    lsoas = lsoas_ranked(selection.domain, selection.district_code)
    page = Paginator(lsoas, LSOAS_PER_PAGE).get_page(request.GET.get("page"))
    areas = list(page.object_list)
    figures = deciles_by_area([a.pk for a in areas])
    context |= {
        "page": page,
        "lsoa_rows": [
            {
                "area": area,
                "deciles": [figures[area.pk].get(key, (None, None))[1] for key in DOMAINS],
            }
            for area in areas
        ],
        "domains": list(DOMAINS.values()),
    }
    return render(request, "needs/table.html", context)


@access(ANYONE, Reach.PUBLIC)
def needs_area(request: HttpRequest, code: str) -> HttpResponse:
    area = area_get_public(code)
    context: dict[str, Any] = {
        "area": area,
        "attribution_lines": ATTRIBUTION_LINES,
        "high_to_severe_explained": HIGH_TO_SEVERE_EXPLAINED,
    }
    if area.level == Area.Level.DISTRICT:
        profile = district_profile(area)
        context["profile"] = profile
        context["region_name"] = area.parent.name if area.parent else ""
        return render(request, "needs/district.html", context)
    context["deciles"] = lsoa_deciles(area)
    context["high_count"] = sum(1 for row in context["deciles"] if row.is_high_to_severe)
    return render(request, "needs/lsoa.html", context)


def _current_measures() -> list[Any]:
    version = framework_version_current()
    return list(measures_for_version(version)) if version else []


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
def needs_links(request: AuthenticatedRequest) -> HttpResponse:
    measures = _current_measures()
    form = MeasureNeedLinkForm(request.POST or None, measures=measures)
    if request.method == "POST" and form.is_valid():
        try:
            link = measure_need_link_create(
                measure_code=form.cleaned_data["measure_code"],
                domain=form.cleaned_data["domain"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                MSG_LINK_ADDED.format(
                    code=link.measure_code, domain=_lower_first(DOMAINS[link.domain].label)
                ),
            )
            return redirect("needs:links")
    return render(
        request,
        "needs/links.html",
        {
            "form": form,
            "groups": measure_need_link_groups(),
            "has_measures": bool(measures),
            "link_count": MeasureNeedLink.objects.count(),
        },
    )


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@require_POST
def needs_link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(MeasureNeedLink, pk=pk)
    code, domain = link.measure_code, link.domain
    measure_need_link_delete(link=link)
    messages.success(
        request,
        MSG_LINK_REMOVED.format(code=code, domain=_lower_first(DOMAINS[domain].label)),
    )
    return redirect("needs:links")


@access(ANYONE)
def needs_postcode(request: HttpRequest) -> HttpResponse:
    form = PostcodeForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        result = district_for_postcode(form.cleaned_data["postcode"])
    return render(
        request,
        "needs/postcode.html",
        {
            "form": form,
            "result": result,
            "limits": LOOKUP_LIMITS,
            "attribution_lines": ATTRIBUTION_LINES,
        },
    )
