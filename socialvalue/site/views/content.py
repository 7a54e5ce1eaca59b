"""The social value lead's pages for the website's content and the feedback inbox.

Only the lead may use them: anyone else signed in gets 403, and visitors who are not signed
in are sent to sign in. Every edit form has a Preview button that shows the Markdown as the
public will see it, without saving anything; saving keeps the item's publication state, and
publishing is a separate step.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import User
from socialvalue.core.access import SERVICE_OWNER_LEADS, Reach, access
from socialvalue.site.forms import FaqForm, FeedbackReviewForm, PageForm, ResourceForm
from socialvalue.site.models import Audience, Faq, Feedback, Page, Resource
from socialvalue.site.selectors import (
    content_faqs,
    content_pages,
    content_resources,
    feedback_counts,
    item_history,
)
from socialvalue.site.selectors import (
    feedback_inbox as feedback_inbox_list,
)
from socialvalue.site.services import (
    POLICY_SLUG,
    content_publish,
    content_unpublish,
    faq_create,
    faq_update,
    page_policy_create,
    page_update,
    resource_create,
    resource_update,
)
from socialvalue.site.services import (
    feedback_review as feedback_review_save,
)
from socialvalue.site.views.public import file_response

LEAD = User.Role.LEAD
RESOURCES_PER_PAGE = 25
HISTORY_PER_PAGE = 20
FEEDBACK_PER_PAGE = 20

MSG_CREATED = "“{title}” has been saved as a draft. Preview it, then publish it when it is ready."
MSG_SAVED_DRAFT = "Your changes to “{title}” have been saved. It is still a draft."
MSG_SAVED_LIVE = "Your changes to “{title}” have been saved and are on the website now."
MSG_PUBLISHED = "“{title}” has been published."
MSG_UNPUBLISHED = "“{title}” has been taken off the website. It is kept as a draft."
MSG_REVIEWED = "The feedback has been marked as {status}."
MSG_POLICY_EXISTS = "There is already a policy page: edit it here."
MSG_POLICY_CREATED = "The policy page has been created as a draft from the standard text."
MSG_FILE_NOT_KEPT = "A preview does not keep the file you chose. Choose it again before you save."

# The kinds of content the lead edits, as they appear in URLs.
KINDS: dict[str, type[Resource] | type[Faq] | type[Page]] = {
    "resources": Resource,
    "faqs": Faq,
    "pages": Page,
}
EDIT_URLS = {
    "resources": "site:content_resource_edit",
    "faqs": "site:content_faq_edit",
    "pages": "site:content_page_edit",
}
STATUS_FILTERS = {"draft": "Drafts", "published": "Published"}


def _title(item: Model) -> str:
    return str(getattr(item, "title", None) or getattr(item, "question", "") or item)


def _public_url(kind: str, item: Any) -> str:
    if not item.is_published:
        return ""
    if kind == "resources":
        return reverse("site:resource_detail", args=[item.slug])
    if kind == "faqs":
        return reverse("site:faqs") + f"#{item.slug}"
    if item.slug == POLICY_SLUG:
        return reverse("site:policy")
    return ""


def _add_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _item_context(kind: str, item: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "item": item,
        "public_url": _public_url(kind, item) if item is not None else "",
    }


def _saved(request: HttpRequest, item: Any, *, created: bool) -> None:
    title = _title(item)
    if created:
        messages.success(request, MSG_CREATED.format(title=title))
    elif item.is_published:
        messages.success(request, MSG_SAVED_LIVE.format(title=title))
    else:
        messages.success(request, MSG_SAVED_DRAFT.format(title=title))


def _is_preview(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("action") == "preview"


# --- Overview --------------------------------------------------------------------------------


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_GET
def content_index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    page = Paginator(content_resources(status=status), RESOURCES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "status_label": STATUS_FILTERS.get(status, ""),
        "status_filters": STATUS_FILTERS,
        "faqs": content_faqs(),
        "pages": content_pages(),
        "has_policy_page": Page.objects.filter(slug=POLICY_SLUG).exists(),
        "feedback_counts": feedback_counts(),
    }
    return render(request, "site/content/index.html", context)


# --- Resources -------------------------------------------------------------------------------


def _resource_initial(resource: Resource | None) -> dict[str, Any]:
    if resource is None:
        return {"audience": Audience.EVERYONE}
    return {
        "title": resource.title,
        "slug": resource.slug,
        "category": resource.category,
        "audience": resource.audience,
        "description": resource.description,
        "url": resource.url,
    }


def _resource_form(request: AuthenticatedRequest, resource: Resource | None) -> HttpResponse:
    user = request.user
    posted = request.method == "POST"
    form = ResourceForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=_resource_initial(resource),
        current_file=resource.file_name if resource is not None and resource.file else "",
    )
    preview = None
    if _is_preview(request):
        preview = {
            "title": request.POST.get("title", ""),
            "text": request.POST.get("description", ""),
        }
        if request.FILES.get("file"):
            messages.info(request, MSG_FILE_NOT_KEPT)
    elif posted and form.is_valid():
        upload = form.cleaned_data.get("file") or None
        try:
            if resource is None:
                saved = resource_create(user=user, upload=upload, **form.fields_for_save())
            else:
                saved = resource_update(
                    resource=resource, user=user, upload=upload, **form.fields_for_save()
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _saved(request, saved, created=resource is None)
            return redirect("site:content_resource_edit", pk=saved.pk)
    context = {**_item_context("resources", resource), "form": form, "preview": preview}
    return render(request, "site/content/resource_form.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def resource_new(request: AuthenticatedRequest) -> HttpResponse:
    return _resource_form(request, None)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _resource_form(request, get_object_or_404(Resource, pk=pk))


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@require_GET
def resource_file(request: HttpRequest, pk: int) -> FileResponse:
    """The lead can open a draft resource's file to check it before publishing."""
    response = file_response(get_object_or_404(Resource, pk=pk))
    response["Cache-Control"] = "private, no-store"
    return response


