"""The training records pages.

Council staff (the lead, officers and evaluators) read their own organisation's courses and
completions; only the social value lead changes them. Suppliers and partners get 403, and a
course of another organisation is 404.
"""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.security import personal_data_export_record
from socialvalue.contracts.contract_forms.fields import add_service_errors
from socialvalue.contracts.imports import ImportFailed
from socialvalue.core.access import LEADS, STAFF, Reach, access
from socialvalue.core.spreadsheets import csv_response
from socialvalue.insights.models import TrainingCompletion
from socialvalue.insights.training import (
    completion_delete,
    completion_record,
    completions_import,
    course_create,
    course_set_active,
    course_update,
    courses_of,
    financial_year_of,
    get_completion_for_user,
    get_course_for_user,
    officer_rows,
    trained_ratio,
    year_end,
)
from socialvalue.insights.training_forms import (
    CompletionForm,
    CompletionImportForm,
    CourseForm,
    YearForm,
)

YEARS_SHOWN = 4
CSV_COLUMNS = ["Name", "Email", "Role", "Trained", "Courses completed", "Latest completion"]

NO_ORGANISATION = "Your account is not linked to an organisation."
MSG_COURSE_ADDED = "{title} has been added to your courses."
MSG_COURSE_SAVED = "{title} has been saved."
MSG_COURSE_RETIRED = (
    "{title} has been retired: it is no longer offered, and its completions stay on record."
)
MSG_COURSE_REINSTATED = "{title} is offered again."
MSG_RECORDED = "{name} completed {course} on {day}: recorded."
MSG_DELETED = "The completion of {course} by {name} has been removed."
MSG_IMPORTED = "{recorded} completion{s} recorded from {name}."
MSG_IMPORTED_ALREADY_ONE = " 1 was already recorded and was left as it was."
MSG_IMPORTED_ALREADY = " {already} were already recorded and were left as they were."
ERR_FILE_PROBLEMS = "The file has {count} {problems}, listed above. Nothing has been recorded."


def _organisation(user: User) -> Organisation:
    if user.organisation is None:
        raise PermissionDenied(NO_ORGANISATION)
    return user.organisation


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _name(user: User) -> str:
    return user.full_name or user.email


def _years(organisation: Organisation) -> list[int]:
    """The financial years to choose from, newest first: the last few and any with records."""
    current = financial_year_of(timezone.localdate())
    first = current - YEARS_SHOWN + 1
    earliest = (
        TrainingCompletion.objects.filter(course__organisation=organisation)
        .order_by("completed_on")
        .values_list("completed_on", flat=True)
        .first()
    )
    if earliest is not None:
        first = min(first, financial_year_of(earliest))
    return list(range(current, first - 1, -1))


