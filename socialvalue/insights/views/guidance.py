"""Category plan guidance (/insights/categories/) and needs against delivery
(/insights/needs/): council staff only, each seeing the figures of the organisations they
may see (``insights.access``), as on the dashboard, with CSV and XLSX downloads."""

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import STAFF, Reach, access
from socialvalue.core.money import round_2dp, round_money
from socialvalue.insights.categories import (
    MENU_MIN_CONTRACTS,
    MENU_MIN_RATE,
    CategoryGuidance,
    CategoryRow,
    MeasureRow,
    category_from_slug,
    category_guidance,
)
from socialvalue.insights.dashboard import OrganisationOption, organisation_options
from socialvalue.insights.exports import SheetSpec, sheet_csv_response, sheets_xlsx_response
from socialvalue.insights.guidance_forms import (
    ASCENDING,
    DESCENDING,
    NeedsDeliveryForm,
    PeriodForm,
)
from socialvalue.insights.needs_delivery import SORTS, NeedsDelivery, needs_delivery
from socialvalue.insights.views.dashboard import NO_FORMAT, NOT_YOURS
from socialvalue.needs.data_files import ATTRIBUTION_LINES
from socialvalue.needs.deprivation import HIGH_TO_SEVERE_EXPLAINED
from socialvalue.needs.domains import DOMAINS

NO_CATEGORY = "There is no such category."
CATEGORY_FORMATS = ("csv", "xlsx")


def _query(data: QueryDict, **changes: str) -> str:
    query = data.copy()
    query.pop("format", None)
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _options(request: AuthenticatedRequest) -> list[OrganisationOption]:
    """Whose figures the user may choose; anything else named in the address is not found."""
    user = request.user
    options = organisation_options(user)
    wanted = request.GET.get("organisation", "")
    if options and wanted and wanted not in {o.value for o in options}:
        raise Http404(NOT_YOURS)
    return options


def _format(data: QueryDict, allowed: tuple[str, ...]) -> str:
    fmt = data.pop("format", [""])[0]
    if fmt and fmt not in allowed:
        raise Http404(NO_FORMAT)
    return fmt


def _about(option: OrganisationOption, period: str, *extra: list[str]) -> list[list[str]]:
    return [["Figures for", option.label], ["Period", period], *extra]


def _file_name(option: OrganisationOption, period: str, what: str) -> str:
    return f"insight-{slugify(option.label)}-{slugify(period)}-{what}"


def _money(value: Decimal) -> Decimal:
    return round_money(value)


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_2dp(value)


# --- Category plan guidance ------------------------------------------------------------------

CATEGORY_HEADER = [
    "Category",
    "Contracts started",
    "Committed (£)",
    "Delivered to date, verified (£)",
    "Delivery rate (%)",
    "Average SV Add (%)",
    "Most committed measures",
]
MEASURE_HEADER = [
    "Measure",
    "Description",
    "Unit",
    "Contracts committing",
    "Committed quantity",
    "Committed (£)",
    "Delivered quantity, verified",
    "Delivered to date, verified (£)",
    "Delivery rate (%)",
    "On the suggested menu",
]
RULE_TEXT = (
    f"Delivery rate of at least {MENU_MIN_RATE}% and committed on at least "
    f"{MENU_MIN_CONTRACTS} contracts"
)


def _category_sheet(guidance: CategoryGuidance) -> SheetSpec:
    rows: list[list[object]] = [
        [
            row.label,
            row.contracts,
            _money(row.committed),
            _money(row.delivered),
            _pct(row.rate),
            _pct(row.sv_add_mean),
            ", ".join(m.code for m in row.top_measures),
        ]
        for row in guidance.rows
    ]
    rows.append(
        [
            "Total",
            guidance.contracts,
            _money(guidance.committed),
            _money(guidance.delivered),
            _pct(guidance.rate),
            None,
            "",
        ]
    )
    return SheetSpec("Categories", CATEGORY_HEADER, rows, frozenset({2, 3}), frozenset({4, 5}))


