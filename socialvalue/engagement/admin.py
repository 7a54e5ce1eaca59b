"""Admin for events, registrations and the message board.

Day-to-day editing happens on the lead's own pages (/events/manage/), which keep the
Markdown preview and go through the services. The admin is for platform administrators
putting things right: correcting a detail, or looking up a registration. Registrations are
changed only by their attendee's link or the services (places and the waiting list must stay
consistent), so here they are read-only.
"""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.core.admin_site import PlatformAdminModelAdmin
from socialvalue.engagement.models import Event, Post, Registration


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("title", "kind", "starts_at", "status", "capacity", "is_online")
    list_filter = ("status", "kind", "is_online")
    search_fields = ("title", "summary", "venue_name", "postcode")
    # Publishing and cancelling go through the lead's events pages, which email attendees.
    readonly_fields = ("slug", "status", "published_at", "created_by", "created_at", "updated_at")
    date_hierarchy = "starts_at"
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "status", "organiser")}),
        ("Description", {"fields": ("summary", "description")}),
        ("When", {"fields": ("starts_at", "ends_at")}),
        (
            "Where",
            {"fields": ("is_online", "venue_name", "address", "postcode", "joining_instructions")},
        ),
        (
            "Registration",
            {"fields": ("capacity", "registration_opens_at", "registration_closes_at")},
        ),
        ("Record", {"fields": ("published_at", "created_by", "created_at", "updated_at")}),
    )


@admin.register(Registration)
class RegistrationAdmin(PlatformAdminModelAdmin):
    list_display = ("name", "email", "event", "status", "position", "created_at")
    list_filter = ("status", "event")
    search_fields = ("name", "email", "organisation_name", "event__title")
    exclude = ("token",)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("title", "kind", "status", "published_at", "author")
    list_filter = ("status", "kind")
    search_fields = ("title", "summary", "body")
    readonly_fields = ("slug", "author", "created_at", "updated_at")
