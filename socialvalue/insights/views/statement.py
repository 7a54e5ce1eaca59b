"""The annual statement pages.

Managing (``/insights/statement/…``): the social value lead creates, writes, publishes and
withdraws the statements of their organisation; its other council staff (officers,
evaluators) may read them, drafts included, but change nothing (403). A statement is found by
year inside the user's own organisation, so another organisation's is 404. Suppliers and
partners get 403.

Public (``/statement/…``, no sign-in): published statements only; a draft is 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import Organisation
from socialvalue.contracts.contract_forms.fields import add_service_errors
from socialvalue.core.access import ANYONE, LEADS, STAFF_AND_CABINET, Reach, access
from socialvalue.core.markdown import render_markdown
from socialvalue.insights.models import Statement
from socialvalue.insights.statement import (
    GUIDANCE,
    Key,
    get_published_statement,
    get_section,
    get_statement_for_user,
    other_publishers,
    public_organisation,
    published_statements,
    section_update,
    sections_of,
    statement_create,
    statement_history,
    statement_publish,
    statement_retitle,
    statement_withdraw,
    statements_of,
    year_label,
)
from socialvalue.insights.statement_forms import (
    SectionForm,
    StatementCreateForm,
    StatementTitleForm,
)
from socialvalue.insights.statement_pdf import statement_context, statement_filename, statement_pdf

MSG_CREATED = "The statement for {year} has been created. Write each section, then publish it."
MSG_TITLE_SAVED = "The title has been saved."
MSG_SECTION_SAVED = "The section {section} has been saved."
MSG_PUBLISHED = "The statement for {year} has been published."
MSG_WITHDRAWN = "The statement for {year} has been withdrawn: it is a draft again."


def _pdf_response(statement: Statement, *, public: bool) -> HttpResponse:
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{statement_filename(statement)}"'
    if not public:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _rows(statements: list[Statement]) -> list[tuple[Statement, str]]:
    return [(s, year_label(s.year)) for s in statements]


# --- Managing -----------------------------------------------------------------------------------


@access(STAFF_AND_CABINET)
@require_safe
def statement_manage(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    statements = list(statements_of(user.organisation_id))
    form = StatementCreateForm(taken={s.year for s in statements})
    return render(
        request,
        "insights/statement/manage.html",
        {"statements": _rows(statements), "form": form, "is_lead": user.is_lead},
    )


@access(LEADS)
@require_POST
def statement_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    statements = list(statements_of(user.organisation_id))
    form = StatementCreateForm(request.POST, taken={s.year for s in statements})
    if form.is_valid() and user.organisation is not None:
        try:
            statement = statement_create(
                organisation=user.organisation, year=form.cleaned_data["year"], by=user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_CREATED.format(year=year_label(statement.year)))
            return redirect("insights:statement_edit", year=statement.year)
    return render(
        request,
        "insights/statement/manage.html",
        {"statements": _rows(statements), "form": form, "is_lead": True},
        status=400,
    )


@access(STAFF_AND_CABINET, Reach.ORGANISATION)
@require_safe
def statement_view(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The statement as it reads (or will read) in public, with its status and history."""
    user = request.user
    statement = get_statement_for_user(user, year)
    return render(
        request,
        "insights/statement/detail.html",
        {
            **statement_context(statement),
            "public_url": _public_address(statement),
            "history": statement_history(statement),
            "is_lead": user.is_lead,
        },
    )