def _quantity(value: Decimal) -> Decimal:
    """A quantity without trailing zeros, never in exponent form: 200000.000000 → 200000."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent <= 0:
        return normal
    return normal.quantize(Decimal(1))


def _measure_cells(m: MeasureRow) -> list[object]:
    return [
        m.code,
        m.description,
        m.unit,
        m.contracts,
        _quantity(m.committed_quantity),
        _money(m.committed_value),
        _quantity(m.delivered_quantity),
        _money(m.delivered_value),
        _pct(m.rate),
        "Yes" if m.is_suggested else "No",
    ]


def _measure_sheets(row: CategoryRow) -> list[SheetSpec]:
    money, percent = frozenset({5, 7}), frozenset({8})
    return [
        SheetSpec(
            "Measures", MEASURE_HEADER, [_measure_cells(m) for m in row.measures], money, percent
        ),
        SheetSpec(
            "Suggested menu", MEASURE_HEADER, [_measure_cells(m) for m in row.menu], money, percent
        ),
    ]


@access(STAFF, Reach.PLACE)
@require_GET
def categories(request: AuthenticatedRequest) -> HttpResponse:
    options = _options(request)
    if not options:
        return render(request, "insights/dashboard/no_organisation.html")
    data = request.GET.copy()
    fmt = _format(data, CATEGORY_FORMATS)
    form = PeriodForm(data or None, options=options)
    guidance = category_guidance(form.scope())
    option, period = form.option, form.period
    if fmt:
        name = _file_name(option, period, "categories")
        about = _about(option, period)
        if fmt == "csv":
            return sheet_csv_response(_category_sheet(guidance), about, name)
        return sheets_xlsx_response([_category_sheet(guidance)], about, name)
    query = _query(request.GET)
    return render(
        request,
        "insights/guidance/categories.html",
        {
            "form": form,
            "action": reverse("insights:categories"),
            "guidance": guidance,
            "option": option,
            "period": period,
            "query": query,
            "csv": "?" + _query(request.GET, format="csv"),
            "xlsx": "?" + _query(request.GET, format="xlsx"),
            "filtered": bool(request.GET),
            "menu_min_rate": MENU_MIN_RATE,
            "menu_min_contracts": MENU_MIN_CONTRACTS,
        },
    )


@access(STAFF, Reach.PLACE)
@require_GET
def category_detail(request: AuthenticatedRequest, category: str) -> HttpResponse:
    key = category_from_slug(category)
    if key is None:
        raise Http404(NO_CATEGORY)
    options = _options(request)
    if not options:
        return render(request, "insights/dashboard/no_organisation.html")
    data = request.GET.copy()
    fmt = _format(data, CATEGORY_FORMATS)
    form = PeriodForm(data or None, options=options)
    row = category_guidance(form.scope()).row(key)
    option, period = form.option, form.period
    if fmt:
        name = _file_name(option, period, f"category-{row.slug}")
        about = _about(option, period, ["Category", row.label], ["Suggested menu", RULE_TEXT])
        sheets = _measure_sheets(row)
        if fmt == "csv":
            return sheet_csv_response(sheets[0], about, name)
        return sheets_xlsx_response(sheets, about, name)
    return render(
        request,
        "insights/guidance/category.html",
        {
            "form": form,
            "action": reverse("insights:category", args=[row.slug]),
            "row": row,
            "option": option,
            "period": period,
            "query": _query(request.GET),
            "csv": "?" + _query(request.GET, format="csv"),
            "xlsx": "?" + _query(request.GET, format="xlsx"),
            "filtered": bool(request.GET),
            "menu_min_rate": MENU_MIN_RATE,
            "menu_min_contracts": MENU_MIN_CONTRACTS,
        },
    )


# --- Needs against delivery ------------------------------------------------------------------

NEEDS_FORMATS = ("csv",)


def _needs_sheet(report: NeedsDelivery) -> SheetSpec:
    domain = DOMAINS[report.domain].label
    header = [
        "District",
        "ONS code",
        "Delivered, verified (£)",
        "Share of delivered (%)",
        "LSOAs",
        f"LSOAs in high to severe deprivation ({domain})",
        "High to severe (%)",
        "Share of Lancashire's high to severe LSOAs (%)",
    ]
    rows: list[list[object]] = [
        [
            r.name,
            r.code if not r.is_outside else "",
            _money(r.delivered),
            _pct(r.delivered_share),
            r.lsoa_count,
            r.high_count,
            _pct(r.high_percent),
            _pct(r.need_share),
        ]
        for r in report.rows
    ]
    rows.append(
        [
            "Total",
            "",
            _money(report.delivered_total),
            Decimal("100.00") if report.delivered_total else None,
            report.lsoa_total or None,
            report.high_total or None,
            _pct(report.high_percent),
            Decimal("100.00") if report.high_total else None,
        ]
    )
    return SheetSpec("Needs against delivery", header, rows)


def _sort_links(request: HttpRequest, form: NeedsDeliveryForm) -> dict[str, dict[str, Any]]:
    """Each column's link: sorted by it, the other way round when it is already."""
    links = {}
    for key in SORTS:
        current = form.sort_value == key
        if current:
            order = ASCENDING if form.descending else DESCENDING
        else:
            order = ASCENDING if key == "district" else DESCENDING
        aria = ("descending" if form.descending else "ascending") if current else "none"
        links[key] = {
            "href": "?" + _query(request.GET, sort=key, order=order) + "#needs-table",
            "aria_sort": aria,
            "current": current,
            "next": "ascending" if order == ASCENDING else "descending",
        }
    return links


