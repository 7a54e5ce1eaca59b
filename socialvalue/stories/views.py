"""Case studies: the public gallery, authors' drafts, and the lead's review."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import ANYONE, LEADS, STAFF_AND_SUPPLIERS, Reach, access
from socialvalue.stories.forms import CaseStudyFilterForm, CaseStudyForm, ReviewForm, UnpublishForm
from socialvalue.stories.images import CONTENT_TYPES
from socialvalue.stories.models import MAX_FIGURES, CaseStudy
from socialvalue.stories.selectors import (
    FrameworkIndex,
    can_write_case_studies,
    case_studies_decided,
    case_studies_filtered,
    case_studies_for_organisation,
    case_studies_submitted,
    case_study_author_organisation,
    case_study_display,
    case_study_get_for_author,
    case_study_get_for_review,
    case_study_get_visible,
    case_study_years,
    contracts_for_author,
)
from socialvalue.stories.services import (
    case_study_publish,
    case_study_return,
    case_study_save,
    case_study_submit,
    case_study_unpublish,
    case_study_withdraw,
)

CASE_STUDIES_PER_PAGE = 12
LIST_PER_PAGE = 20
RECENT_DECISIONS = 10
PUBLISHED_IMAGE_MAX_AGE = 300


MSG_SAVED = "Your case study is saved. Check the preview, then send it for review."
MSG_SUBMITTED = "Your case study has been sent to the social value lead for review."
MSG_WITHDRAWN = "Your case study is back in draft. You can change it and send it again."
MSG_PUBLISHED = "“{title}” is published."
MSG_RETURNED = "“{title}” has been returned to its author with your note."
MSG_UNPUBLISHED = "“{title}” is no longer published. It has been returned to its author."
MSG_ALREADY_DECIDED = "This case study is not waiting for review any more."


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Public ----------------------------------------------------------------------------------


@access(ANYONE)
def case_study_index(request: HttpRequest) -> HttpResponse:
    index = FrameworkIndex.current()
    form = CaseStudyFilterForm(
        request.GET or None, themes=list(index.themes.values()), years=case_study_years()
    )
    theme_slug = form.value("theme")
    district = form.value("district")
    year = form.value("year")
    case_studies = case_studies_filtered(
        theme_slug=theme_slug, district=district, year=int(year) if year else None
    )
    page = Paginator(case_studies, CASE_STUDIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "stories": [case_study_display(cs, index) for cs in page.object_list],
        "result_count": page.paginator.count,
        "filtered": bool(theme_slug or district or year),
        "can_write": can_write_case_studies(request.user),
    }
    return render(request, "stories/index.html", context)


@access(ANYONE, Reach.PUBLIC)
def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case_study = case_study_get_visible(request.user, slug)
    story = case_study_display(case_study, FrameworkIndex.current())
    response = render(request, "stories/detail.html", {"story": story, "case_study": case_study})
    if not case_study.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@access(ANYONE, Reach.PUBLIC)
@require_safe
def case_study_image(request: HttpRequest, slug: str) -> FileResponse:
    """The photograph, for whoever may see the case study (never a public media address)."""
    case_study = case_study_get_visible(request.user, slug)
    name = case_study.image.name if case_study.image else ""
    content_type = CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower()) if name else None
    if content_type is None:
        raise Http404("This case study has no photograph.")
    try:
        file = case_study.image.storage.open(name, "rb")
    except FileNotFoundError as error:
        raise Http404("This case study has no photograph.") from error
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = "inline"
    if case_study.is_published:
        response["Cache-Control"] = f"public, max-age={PUBLISHED_IMAGE_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


# --- Authors ---------------------------------------------------------------------------------


@access(STAFF_AND_SUPPLIERS, Reach.ORGANISATION)
@never_cache
def case_study_mine(request: AuthenticatedRequest) -> HttpResponse:
    organisation = case_study_author_organisation(request.user)
    page = Paginator(case_studies_for_organisation(organisation), LIST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "stories/mine.html", {"organisation": organisation, "page": page})


def _initial(case_study: CaseStudy) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(case_study, name)
        for name in (
            "title",
            "district",
            "year",
            "summary",
            "challenge",
            "what_was_done",
            "outcomes",
            "quote",
            "quote_attribution",
            "image_alt",
            "consent_to_publish",
        )
    }
    initial["contract"] = case_study.contract_id
    initial["theme_slugs"] = case_study.theme_slugs
    initial["measure_codes"] = case_study.measure_codes
    for n, figure in enumerate(case_study.figures.all()[:MAX_FIGURES], start=1):
        initial[f"figure_{n}_label"] = figure.label
        initial[f"figure_{n}_value"] = figure.value.normalize()
        initial[f"figure_{n}_unit"] = figure.unit
    return initial


def _edit(request: AuthenticatedRequest, case_study: CaseStudy | None) -> HttpResponse:
    user = request.user
    index = FrameworkIndex.current()
    has_image = bool(case_study and case_study.image)
    form = CaseStudyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=_initial(case_study) if case_study else {},
        contracts=contracts_for_author(user),
        themes=list(index.themes.values()),
        measures=list(index.measures.values()),
        has_image=has_image,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = case_study_save(
                user=user,
                content=form.content(),
                case_study=case_study,
                image=form.prepared_image,
                remove_image=bool(form.cleaned_data.get("remove_image")),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(request, MSG_SAVED)
            return redirect("stories:preview", slug=saved.slug)
    context = {
        "form": form,
        "case_study": case_study,
        "story": case_study_display(case_study, index) if case_study else None,
    }
    return render(request, "stories/edit.html", context)


@access(STAFF_AND_SUPPLIERS, Reach.ORGANISATION)
@never_cache
@require_http_methods(["GET", "POST"])
def case_study_new(request: AuthenticatedRequest) -> HttpResponse:
    case_study_author_organisation(request.user)
    return _edit(request, None)


@access(STAFF_AND_SUPPLIERS, Reach.ORGANISATION)
@never_cache
@require_http_methods(["GET", "POST"])
def case_study_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    case_study = case_study_get_for_author(request.user, slug)
    if not case_study.is_editable:
        messages.info(
            request,
            "This case study cannot be changed while it is "
            f"{case_study.get_status_display().lower()}.",
        )
        return redirect("stories:preview", slug=case_study.slug)
    return _edit(request, case_study)


@access(STAFF_AND_SUPPLIERS, Reach.ORGANISATION)
@never_cache
def case_study_preview(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    case_study = case_study_get_for_author(request.user, slug)
    story = case_study_display(case_study, FrameworkIndex.current())
    return render(request, "stories/preview.html", {"case_study": case_study, "story": story})


@access(STAFF_AND_SUPPLIERS, Reach.ORGANISATION)
@require_POST
def case_study_submit_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    case_study = case_study_get_for_author(request.user, slug)
    try:
        case_study_submit(case_study=case_study, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("stories:preview", slug=case_study.slug)
    messages.success(request, MSG_SUBMITTED)
    return redirect("stories:preview", slug=case_study.slug)


@access(STAFF_AND_SUPPLIERS, Reach.ORGANISATION)
@require_POST
def case_study_withdraw_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    case_study = case_study_get_for_author(request.user, slug)
    try:
        case_study_withdraw(case_study=case_study, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("stories:preview", slug=case_study.slug)
    messages.success(request, MSG_WITHDRAWN)
    return redirect("stories:preview", slug=case_study.slug)


# --- The social value lead -------------------------------------------------------------------


@access(LEADS, Reach.MODERATED)
@never_cache
def case_study_review_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(case_studies_submitted(request.user), LIST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    decided = list(case_studies_decided(request.user)[:RECENT_DECISIONS])
    return render(request, "stories/review_list.html", {"page": page, "decided": decided})


@access(LEADS, Reach.MODERATED)
@never_cache
@require_http_methods(["GET", "POST"])
def case_study_review(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    user = request.user
    case_study = case_study_get_for_review(user, slug)
    data = request.POST if request.method == "POST" else None
    review_form = ReviewForm(data) if case_study.is_submitted else None
    unpublish_form = UnpublishForm(data) if case_study.is_published else None
    if request.method == "POST":
        title = case_study.title
        try:
            if review_form is not None and review_form.is_valid():
                note = review_form.cleaned_data["note"]
                if review_form.cleaned_data["decision"] == ReviewForm.PUBLISH:
                    case_study_publish(case_study=case_study, reviewer=user, note=note)
                    messages.success(request, MSG_PUBLISHED.format(title=title))
                else:
                    case_study_return(case_study=case_study, reviewer=user, note=note)
                    messages.success(request, MSG_RETURNED.format(title=title))
                return redirect("stories:review_list")
            if unpublish_form is not None and unpublish_form.is_valid():
                case_study_unpublish(
                    case_study=case_study, reviewer=user, note=unpublish_form.cleaned_data["note"]
                )
                messages.success(request, MSG_UNPUBLISHED.format(title=title))
                return redirect("stories:review_list")
            if review_form is None and unpublish_form is None:
                messages.error(request, MSG_ALREADY_DECIDED)
                return redirect("stories:review", slug=case_study.slug)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("stories:review", slug=case_study.slug)
    story = case_study_display(case_study, FrameworkIndex.current())
    context = {
        "case_study": case_study,
        "story": story,
        "form": review_form or unpublish_form,
        "review_form": review_form,
        "unpublish_form": unpublish_form,
    }
    return render(request, "stories/review.html", context)
