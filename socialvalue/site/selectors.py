"""Reads for the public pages."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Count, Model, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from simple_history.models import ModelChange

from socialvalue.core.history import HistoryEntry, history_entries
from socialvalue.framework.models import FrameworkVersion, Theme
from socialvalue.framework.selectors import framework_version_current
from socialvalue.site.models import (
    Audience,
    Faq,
    FaqCategory,
    Feedback,
    Page,
    Resource,
    ResourceCategory,
)


@dataclass(frozen=True)
class ThemeSummary:
    name: str
    measure_count: int


@dataclass(frozen=True)
class FrameworkSummary:
    """The framework version in use, as the home page describes it."""

    version: FrameworkVersion
    themes: list[ThemeSummary]

    @property
    def measure_count(self) -> int:
        return sum(theme.measure_count for theme in self.themes)


def framework_summary() -> FrameworkSummary | None:
    """Themes and measure counts of the current framework version; None before one is published."""
    version = framework_version_current()
    if version is None:
        return None
    themes = (
        Theme.objects.filter(version=version)
        .annotate(measure_count=Count("measures"))
        .order_by("order", "name")
    )
    return FrameworkSummary(
        version=version,
        themes=[ThemeSummary(name=t.name, measure_count=t.measure_count) for t in themes],
    )


# --- Resource bank, FAQs and pages (public reads show published content only) -----------------


def resources_published() -> QuerySet[Resource]:
    return Resource.objects.filter(is_published=True)


def resources_search(
    *, query: str = "", category: str = "", audience: str = ""
) -> QuerySet[Resource]:
    """Published resources matching every word of ``query`` (in the title or description),
    in ``category``, for ``audience`` (resources for everyone count for every audience)."""
    resources = resources_published()
    for word in query.split():
        resources = resources.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if category:
        resources = resources.filter(category=category)
    if audience and audience != Audience.EVERYONE:
        resources = resources.filter(audience__in=[audience, Audience.EVERYONE])
    order = Case(
        *(When(category=value, then=Value(i)) for i, value in enumerate(ResourceCategory.values)),
        default=Value(len(ResourceCategory.values)),
    )
    return resources.annotate(category_order=order).order_by("category_order", "title", "pk")


def resource_public_get(slug: str) -> Resource:
    """A published resource, or 404 (drafts are never shown to the public)."""
    return get_object_or_404(resources_published(), slug=slug)


@dataclass(frozen=True)
class FaqGroup:
    category: str
    label: str
    faqs: list[Faq]


def faqs_published_grouped() -> list[FaqGroup]:
    """Published FAQs by category, in the categories' order, then by order and question."""
    faqs = list(Faq.objects.filter(is_published=True).order_by("order", "question"))
    groups = []
    for value, label in FaqCategory.choices:
        in_category = [faq for faq in faqs if faq.category == value]
        if in_category:
            groups.append(FaqGroup(category=value, label=str(label), faqs=in_category))
    return groups


def page_published(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug, is_published=True).first()


# --- The lead's content pages ----------------------------------------------------------------


def content_resources(*, status: str = "") -> QuerySet[Resource]:
    """Every resource, drafts first, newest change first."""
    resources = Resource.objects.all()
    if status == "draft":
        resources = resources.filter(is_published=False)
    elif status == "published":
        resources = resources.filter(is_published=True)
    return resources.order_by("is_published", "-updated_at", "pk")


def content_faqs() -> QuerySet[Faq]:
    return Faq.objects.order_by("category", "order", "question")


def content_pages() -> QuerySet[Page]:
    return Page.objects.order_by("title")


def feedback_inbox(*, status: str = "") -> QuerySet[Feedback]:
    feedback = Feedback.objects.select_related("reviewed_by")
    if status:
        feedback = feedback.filter(status=status)
    return feedback.order_by("-created_at", "-pk")


def feedback_counts() -> dict[str, int]:
    """How many pieces of feedback have each status (every status listed, even at 0)."""
    counts = dict.fromkeys(Feedback.Status.values, 0)
    for row in Feedback.objects.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


# --- History ---------------------------------------------------------------------------------


# Fields changed by every save, or never edited by hand: not worth listing as changes.
_QUIET_FIELDS = [
    "updated_at",
    "created_at",
    "published_at",
    "file_type",
    "file_size",
    "file_name",
    "reviewed_at",
    "reviewed_by",
]


def _field_label(model: type[Model], name: str) -> str:
    try:
        label = str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


def _shown_value(model: type[Model], name: str, value: object) -> str:
    """A changed value as people read it: a choice's label rather than its stored code."""
    try:
        choices = dict(getattr(model._meta.get_field(name), "flatchoices", []) or [])
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value if value is not None else ""))


def _describe(model: type[Model], change: ModelChange) -> str:
    label = _field_label(model, change.field)
    if change.field == "is_published":
        return "Published" if change.new else "Unpublished"
    if change.field == "file":
        return (
            "File replaced"
            if change.old and change.new
            else ("File added" if change.new else "File removed")
        )
    if change.field in {"title", "question", "slug", "category", "audience", "status", "url"}:
        old = _shown_value(model, change.field, change.old)
        new = _shown_value(model, change.field, change.new)
        return f"{label}: “{old}” → “{new}”"
    return f"{label} changed"


def item_history(item: Resource | Faq | Page | Feedback) -> list[HistoryEntry]:
    """Who changed what and when, newest first, with the fields each change touched."""
    model = type(item)
    field_order = {field.name: index for index, field in enumerate(model._meta.fields)}

    def describe(delta: list[ModelChange]) -> list[str]:
        in_form_order = sorted(delta, key=lambda c: field_order.get(c.field, 0))
        changes = [_describe(model, change) for change in in_form_order]
        # "Published" first: it matters most to the reader.
        changes.sort(key=lambda text: text not in {"Published", "Unpublished"})
        return changes

    return history_entries(item, describe=describe, hidden=_QUIET_FIELDS)
