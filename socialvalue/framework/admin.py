"""Admin for the framework. A version that has left draft, and everything in it, is shown
read-only; the lifecycle (publish, retire) only moves through the services."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.core.admin_site import PlatformAdminModelAdmin
from socialvalue.framework.forms import MeasureAdminForm, OutcomeAdminForm, ThemeAdminForm
from socialvalue.framework.models import (
    Framework,
    FrameworkLocked,
    FrameworkVersion,
    Measure,
    Outcome,
    Theme,
)
from socialvalue.framework.services import framework_version_publish, framework_version_retire

MSG_PUBLISHED = "Published {slug}."
MSG_RETIRED = "Retired {slug}."
MSG_NOT_DELETED = "Nothing was deleted: {error}"


def _is_locked(version: FrameworkVersion | None) -> bool:
    return version is not None and not version.is_draft


@admin.register(Framework)
class FrameworkAdmin(PlatformAdminModelAdmin):
    list_display = ["name", "slug", "version_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Framework]:
        return super().get_queryset(request).annotate(version_count=Count("versions"))

    @admin.display(description="Versions", ordering="version_count")
    def version_count(self, obj: Framework) -> int:
        return getattr(obj, "version_count", 0)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # A framework with versions is reference data in use (the foreign key protects it).
        if isinstance(obj, Framework) and obj.versions.exists():
            return False
        return super().has_delete_permission(request, obj)


class LockedContentAdmin(PlatformAdminModelAdmin):
    """Themes, outcomes and measures: read-only once their version has left draft."""

    list_select_related = ["version"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if isinstance(obj, Theme | Outcome | Measure) and _is_locked(obj.version):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if isinstance(obj, Theme | Outcome | Measure) and _is_locked(obj.version):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        try:
            super().delete_queryset(request, queryset)
        except FrameworkLocked as exc:
            self.message_user(
                request, MSG_NOT_DELETED.format(error=" ".join(exc.messages)), messages.ERROR
            )


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ["name", "slug", "framework", "status", "published_at", "retired_at", "measures"]
    list_filter = ["status", "framework"]
    search_fields = ["name", "slug", "label"]
    readonly_fields = ["status", "published_at", "retired_at", "created_at", "updated_at"]
    fields = [
        "framework",
        "slug",
        "name",
        "label",
        "previous",
        "source",
        "licence",
        "attribution",
        "notes",
        "status",
        "published_at",
        "retired_at",
        "created_at",
        "updated_at",
    ]
    actions = ["publish_selected", "retire_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FrameworkVersion]:
        return (
            super()
            .get_queryset(request)
            .select_related("framework")
            .annotate(measure_count=Count("measures"))
        )

    @admin.display(description="Measures", ordering="measure_count")
    def measures(self, obj: FrameworkVersion) -> int:
        return getattr(obj, "measure_count", 0)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if isinstance(obj, FrameworkVersion) and _is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if isinstance(obj, FrameworkVersion) and _is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        locked = queryset.exclude(status=FrameworkVersion.Status.DRAFT).first()
        if locked is not None:
            self.message_user(
                request,
                MSG_NOT_DELETED.format(error=" ".join(locked.locked_error().messages)),
                messages.ERROR,
            )
            return
        super().delete_queryset(request, queryset)

    @admin.action(description="Publish selected draft versions")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]) -> None:
        for version in queryset.order_by("created_at"):
            try:
                framework_version_publish(version=version)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, MSG_PUBLISHED.format(slug=version.slug))

    @admin.action(description="Retire selected published versions")
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]) -> None:
        for version in queryset.order_by("created_at"):
            try:
                framework_version_retire(version=version)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, MSG_RETIRED.format(slug=version.slug))


@admin.register(Theme)
class ThemeAdmin(LockedContentAdmin):
    form = ThemeAdminForm
    list_display = ["name", "slug", "version", "order"]
    list_filter = ["version"]
    search_fields = ["name", "slug"]


@admin.register(Outcome)
class OutcomeAdmin(LockedContentAdmin):
    form = OutcomeAdminForm
    list_display = ["name", "theme", "version", "order"]
    list_filter = ["version"]
    list_select_related = ["version", "theme"]
    search_fields = ["name"]


@admin.register(Measure)
class MeasureAdmin(LockedContentAdmin):
    form = MeasureAdminForm
    list_display = ["code", "short_description", "unit", "proxy_value", "value_type", "version"]
    list_filter = ["version", "value_type", "theme__name"]
    list_select_related = ["version", "theme"]
    search_fields = ["code", "description", "unit"]
    ordering = ["version", "order"]

    @admin.display(description="Description")
    def short_description(self, obj: Measure) -> str:
        text = obj.description
        return text if len(text) <= 80 else f"{text[:79]}…"