# --- FAQs ------------------------------------------------------------------------------------


def _faq_initial(faq: Faq | None) -> dict[str, Any]:
    if faq is None:
        return {"order": 10}
    return {
        "question": faq.question,
        "slug": faq.slug,
        "category": faq.category,
        "order": faq.order,
        "answer": faq.answer,
    }


def _faq_form(request: AuthenticatedRequest, faq: Faq | None) -> HttpResponse:
    user = request.user
    form = FaqForm(request.POST if request.method == "POST" else None, initial=_faq_initial(faq))
    preview = None
    if _is_preview(request):
        preview = {
            "title": request.POST.get("question", ""),
            "text": request.POST.get("answer", ""),
        }
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "question": data["question"].strip(),
            "category": data["category"],
            "order": data["order"],
            "answer": data["answer"],
        }
        try:
            if faq is None:
                saved = faq_create(user=user, slug=data["slug"], **fields)
            else:
                saved = faq_update(faq=faq, user=user, slug=data["slug"], **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _saved(request, saved, created=faq is None)
            return redirect("site:content_faq_edit", pk=saved.pk)
    context = {**_item_context("faqs", faq), "form": form, "preview": preview}
    return render(request, "site/content/faq_form.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def faq_new(request: AuthenticatedRequest) -> HttpResponse:
    return _faq_form(request, None)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def faq_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _faq_form(request, get_object_or_404(Faq, pk=pk))


# --- Pages -----------------------------------------------------------------------------------


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def page_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    page = get_object_or_404(Page, pk=pk)
    form = PageForm(
        request.POST if request.method == "POST" else None,
        initial={"title": page.title, "summary": page.summary, "body": page.body},
    )
    preview = None
    if _is_preview(request):
        preview = {
            "title": request.POST.get("title", ""),
            "summary": request.POST.get("summary", ""),
            "text": request.POST.get("body", ""),
        }
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page_update(
                page=page,
                user=user,
                title=data["title"].strip(),
                summary=data["summary"].strip(),
                body=data["body"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _saved(request, page, created=False)
            return redirect("site:content_page_edit", pk=page.pk)
    context = {**_item_context("pages", page), "form": form, "preview": preview}
    return render(request, "site/content/page_form.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@require_POST
def policy_page_create(request: AuthenticatedRequest) -> HttpResponse:
    existing = Page.objects.filter(slug=POLICY_SLUG).first()
    if existing is not None:
        messages.info(request, MSG_POLICY_EXISTS)
        return redirect("site:content_page_edit", pk=existing.pk)
    page = page_policy_create(user=request.user, publish=False)
    messages.success(request, MSG_POLICY_CREATED)
    return redirect("site:content_page_edit", pk=page.pk)


# --- Publishing and history, for every kind --------------------------------------------------


def _get_item(kind: str, pk: int) -> Any:
    model = KINDS.get(kind)
    if model is None:
        raise Http404("No such kind of content.")
    return get_object_or_404(model, pk=pk)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@require_POST
def publish(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    user = request.user
    item = _get_item(kind, pk)
    try:
        if request.POST.get("action") == "unpublish":
            content_unpublish(item=item, user=user)
            messages.success(request, MSG_UNPUBLISHED.format(title=_title(item)))
        else:
            content_publish(item=item, user=user)
            messages.success(request, MSG_PUBLISHED.format(title=_title(item)))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(EDIT_URLS[kind], pk=item.pk)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_GET
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _get_item(kind, pk)
    entries = Paginator(item_history(item), HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **_item_context(kind, item),
        "title": _title(item),
        "edit_url": reverse(EDIT_URLS[kind], args=[item.pk]),
        "entries": entries,
    }
    return render(request, "site/content/history.html", context)


# --- Lessons-learned feedback ----------------------------------------------------------------


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_GET
def feedback_inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Feedback.Status.values:
        status = ""
    page = Paginator(feedback_inbox_list(status=status), FEEDBACK_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = feedback_counts()
    context = {
        "page": page,
        "status": status,
        "status_rows": [(value, label, counts[value]) for value, label in Feedback.Status.choices],
    }
    return render(request, "site/content/feedback_inbox.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    item = get_object_or_404(Feedback.objects.select_related("reviewed_by"), pk=pk)
    initial = {"notes": item.notes}
    if item.status != Feedback.Status.NEW:
        initial["status"] = item.status
    form = FeedbackReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_review_save(
                feedback=item,
                reviewer=user,
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            label = item.get_status_display().lower()
            messages.success(request, MSG_REVIEWED.format(status=label))
            return redirect("site:feedback_inbox")
    return render(
        request,
        "site/content/feedback_review.html",
        {"item": item, "form": form, "history": item_history(item)},
    )
