"""Admin for contracts, reporting periods, returns, their lines, evidence and reminders.

The admin is for looking records up. Contracts, returns and lines change only through the
contract and return pages and their services (which check the rules and keep the history),
so everything here is read-only except the reporting settings. Only platform administrators
use the admin (``core/admin_site.py``), and they see every organisation's records. Anyone
else would see only what the platform's own access rules let them see (``selectors.py``):
should a page here ever be opened to someone else, it still could not show them another
organisation's contracts, returns, lines or evidence.

Evidence files are never linked to their storage: the only link goes through the evidence
download page, which checks access again.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.accounts.models import User
from socialvalue.contracts.evidence import human_size
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    ImportBatch,
    LineEvent,
    ReminderSent,
    ReportingPeriod,
    ReportingSettings,
    Return,
    ReturnLine,
    Target,
)
from socialvalue.contracts.periods import due_dates_refresh
from socialvalue.contracts.selectors import (
    contracts_visible_to,
    evidence_visible_to,
    lines_visible_to,
    returns_visible_to,
)
from socialvalue.core.admin_site import PlatformAdminModelAdmin, ReadOnlyMixin, is_platform_admin

MSG_DUE_DATES_MOVED = "Moved the due date of {count} quarter(s) whose due date has not passed."


def _user(request: HttpRequest) -> User:
    """The signed-in user (the admin site lets nobody else in)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


class VisibleAdmin(ReadOnlyMixin, PlatformAdminModelAdmin):
    """Read-only records: all of them for platform administrators, and for anyone else only
    what the platform's access rules let them see."""

    def visible(self, user: User) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        user = _user(request)
        if is_platform_admin(user):
            return queryset
        return queryset.filter(pk__in=self.visible(user).values("pk"))


class VisibleHistoryAdmin(VisibleAdmin, SimpleHistoryAdmin):
    """As ``VisibleAdmin``, with the record's history (and no reverting from it)."""

    def _check_visible(self, request: HttpRequest, object_id: str) -> None:
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404("No such record.")

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied
        self._check_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(ReadOnlyMixin):
    """Shown inside a page that has checked access itself."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return True


# --- Contracts ---------------------------------------------------------------------------------


class TargetInline(ReadOnlyInline, admin.TabularInline):
    model = Target
    fields = ("measure", "quantity", "value")
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(VisibleHistoryAdmin):
    list_display = (
        "reference",
        "title",
        "organisation",
        "supplier",
        "lever",
        "status",
        "value",
        "start_date",
        "end_date",
    )
    list_filter = ("lever", "status", "directorate")
    list_select_related = ("organisation", "supplier")
    search_fields = ("reference", "title", "supplier__name")
    date_hierarchy = "start_date"
    inlines = [TargetInline]

    def visible(self, user: User) -> QuerySet[Any]:
        return contracts_visible_to(user)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyMixin, PlatformAdminModelAdmin):
    """Quarters are made as they are needed; due dates move with the reporting settings."""

    list_display = ("label", "start_date", "end_date", "due_date")
    list_filter = ("year", "number")
    ordering = ("-start_date",)


# --- Returns and their lines ------------------------------------------------------------------


class ReturnLineInline(ReadOnlyInline, admin.TabularInline):
    model = ReturnLine
    fields = ("contract", "measure", "quantity", "district", "status", "narrative")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request).select_related("contract", "measure")
        user = _user(request)
        if is_platform_admin(user):
            return queryset
        return queryset.filter(pk__in=lines_visible_to(user).values("pk"))


class ReminderSentInline(ReadOnlyInline, admin.TabularInline):
    model = ReminderSent
    fields = ("stage", "sent_at", "recipients")
    readonly_fields = fields


@admin.register(Return)
class ReturnAdmin(VisibleHistoryAdmin):
    list_display = ("supplier", "period", "status", "is_nil", "submitted_at", "on_time")
    list_filter = ("status", "is_nil", "period")
    list_select_related = ("supplier", "period")
    search_fields = ("supplier__name",)
    inlines = [ReturnLineInline, ReminderSentInline]

    def visible(self, user: User) -> QuerySet[Any]:
        return returns_visible_to(user)

    @admin.display(description="On time", boolean=True)
    def on_time(self, obj: Return) -> bool | None:
        return obj.submitted_on_time


class LineEventInline(ReadOnlyInline, admin.TabularInline):
    model = LineEvent
    fields = ("at", "action", "from_status", "to_status", "by", "message")
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline, admin.TabularInline):
    model = Evidence
    fields = ("original_name", "content_type", "file_size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    show_change_link = True

    @admin.display(description="Size")
    def file_size(self, obj: Evidence) -> str:
        return human_size(obj.size)


@admin.register(ReturnLine)
class ReturnLineAdmin(VisibleAdmin):
    list_display = (
        "contract",
        "measure",
        "quantity",
        "district",
        "status",
        "supplier",
        "period",
    )
    list_filter = ("status", "district", "return_record__period", "contract__lever")
    list_select_related = (
        "contract",
        "measure",
        "return_record__supplier",
        "return_record__period",
    )
    search_fields = ("contract__reference", "return_record__supplier__name", "narrative")
    fields = (
        "return_record",
        "contract",
        "measure",
        "quantity",
        "district",
        "narrative",
        "status",
        "import_batch",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [EvidenceInline, LineEventInline]

    def visible(self, user: User) -> QuerySet[Any]:
        return lines_visible_to(user)

    @admin.display(description="Supplier", ordering="return_record__supplier__name")
    def supplier(self, obj: ReturnLine) -> str:
        return str(obj.return_record.supplier)

    @admin.display(description="Quarter", ordering="return_record__period__start_date")
    def period(self, obj: ReturnLine) -> str:
        return obj.return_record.period.short_label


@admin.register(Evidence)
class EvidenceAdmin(VisibleAdmin):
    """The file's details, never its stored name: it opens only through the platform."""

    list_display = ("original_name", "line", "content_type", "file_size", "uploaded_at")
    list_select_related = ("line__contract", "line__measure")
    list_filter = ("content_type",)
    search_fields = ("original_name", "line__contract__reference", "sha256")
    fields = (
        "line",
        "original_name",
        "content_type",
        "file_size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "download",
    )
    readonly_fields = fields

    def visible(self, user: User) -> QuerySet[Any]:
        return evidence_visible_to(user)

    @admin.display(description="Size", ordering="size")
    def file_size(self, obj: Evidence) -> str:
        return human_size(obj.size)

    @admin.display(description="File")
    def download(self, obj: Evidence) -> str:
        url = reverse("contracts:evidence_download", args=[obj.pk])
        return format_html('<a href="{}">Download {}</a>', url, obj.original_name)