@access(STAFF_AND_CABINET, Reach.ORGANISATION)
@require_safe
def statement_draft_pdf(request: AuthenticatedRequest, year: int) -> HttpResponse:
    statement = get_statement_for_user(request.user, year)
    return _pdf_response(statement, public=False)


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def statement_edit(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The title and the list of sections to write."""
    user = request.user
    statement = get_statement_for_user(user, year)
    published = statement.status == Statement.Status.PUBLISHED
    posted = request.method == "POST" and not published
    form = StatementTitleForm(request.POST if posted else None, initial={"title": statement.title})
    if posted and form.is_valid():
        try:
            statement_retitle(statement, title=form.cleaned_data["title"], by=user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_TITLE_SAVED)
            return redirect("insights:statement_edit", year=year)
    return render(
        request,
        "insights/statement/edit.html",
        {
            "statement": statement,
            "year_label": year_label(year),
            "sections": sections_of(statement),
            "form": form,
            "published": published,
        },
        status=400 if form.errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def section_edit(request: AuthenticatedRequest, year: int, key: str) -> HttpResponse:
    """Write one section; "Preview" shows the Markdown rendered without saving."""
    user = request.user
    statement = get_statement_for_user(user, year)
    section = get_section(statement, key)
    label = Key(section.key).label
    published = statement.status == Statement.Status.PUBLISHED
    posted = request.method == "POST" and not published
    current = next(s for s in sections_of(statement) if s.key == section.key)
    form = SectionForm(
        request.POST if posted else None,
        initial={"body": current.body},
        help_text=GUIDANCE[Key(section.key)],
        required=section.key != Key.ACHIEVEMENTS,
    )
    preview = None
    if posted and form.is_valid():
        body = form.cleaned_data["body"]
        if request.POST.get("action") == "preview":
            preview = render_markdown(body)
        else:
            try:
                section_update(section, body=body, by=user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, MSG_SECTION_SAVED.format(section=label))
                return redirect("insights:statement_edit", year=year)
    return render(
        request,
        "insights/statement/section_form.html",
        {
            "statement": statement,
            "year_label": year_label(year),
            "section": section,
            "label": label,
            "form": form,
            "preview": preview,
            "published": published,
            "is_achievements": section.key == Key.ACHIEVEMENTS,
        },
        status=400 if form.errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def statement_publish_view(request: AuthenticatedRequest, year: int) -> HttpResponse:
    user = request.user
    statement = get_statement_for_user(user, year)
    errors: list[str] = []
    if request.method == "POST":
        try:
            statement_publish(statement, by=user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, MSG_PUBLISHED.format(year=year_label(year)))
            return redirect("insights:statement", year=year)
    return render(
        request,
        "insights/statement/publish.html",
        {**statement_context(statement), "errors": errors},
        status=400 if errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "HEAD", "POST"])
def statement_withdraw_view(request: AuthenticatedRequest, year: int) -> HttpResponse:
    user = request.user
    statement = get_statement_for_user(user, year)
    errors: list[str] = []
    if request.method == "POST":
        try:
            statement_withdraw(statement, by=user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, MSG_WITHDRAWN.format(year=year_label(year)))
            return redirect("insights:statement", year=year)
    return render(
        request,
        "insights/statement/withdraw.html",
        {"statement": statement, "year_label": year_label(year), "errors": errors},
        status=400 if errors else 200,
    )


# --- Public ---------------------------------------------------------------------------------------


def _public_urls(organisation: Organisation, host: bool, year: int) -> tuple[str, str]:
    """The page and PDF addresses of a published statement."""
    if host:
        return (
            reverse("insights:statement_public_year", args=[year]),
            reverse("insights:statement_public_pdf", args=[year]),
        )
    return (
        reverse("insights:statement_public_organisation_year", args=[organisation.slug, year]),
        reverse("insights:statement_public_organisation_pdf", args=[organisation.slug, year]),
    )


def _public_address(statement: Statement) -> str:
    host = public_organisation()
    is_host = host is not None and host.pk == statement.organisation_id
    return _public_urls(statement.organisation, is_host, statement.year)[0]


def _public_page(request: HttpRequest, statement: Statement, *, latest: bool) -> HttpResponse:
    organisation = statement.organisation
    host = public_organisation()
    is_host = host is not None and host.pk == organisation.pk
    years = [
        (s.year, year_label(s.year), _public_urls(organisation, is_host, s.year)[0])
        for s in published_statements(organisation)
    ]
    return render(
        request,
        "insights/statement/public.html",
        {
            **statement_context(statement),
            "latest": latest,
            "pdf_url": _public_urls(organisation, is_host, statement.year)[1],
            "years": years,
            "others": other_publishers(organisation),
        },
    )


def _organisation_by_slug(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.BUYER)


@access(ANYONE, Reach.PUBLIC)
@require_safe
def public_latest(request: HttpRequest) -> HttpResponse:
    organisation = public_organisation()
    if organisation is None:
        return render(request, "insights/statement/none.html")
    return _public_page(request, get_published_statement(organisation), latest=True)


@access(ANYONE, Reach.PUBLIC)
@require_safe
def public_year(request: HttpRequest, year: int) -> HttpResponse:
    organisation = public_organisation()
    if organisation is None:
        return render(request, "insights/statement/none.html", status=404)
    return _public_page(request, get_published_statement(organisation, year), latest=False)


@access(ANYONE, Reach.PUBLIC)
@require_safe
def public_pdf(request: HttpRequest, year: int) -> HttpResponse:
    organisation = public_organisation()
    if organisation is None:
        return render(request, "insights/statement/none.html", status=404)
    return _pdf_response(get_published_statement(organisation, year), public=True)


@access(ANYONE, Reach.PUBLIC)
@require_safe
def public_organisation_latest(request: HttpRequest, organisation: str) -> HttpResponse:
    statement = get_published_statement(_organisation_by_slug(organisation))
    return _public_page(request, statement, latest=True)


@access(ANYONE, Reach.PUBLIC)
@require_safe
def public_organisation_year(request: HttpRequest, organisation: str, year: int) -> HttpResponse:
    statement = get_published_statement(_organisation_by_slug(organisation), year)
    return _public_page(request, statement, latest=False)


@access(ANYONE, Reach.PUBLIC)
@require_safe
def public_organisation_pdf(request: HttpRequest, organisation: str, year: int) -> HttpResponse:
    statement = get_published_statement(_organisation_by_slug(organisation), year)
    return _pdf_response(statement, public=True)
