"""Case studies in the admin: a read-only record with its history.

Publishing, returning and unpublishing happen on the case study review pages, where the
lead reads the whole case study and leaves a note for its author; changing the text is the
author's job. A platform administrator may delete a case study here, for instance when
someone named in it withdraws their consent: its photograph is deleted with it.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.core.admin_site import PlatformAdminInlineMixin, PlatformAdminModelAdmin
from socialvalue.stories.models import CaseStudy, CaseStudyFigure, CaseStudyMeasure, CaseStudyTheme


class ReadOnlyInlineMixin(PlatformAdminInlineMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseStudyThemeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CaseStudyTheme
    fields = ("slug",)


class CaseStudyMeasureInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CaseStudyMeasure
    fields = ("code",)


class CaseStudyFigureInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CaseStudyFigure
    fields = ("label", "value", "unit")


@admin.register(CaseStudy)
class CaseStudyAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    list_display = ("title", "organisation", "status", "district", "year", "published_at")
    list_filter = ("status", "district", "year")
    search_fields = ("title", "organisation__name", "summary")
    date_hierarchy = "published_at"
    inlines = (CaseStudyThemeInline, CaseStudyMeasureInline, CaseStudyFigureInline)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
