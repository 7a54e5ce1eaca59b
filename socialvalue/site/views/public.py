"""The resource bank, the FAQs and the policy page. Only published content is ever shown."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socialvalue.core.access import ANYONE, Reach, access
from socialvalue.site.files import CONTENT_TYPES
from socialvalue.site.forms import ResourceSearchForm
from socialvalue.site.models import Resource, ResourceCategory
from socialvalue.site.selectors import (
    faqs_published_grouped,
    page_published,
    resource_public_get,
    resources_published,
    resources_search,
)
from socialvalue.site.services import POLICY_SLUG
from socialvalue.site.views.homepage import policy_figures

RESOURCES_PER_PAGE = 20


@access(ANYONE)
@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    form = ResourceSearchForm(request.GET or None)
    query, category, audience = form.value("q"), form.value("category"), form.value("audience")
    results = resources_search(query=query, category=category, audience=audience)
    page = Paginator(results, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(resources_published().values_list("category").annotate(n=Count("pk")).order_by())
    context = {
        "form": form,
        "page": page,
        "result_count": page.paginator.count,
        "filtered": bool(query or category or audience),
        "query": query,
        "category_label": dict(ResourceCategory.choices).get(category, ""),
        "categories": [
            (value, label, counts.get(value, 0))
            for value, label in ResourceCategory.choices
            if counts.get(value)
        ],
    }
    return render(request, "site/resources.html", context)


@access(ANYONE, Reach.PUBLIC)
@require_GET
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = resource_public_get(slug)
    return render(request, "site/resource_detail.html", {"resource": resource})


def file_response(resource: Resource) -> FileResponse:
    """The resource's file as a download, named as it was uploaded."""
    if not resource.file:
        raise Http404("This resource is a link, not a file.")
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    filename = resource.file_name or f"{resource.slug}.{resource.file_type}"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(resource.file_type, "application/octet-stream"),
    )


@access(ANYONE, Reach.PUBLIC)
@require_GET
def resource_download(request: HttpRequest, slug: str) -> FileResponse:
    return file_response(resource_public_get(slug))


@access(ANYONE)
@require_GET
def faqs(request: HttpRequest) -> HttpResponse:
    return render(request, "site/faqs.html", {"groups": faqs_published_grouped()})


@access(ANYONE)
@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    threshold, minimum_weighting = policy_figures()
    context = {
        "page": page_published(POLICY_SLUG),
        "threshold": threshold,
        "minimum_weighting": minimum_weighting,
    }
    return render(request, "site/policy.html", context)
