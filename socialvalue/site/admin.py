"""Admin for the website's content and feedback.

Day-to-day editing happens on the lead's "Website content" pages, which preview Markdown and
check uploaded files. Here a platform administrator can correct or remove an item; files
are read-only, so every stored file has passed the checks of the content pages.
"""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.core.admin_site import PlatformAdminModelAdmin
from socialvalue.site.models import Faq, Feedback, Page, Resource


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("title", "category", "audience", "is_published", "published_at")
    list_filter = ("is_published", "category", "audience")
    search_fields = ("title", "description")
    readonly_fields = ("file", "file_type", "file_size", "file_name", "created_at", "updated_at")
    fields = (
        "title",
        "slug",
        "category",
        "audience",
        "description",
        "url",
        "file",
        "file_type",
        "file_size",
        "file_name",
        "is_published",
        "published_at",
        "created_at",
        "updated_at",
    )


@admin.register(Faq)
class FaqAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("question", "category", "order", "is_published")
    list_filter = ("is_published", "category")
    search_fields = ("question", "answer")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("title", "slug", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("title", "body")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("created_at", "name", "role", "status", "reviewed_by")
    list_filter = ("status", "role")
    search_fields = ("name", "organisation", "went_well", "could_be_better", "suggestion")
    readonly_fields = (
        "name",
        "email",
        "organisation",
        "role",
        "went_well",
        "could_be_better",
        "suggestion",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # feedback comes from the public form only
