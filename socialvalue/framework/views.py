"""The public framework browser: versions, measures, changes and downloads.

Drafts exist only for the social value lead, who may preview them at the same addresses;
everyone else gets a 404.
"""

import json
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from socialvalue.core.access import ANYONE, Reach, access
from socialvalue.core.spreadsheets import active_sheet, append_row, csv_bytes, xlsx_bytes
from socialvalue.framework.forms import MeasureSearchForm
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.framework.selectors import (
    framework_version_current,
    framework_version_document,
    framework_version_get_for_user,
    framework_version_published_for,
    framework_versions_diff,
    framework_versions_for_user,
    framework_versions_listing,
    measure_examples_split,
    measure_get_for_version,
    measures_for_version,
    measures_grouped,
    proxy_value_text,
    themes_for_version,
    user_can_preview_drafts,
)

WORKED_EXAMPLE_QUANTITY = Decimal(2)
DOWNLOAD_FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
DOWNLOAD_COLUMNS = [
    "Theme",
    "Outcome",
    "Code",
    "Description",
    "Unit",
    "Proxy value (£)",
    "Value type",
    "Evidence required",
    "Examples",
]
GBP_NUMBER_FORMAT = '"£"#,##0.00'
WORDING_LABELS = {
    "description": "Description",
    "unit": "Unit",
    "evidence_required": "Evidence required",
    "value_type": "Value type",
    "outcome": "Outcome",
}


def _version_context(request: HttpRequest, version: FrameworkVersion) -> dict[str, Any]:
    """What every page about a version shows: its status banners and attribution."""
    current = framework_version_published_for(version.framework)
    return {
        "version": version,
        "current_version": current,
        "is_current": current is not None and current.pk == version.pk,
        "can_preview_drafts": user_can_preview_drafts(request.user),
    }


def _finish(response: HttpResponse, version: FrameworkVersion) -> HttpResponse:
    # A draft preview is for the lead's eyes only: keep it out of shared caches.
    if version.is_draft:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _version_page(
    request: HttpRequest, version: FrameworkVersion, *, is_index: bool = False
) -> HttpResponse:
    themes = list(themes_for_version(version))
    form = MeasureSearchForm(request.GET or None, themes=themes)
    query, theme_slug = form.query, form.theme_slug
    total = Measure.objects.filter(version=version).count()
    measures = list(measures_for_version(version, query=query, theme_slug=theme_slug))
    other_versions = framework_versions_for_user(request.user).exclude(pk=version.pk)
    context = _version_context(request, version) | {
        "is_index": is_index,
        "form": form,
        "query": query,
        "theme_slug": theme_slug,
        "filtered": bool(query or theme_slug),
        "groups": measures_grouped(measures),
        "result_count": len(measures),
        "total": total,
        "theme_count": len(themes),
        "other_versions": other_versions.order_by("-published_at", "-created_at")[:10],
        "form_action": request.path,
    }
    return _finish(render(request, "framework/version.html", context), version)


@access(ANYONE)
def framework_index(request: HttpRequest) -> HttpResponse:
    version = framework_version_current()
    if version is None:
        drafts = (
            framework_versions_for_user(request.user).filter(status=FrameworkVersion.Status.DRAFT)
            if user_can_preview_drafts(request.user)
            else FrameworkVersion.objects.none()
        )
        return render(request, "framework/none.html", {"drafts": drafts})
    return _version_page(request, version, is_index=True)


@access(ANYONE)
def framework_versions(request: HttpRequest) -> HttpResponse:
    versions = list(framework_versions_listing(request.user))
    return render(request, "framework/versions.html", {"versions": versions})


@access(ANYONE, Reach.PUBLIC)
def framework_version(request: HttpRequest, version_slug: str) -> HttpResponse:
    version = framework_version_get_for_user(user=request.user, slug=version_slug)
    return _version_page(request, version)


@access(ANYONE, Reach.PUBLIC)
def framework_measure(request: HttpRequest, version_slug: str, code: str) -> HttpResponse:
    version = framework_version_get_for_user(user=request.user, slug=version_slug)
    measure = measure_get_for_version(version, code)
    if measure is None:
        raise Http404(f"There is no measure {code} in {version.name}.")
    if measure.code != code:
        return redirect("framework:measure", version_slug=version.slug, code=measure.code)
    worked_value = (
        WORKED_EXAMPLE_QUANTITY * measure.proxy_value if measure.proxy_value is not None else None
    )
    context = _version_context(request, version) | {
        "measure": measure,
        "examples": measure_examples_split(measure.examples),
        "worked_quantity": WORKED_EXAMPLE_QUANTITY,
        "worked_value": worked_value,
    }
    return _finish(render(request, "framework/measure.html", context), version)


