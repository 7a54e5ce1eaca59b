"""Admin for the partner directory.

A platform administrator can correct a published profile directly (its measures and
districts inline) or take it down by setting it back to "Not published". Revisions are the record of
what partners proposed and what was decided, so they are read-only here: decisions are made
on the Partner approvals page, where the changes are compared with the published profile.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Field, URLField
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.core.admin_site import PlatformAdminInlineMixin, PlatformAdminModelAdmin
from socialvalue.partners.models import (
    PartnerDistrict,
    PartnerMeasure,
    PartnerProfile,
    PartnerProfileRevision,
)


class HttpsWebsiteMixin(admin.ModelAdmin):
    """Website addresses typed without a scheme are taken to be https."""

    def formfield_for_dbfield(
        self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> Any:
        if isinstance(db_field, URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PartnerMeasureInline(PlatformAdminInlineMixin, admin.TabularInline):
    model = PartnerMeasure
    extra = 1
    fields = ("code", "order")


class PartnerDistrictInline(PlatformAdminInlineMixin, admin.TabularInline):
    model = PartnerDistrict
    extra = 1
    fields = ("district",)


@admin.register(PartnerProfile)
class PartnerProfileAdmin(HttpsWebsiteMixin, SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("organisation", "partner_type", "status", "published_at")
    list_filter = ("status", "partner_type", "serves_all_lancashire")
    search_fields = ("organisation__name", "summary", "measure_links__code")
    readonly_fields = ("published_at", "created_at", "updated_at")
    autocomplete_fields = ("organisation",)
    inlines = (PartnerMeasureInline, PartnerDistrictInline)
    fieldsets = (
        (None, {"fields": ("organisation", "slug", "status", "published_at")}),
        (
            "Profile",
            {
                "fields": (
                    "partner_type",
                    "summary",
                    "description",
                    "serves_all_lancashire",
                    "example_offers",
                )
            },
        ),
        ("Contact", {"fields": ("contact_name", "contact_email", "contact_phone", "website")}),
        ("Record", {"fields": ("created_at", "updated_at")}),
    )


@admin.register(PartnerProfileRevision)
class PartnerProfileRevisionAdmin(HttpsWebsiteMixin, SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("profile", "status", "submitted_at", "reviewed_by", "reviewed_at")
    list_filter = ("status",)
    search_fields = ("profile__organisation__name",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
