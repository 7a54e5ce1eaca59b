"""Admin for local needs: platform administrators may correct measure ↔ need links (the lead
edits them on the local-needs pages); the areas and their figures are reference data loaded
by ``socialvalue load_needs`` and shown read-only."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.core.admin_site import PlatformAdminModelAdmin
from socialvalue.framework.models import Measure
from socialvalue.needs.models import Area, MeasureNeedLink
from socialvalue.needs.services import ERR_UNKNOWN_MEASURE


class MeasureNeedLinkAdminForm(forms.ModelForm):
    class Meta:
        model = MeasureNeedLink
        fields = ["measure_code", "domain", "note"]

    def clean_measure_code(self) -> str:
        code = str(self.cleaned_data.get("measure_code") or "").strip()
        if not Measure.objects.filter(code=code).exists():
            raise forms.ValidationError(ERR_UNKNOWN_MEASURE.format(code=code))
        return code


@admin.register(MeasureNeedLink)
class MeasureNeedLinkAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    form = MeasureNeedLinkAdminForm
    list_display = ["measure_code", "domain", "note", "updated_at"]
    list_filter = ["domain"]
    search_fields = ["measure_code", "note"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and getattr(request.user, "is_authenticated", False):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Area)
class AreaAdmin(PlatformAdminModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    exclude = ["geometry"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("geometry", "parent__geometry")

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
