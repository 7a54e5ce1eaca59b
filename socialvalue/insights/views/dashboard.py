"""The KPI dashboard (/insights/): council staff only, each seeing the figures of the
organisations they may see (``insights.access``), with CSV and XLSX downloads."""

from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import STAFF_AND_CABINET, Reach, access
from socialvalue.insights.dashboard import TABLE_NAMES, build_dashboard, organisation_options
from socialvalue.insights.dashboard_forms import DashboardFilterForm
from socialvalue.insights.exports import csv_response, xlsx_response

FORMATS = ("csv", "xlsx")
NOT_YOURS = "These figures are not available to you."
NO_FORMAT = "Downloads are available as CSV or XLSX."
NO_TABLE = "There is no such table."


def _query(data: QueryDict, **changes: str) -> str:
    query = data.copy()
    for key in ("format", "table"):
        query.pop(key, None)
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@access(STAFF_AND_CABINET, Reach.PLACE)
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    options = organisation_options(user)
    if not options:
        return render(request, "insights/dashboard/no_organisation.html", status=200)
    # Whose figures is checked first: anything not offered to this user is not found.
    wanted = request.GET.get("organisation", "")
    if wanted and wanted not in {o.value for o in options}:
        raise Http404(NOT_YOURS)
    data = request.GET.copy()
    fmt = data.pop("format", [""])[0]
    table = data.pop("table", [""])[0] or None
    if fmt and fmt not in FORMATS:
        raise Http404(NO_FORMAT)
    if table is not None and table not in TABLE_NAMES:
        raise Http404(NO_TABLE)
    form = DashboardFilterForm(data or None, options=options)
    scope = form.scope()
    if fmt:
        wanted_tables = [table] if table else None
        board = build_dashboard(scope, form.option, tables=wanted_tables)
        respond = csv_response if fmt == "csv" else xlsx_response
        return respond(board, table, form.filters_applied)
    board = build_dashboard(scope, form.option)
    sections = [
        {
            "table": table,
            "chart": board.charts.get(table.name),
            "links": {
                "csv": "?" + _query(request.GET, format="csv", table=table.name),
                "xlsx": "?" + _query(request.GET, format="xlsx", table=table.name),
            },
        }
        for table in board.tables
    ]
    return render(
        request,
        "insights/dashboard/index.html",
        {
            "form": form,
            "board": board,
            "sections": sections,
            "all_xlsx": "?" + _query(request.GET, format="xlsx"),
            "headline_csv": "?" + _query(request.GET, format="csv"),
            "filtered": bool(form.filters_applied) or bool(data.get("organisation")),
            "has_errors": bool(form.errors),
        },
    )