@access(STAFF, Reach.PLACE)
@require_GET
def needs(request: AuthenticatedRequest) -> HttpResponse:
    options = _options(request)
    if not options:
        return render(request, "insights/dashboard/no_organisation.html")
    data = request.GET.copy()
    fmt = _format(data, NEEDS_FORMATS)
    # Column links only ever offer the choices listed; anything else is ignored.
    if data.get("sort", "") not in SORTS:
        data.pop("sort", None)
    if data.get("order", "") not in (ASCENDING, DESCENDING):
        data.pop("order", None)
    form = NeedsDeliveryForm(data or None, options=options)
    scope = form.scope()
    report = needs_delivery(scope, form.domain_value, form.sort_value, form.descending)
    option, period = form.option, form.period
    domain = DOMAINS[report.domain]
    if fmt:
        name = _file_name(option, period, f"needs-{report.domain}")
        about = _about(
            option,
            period,
            ["Need", domain.label],
            ["High to severe", HIGH_TO_SEVERE_EXPLAINED],
            *[["Source", line] for line in ATTRIBUTION_LINES],
        )
        return sheet_csv_response(_needs_sheet(report), about, name)
    map_rows = {
        r.code: {
            "name": r.name,
            "band": r.band,
            "delivered": str(round_money(r.delivered)),
            "share": "" if r.delivered_share is None else f"{round_2dp(r.delivered_share)}",
            "need": "" if r.high_percent is None else f"{round_2dp(r.high_percent)}",
        }
        for r in report.districts
    }
    return render(
        request,
        "insights/guidance/needs.html",
        {
            "form": form,
            "action": reverse("insights:needs"),
            "report": report,
            "option": option,
            "period": period,
            "domain": domain,
            "sort_links": _sort_links(request, form),
            "csv": "?" + _query(request.GET, format="csv"),
            "filtered": bool(request.GET),
            "attribution_lines": ATTRIBUTION_LINES,
            "high_to_severe_explained": HIGH_TO_SEVERE_EXPLAINED,
            "map_config": {
                "districtUrl": reverse("api:needs_areas_geojson")
                + f"?level=district&domain={report.domain}",
                "colours": [b.colour for b in report.bands],
                "rows": map_rows,
                "domain": domain.short_label,
            },
        },
    )
