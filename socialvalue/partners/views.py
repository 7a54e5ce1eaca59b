"""The partner directory: public pages, the partner's own profile, and the lead's approvals."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.core.access import (
    ANYONE,
    PARTNERS,
    SERVICE_OWNER_LEADS,
    Reach,
    access,
)
from socialvalue.framework.models import Measure
from socialvalue.framework.selectors import themes_for_version
from socialvalue.partners.forms import (
    PartnerCreateForm,
    PartnerFilterForm,
    PartnerProfileForm,
    ReviewForm,
)
from socialvalue.partners.selectors import (
    MeasureIndex,
    partner_content_initial,
    partner_display,
    partner_organisation_for_user,
    partner_profile_for_organisation,
    partner_profile_public_get,
    partner_profiles_filtered,
    partner_revision_diff,
    partner_revision_get_for_review,
    partner_revision_get_for_user,
    partner_revision_latest,
    partner_revision_open,
    partner_revisions_decided,
    partner_revisions_submitted,
)
from socialvalue.partners.services import (
    partner_create,
    partner_profile_ensure,
    partner_revision_approve,
    partner_revision_reject,
    partner_revision_save,
    partner_revision_submit,
    partner_revision_withdraw,
)

PARTNERS_PER_PAGE = 20
REVISIONS_PER_PAGE = 20
RECENT_DECISIONS = 10

MSG_DRAFT_SAVED = "Your changes are saved as a draft. Check them, then send them for approval."
MSG_SUBMITTED = "Your changes have been sent to the social value lead for approval."
MSG_WITHDRAWN = "Your changes are back in draft. You can change them and send them again."
MSG_APPROVED = "The changes to {name}'s profile are approved and published."
MSG_REJECTED = "The changes to {name}'s profile were not approved. The partner will see your note."
MSG_CREATED = "{name} has been added to the partner directory."


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Public ----------------------------------------------------------------------------------


@access(ANYONE)
def partner_index(request: HttpRequest) -> HttpResponse:
    index = MeasureIndex.current()
    version = index.version
    measures = list(index.by_code.values())
    themes = list(themes_for_version(version)) if version is not None else []
    form = PartnerFilterForm(request.GET or None, measures=measures, themes=themes)
    measure = form.value("measure")
    theme_slug = form.value("theme")
    district = form.value("district")
    profiles = partner_profiles_filtered(
        measure=measure, theme_slug=theme_slug, district=district, version=version
    )
    page = Paginator(profiles, PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "partners": [partner_display(profile, index) for profile in page.object_list],
        "result_count": page.paginator.count,
        "filtered": bool(measure or theme_slug or district),
        "version": version,
    }
    return render(request, "partners/index.html", context)


@access(ANYONE, Reach.PUBLIC)
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = partner_profile_public_get(slug)
    partner = partner_display(profile, MeasureIndex.current())
    return render(request, "partners/detail.html", {"partner": partner})


# --- A partner's own profile -----------------------------------------------------------------


def _current_measures(index: MeasureIndex) -> list[Measure]:
    return list(index.by_code.values())


@access(PARTNERS, Reach.ORGANISATION)
@never_cache
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = partner_organisation_for_user(user)
    profile = partner_profile_for_organisation(organisation)
    open_revision = partner_revision_open(profile) if profile else None
    latest = partner_revision_latest(profile) if profile else None
    index = MeasureIndex.current()
    context: dict[str, Any] = {
        "organisation": organisation,
        "profile": profile,
        "open_revision": open_revision,
        "latest": latest,
    }
    if open_revision is not None and open_revision.is_submitted:
        return render(request, "partners/profile_waiting.html", context)

    # Start from the draft in progress, or from changes that were turned down so that they
    # can be put right, or else from what is published.
    start_from = open_revision
    if start_from is None and latest is not None and latest.status == latest.Status.REJECTED:
        start_from = latest
    initial = partner_content_initial(profile, start_from) if profile else {}
    form = PartnerProfileForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        measures=_current_measures(index),
    )
    if request.method == "POST" and form.is_valid():
        try:
            revision = partner_revision_save(
                profile=profile or partner_profile_ensure(organisation=organisation),
                user=user,
                content=form.content(),
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, MSG_DRAFT_SAVED)
            return redirect("partners:revision_preview", pk=revision.pk)
    context["form"] = form
    return render(request, "partners/profile_edit.html", context)


@access(PARTNERS, Reach.ORGANISATION)
@never_cache
def revision_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    revision = partner_revision_get_for_user(request.user, pk)
    partner = partner_display(revision, MeasureIndex.current())
    return render(
        request, "partners/revision_preview.html", {"revision": revision, "partner": partner}
    )


@access(PARTNERS, Reach.ORGANISATION)
@require_POST
def revision_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    revision = partner_revision_get_for_user(user, pk)
    try:
        partner_revision_submit(revision=revision, user=user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("partners:revision_preview", pk=revision.pk)
    messages.success(request, MSG_SUBMITTED)
    return redirect("partners:profile_edit")


@access(PARTNERS, Reach.ORGANISATION)
@require_POST
def revision_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    revision = partner_revision_get_for_user(user, pk)
    try:
        partner_revision_withdraw(revision=revision, user=user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("partners:revision_preview", pk=revision.pk)
    messages.success(request, MSG_WITHDRAWN)
    return redirect("partners:profile_edit")


# --- The social value lead -------------------------------------------------------------------


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
def approvals(request: HttpRequest) -> HttpResponse:
    page = Paginator(partner_revisions_submitted(), REVISIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    decided = list(partner_revisions_decided()[:RECENT_DECISIONS])
    return render(request, "partners/approvals.html", {"page": page, "decided": decided})


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    revision = partner_revision_get_for_review(user, pk)
    index = MeasureIndex.current()
    form = (
        ReviewForm(request.POST if request.method == "POST" else None)
        if revision.is_submitted
        else None
    )
    if request.method == "POST":
        if form is None:
            messages.error(request, "These changes have already been decided.")
            return redirect("partners:review", pk=revision.pk)
        if form.is_valid():
            name = revision.profile.organisation.name
            try:
                if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                    partner_revision_approve(
                        revision=revision, reviewer=user, note=form.cleaned_data["note"]
                    )
                    messages.success(request, MSG_APPROVED.format(name=name))
                else:
                    partner_revision_reject(
                        revision=revision, reviewer=user, note=form.cleaned_data["note"]
                    )
                    messages.success(request, MSG_REJECTED.format(name=name))
            except ValidationError as error:
                messages.error(request, _error_text(error))
                return redirect("partners:review", pk=revision.pk)
            return redirect("partners:approvals")
    rows = partner_revision_diff(revision, index)
    context = {
        "revision": revision,
        "form": form,
        "changed_rows": [row for row in rows if row.changed],
        "unchanged_rows": [row for row in rows if not row.changed],
        "partner": partner_display(revision, index),
        "first_publication": revision.is_submitted and not revision.profile.is_published,
    }
    return render(request, "partners/review.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def partner_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = PartnerCreateForm(
        request.POST if request.method == "POST" else None,
        measures=_current_measures(MeasureIndex.current()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = partner_create(
                name=form.cleaned_data["name"],
                created_by=user,
                content=form.content(),
                is_vcse=form.cleaned_data["partner_type"] == "vcse",
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(request, MSG_CREATED.format(name=profile.organisation.name))
            return redirect("partners:detail", slug=profile.slug)
    return render(request, "partners/partner_new.html", {"form": form})