def _chosen_year(request: HttpRequest, organisation: Organisation) -> tuple[YearForm, int]:
    years = _years(organisation)
    form = YearForm(request.GET if "year" in request.GET else None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
    if not form.is_bound or form.errors:
        form = YearForm(initial={"year": year}, years=years)
    return form, year


@access(STAFF)
@require_safe
def training_index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = _organisation(user)
    form, year = _chosen_year(request, organisation)
    rows = officer_rows(organisation, year)
    ratio = trained_ratio(organisation, year)
    courses = courses_of(organisation).annotate(completion_count=Count("completions"))
    return render(
        request,
        "insights/training/index.html",
        {
            "organisation": organisation,
            "year": year,
            "year_label": f"{year}-{(year + 1) % 100:02d}",
            "as_of": year_end(year),
            "form": form,
            "rows": rows,
            "ratio": ratio,
            "courses": courses,
            "is_lead": user.is_lead,
        },
    )


@access(STAFF)
@require_safe
def training_csv(request: AuthenticatedRequest) -> HttpResponse:
    """The per-officer list of the chosen year as CSV."""
    user = request.user
    organisation = _organisation(user)
    _, year = _chosen_year(request, organisation)
    records: list[list[object]] = []
    rows = officer_rows(organisation, year)
    for row in rows:
        officer = row.officer
        latest = row.completions[-1].completed_on.isoformat() if row.completions else ""
        records.append(
            [
                officer.full_name,
                officer.email,
                officer.get_role_display(),
                "Yes" if row.trained else "No",
                "; ".join(c.course.title for c in row.completions),
                latest,
            ]
        )
    name = f"training-{organisation.slug}-{year}-{(year + 1) % 100:02d}.csv"
    response = csv_response([CSV_COLUMNS, *records], filename=name)
    patch_cache_control(response, private=True, no_store=True)
    personal_data_export_record(request, export="training records", rows=len(rows), year=year)
    return response


@access(STAFF, Reach.ORGANISATION)
@require_safe
def course_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    course = get_course_for_user(user, pk)
    completions = course.completions.select_related("user", "recorded_by").order_by(
        "-completed_on", "user__full_name"
    )
    return render(
        request,
        "insights/training/course_detail.html",
        {"course": course, "completions": completions, "is_lead": user.is_lead},
    )


@access(LEADS)
@require_http_methods(["GET", "HEAD", "POST"])
def course_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = _organisation(user)
    form = CourseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            course = course_create(organisation=organisation, by=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_COURSE_ADDED.format(title=course.title))
            return redirect("insights:training_course", pk=course.pk)
    return render(
        request,
        "insights/training/course_form.html",
        {"form": form, "course": None},
        status=400 if form.errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def course_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    course = get_course_for_user(user, pk)
    initial = {"title": course.title, "kind": course.kind, "description": course.description}
    form = CourseForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course = course_update(course, by=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            course.refresh_from_db()
        else:
            messages.success(request, MSG_COURSE_SAVED.format(title=course.title))
            return redirect("insights:training_course", pk=course.pk)
    return render(
        request,
        "insights/training/course_form.html",
        {"form": form, "course": course},
        status=400 if form.errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_POST
def course_retire(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    course = get_course_for_user(user, pk)
    active = request.POST.get("active") == "1"
    course_set_active(course, active=active, by=user)
    text = MSG_COURSE_REINSTATED if active else MSG_COURSE_RETIRED
    messages.success(request, text.format(title=course.title))
    return redirect("insights:training_course", pk=course.pk)


@access(LEADS)
@require_http_methods(["GET", "HEAD", "POST"])
def completion_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = _organisation(user)
    initial = {}
    if request.GET.get("course", "").isdigit():
        initial["course"] = int(request.GET["course"])
    form = CompletionForm(_posted(request), organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            completion = completion_record(
                course=data["course"],
                officer=data["officer"],
                completed_on=data["completed_on"],
                by=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                MSG_RECORDED.format(
                    name=_name(completion.user),
                    course=completion.course.title,
                    day=f"{completion.completed_on:%-d %B %Y}",
                ),
            )
            return redirect("insights:training_course", pk=completion.course_id)
    return render(
        request,
        "insights/training/completion_form.html",
        {"form": form, "has_courses": courses_of(organisation).exists()},
        status=400 if form.errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def completion_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    completion = get_completion_for_user(user, pk)
    if request.method == "POST":
        course_id = completion.course_id
        completion_delete(completion, by=user)
        messages.success(
            request,
            MSG_DELETED.format(course=completion.course.title, name=_name(completion.user)),
        )
        return redirect("insights:training_course", pk=course_id)
    return render(request, "insights/training/completion_delete.html", {"completion": completion})


def _imported_message(recorded: int, already: int, name: str) -> str:
    text = MSG_IMPORTED.format(recorded=recorded, s="" if recorded == 1 else "s", name=name)
    if already == 1:
        text += MSG_IMPORTED_ALREADY_ONE
    elif already:
        text += MSG_IMPORTED_ALREADY.format(already=already)
    return text


@access(LEADS)
@require_http_methods(["GET", "HEAD", "POST"])
def completions_upload(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = _organisation(user)
    posted = request.method == "POST"
    form = CompletionImportForm(request.POST if posted else None, request.FILES if posted else None)
    row_errors: list[str] = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        name = PurePath(upload.name or "upload.csv").name
        upload.seek(0)
        try:
            result = completions_import(
                organisation=organisation, data=b"".join(upload.chunks()), by=user
            )
        except ImportFailed as exc:
            row_errors = exc.messages
        else:
            messages.success(request, _imported_message(result.recorded, result.already, name))
            return redirect("insights:training")
    if row_errors:
        count = len(row_errors)
        form.add_error(
            "file",
            ERR_FILE_PROBLEMS.format(count=count, problems="problem" if count == 1 else "problems"),
        )
    return render(
        request,
        "insights/training/import.html",
        {"form": form, "row_errors": row_errors, "courses": courses_of(organisation)},
        status=400 if form.errors else 200,
    )