def _wording_rows(diff: Any) -> list[dict[str, Any]]:
    old_by_code = {m.code: m for m in measures_for_version(diff.old)}
    rows = []
    for measure, fields in diff.text_changed:
        before = old_by_code[measure.code]
        changes = []
        for name in fields:
            if name == "outcome":
                old_text, new_text = before.outcome.name, measure.outcome.name
            elif name == "value_type":
                old_text, new_text = (
                    before.get_value_type_display(),
                    measure.get_value_type_display(),
                )
            else:
                old_text, new_text = getattr(before, name), getattr(measure, name)
            changes.append({"label": WORDING_LABELS[name], "old": old_text, "new": new_text})
        rows.append({"measure": measure, "changes": changes})
    return rows


@access(ANYONE, Reach.PUBLIC)
def framework_changes(request: HttpRequest, version_slug: str) -> HttpResponse:
    version = framework_version_get_for_user(user=request.user, slug=version_slug)
    previous = version.previous
    if previous is not None and previous.is_draft and not user_can_preview_drafts(request.user):
        previous = None
    diff = framework_versions_diff(previous, version) if previous is not None else None
    context = _version_context(request, version) | {
        "previous": previous,
        "diff": diff,
        "wording_rows": _wording_rows(diff) if diff is not None else [],
    }
    return _finish(render(request, "framework/changes.html", context), version)


# --- Downloads ---------------------------------------------------------------------------------


def _download_rows(version: FrameworkVersion) -> list[list[Any]]:
    return [
        [
            m.theme.name,
            m.outcome.name,
            m.code,
            m.description,
            m.unit,
            m.proxy_value,
            m.get_value_type_display(),
            m.evidence_required,
            m.examples,
        ]
        for m in measures_for_version(version)
    ]


def _csv_body(version: FrameworkVersion) -> bytes:
    rows = _download_rows(version)
    for row in rows:
        proxy = proxy_value_text(row[5])
        row[5] = Decimal(proxy) if proxy is not None else None
    return csv_bytes([DOWNLOAD_COLUMNS, *rows])


def _xlsx_body(request: HttpRequest, version: FrameworkVersion) -> bytes:
    workbook = Workbook()
    sheet = active_sheet(workbook)
    sheet.title = "Measures"
    append_row(sheet, DOWNLOAD_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _download_rows(version):
        append_row(sheet, row)
        sheet.cell(row=sheet.max_row, column=6).number_format = GBP_NUMBER_FORMAT
    sheet.freeze_panes = "A2"
    widths = [28, 36, 8, 70, 28, 16, 14, 70, 70]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap

    about = workbook.create_sheet("About")
    published = timezone.localtime(version.published_at) if version.published_at else None
    retired = timezone.localtime(version.retired_at) if version.retired_at else None
    append_row(about, ["Framework", version.framework.name])
    append_row(about, ["Version", version.name])
    append_row(about, ["Status", version.get_status_display()])
    append_row(about, ["Published", f"{published:%-d %B %Y}" if published else "Not published"])
    if retired:
        append_row(about, ["Retired", f"{retired:%-d %B %Y}"])
    append_row(about, ["Source", version.source])
    append_row(about, ["Licence", version.licence])
    append_row(about, ["Attribution", version.attribution])
    append_row(
        about,
        [
            "Downloaded from",
            request.build_absolute_uri(reverse("framework:version", args=[version.slug])),
        ],
    )
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100
    for row_cells in about.iter_rows():
        row_cells[0].font = Font(bold=True)
        row_cells[1].alignment = Alignment(wrap_text=True, vertical="top")

    return xlsx_bytes(workbook)


@access(ANYONE, Reach.PUBLIC)
def framework_download(request: HttpRequest, version_slug: str, fmt: str) -> HttpResponse:
    version = framework_version_get_for_user(user=request.user, slug=version_slug)
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404(f"Downloads are available as {', '.join(DOWNLOAD_FORMATS)}.")
    body: bytes
    if fmt == "csv":
        body = _csv_body(version)
    elif fmt == "xlsx":
        body = _xlsx_body(request, version)
    else:
        document = framework_version_document(version)
        body = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{version.slug}.{fmt}"'
    return _finish(response, version)