@admin.register(ReminderSent)
class ReminderSentAdmin(VisibleAdmin):
    list_display = ("return_record", "stage", "sent_at", "recipients")
    list_filter = ("stage",)
    list_select_related = ("return_record__supplier", "return_record__period")
    search_fields = ("return_record__supplier__name", "recipients")

    def visible(self, user: User) -> QuerySet[Any]:
        return ReminderSent.objects.filter(return_record__in=returns_visible_to(user))


@admin.register(ImportBatch)
class ImportBatchAdmin(VisibleAdmin):
    list_display = ("file_name", "return_record", "line_count", "imported_by", "imported_at")
    list_select_related = ("return_record__supplier", "return_record__period", "imported_by")
    search_fields = ("file_name", "return_record__supplier__name")

    def visible(self, user: User) -> QuerySet[Any]:
        return ImportBatch.objects.filter(return_record__in=returns_visible_to(user))


# --- Settings ---------------------------------------------------------------------------------


@admin.register(ReportingSettings)
class ReportingSettingsAdmin(PlatformAdminModelAdmin, SimpleHistoryAdmin):
    """The one row of reporting rules. A new due-date rule moves the due dates not yet
    passed, as the reporting settings page does."""

    list_display = ("__str__", "return_due_days", "reminder_days", "rag_green", "rag_amber")
    fields = ("return_due_days", "reminder_days", "rag_green_percent", "rag_amber_percent")

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # made on first use

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        ReportingSettings.current()
        return super().get_queryset(request)

    @admin.display(description="Green at or above (%)")
    def rag_green(self, obj: ReportingSettings) -> str:
        return f"{obj.rag_green_percent.normalize():f}"

    @admin.display(description="Amber at or above (%)")
    def rag_amber(self, obj: ReportingSettings) -> str:
        return f"{obj.rag_amber_percent.normalize():f}"

    def save_model(
        self, request: HttpRequest, obj: ReportingSettings, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        moved = due_dates_refresh()
        if moved:
            self.message_user(request, MSG_DUE_DATES_MOVED.format(count=moved), messages.INFO)
