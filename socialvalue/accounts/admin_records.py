"""Admin pages for records nobody edits there: API tokens, invitations and the security log."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.accounts.invitations import (
    invitation_revoke,
)
from socialvalue.accounts.models import (
    ApiToken,
    Invitation,
    SecurityEvent,
    User,
)
from socialvalue.accounts.services import (
    api_token_revoke,
)
from socialvalue.core.admin_site import (
    PlatformAdminModelAdmin,
)


class ApiTokenStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class ReadOnlyRecordAdmin(PlatformAdminModelAdmin):
    """A record nobody adds, changes or deletes here."""

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyRecordAdmin):
    list_display = ("name", "user", "starts_with", "created_at", "last_used_at", "status")
    list_filter = (ApiTokenStatusFilter,)
    list_select_related = ("user",)
    search_fields = ("name", "key_prefix", "user__email", "user__full_name")
    fields = ("name", "user", "starts_with", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke_tokens"]

    @admin.display(description="Token starts with")
    def starts_with(self, obj: ApiToken) -> str:
        return f"{obj.key_prefix}…"

    @admin.display(description="Status")
    def status(self, obj: ApiToken) -> str:
        return "Active" if obj.is_active else "Revoked"

    @admin.action(description="Revoke the selected API tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        by = request.user
        if not isinstance(by, User):
            raise PermissionDenied
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, by=by)
            revoked += 1
        noun = "token" if revoked == 1 else "tokens"
        self.message_user(request, f"Revoked {revoked} API {noun}.", messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyRecordAdmin, SimpleHistoryAdmin):
    list_display = ("email", "organisation", "role", "status_label", "invited_by", "sent_at")
    list_filter = ("organisation__kind", "role", "first_user")
    list_select_related = ("organisation", "invited_by")
    search_fields = ("email", "organisation__name", "invited_by__email")
    fields = (
        "email",
        "organisation",
        "role",
        "service_area",
        "first_user",
        "invited_by",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
        "accepted_user",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = fields
    actions = ["revoke_invitations"]

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    @admin.display(description="Status")
    def status_label(self, obj: Invitation) -> str:
        return obj.get_status_display()

    @admin.action(description="Revoke the selected first-user invitations")
    def revoke_invitations(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        revoked = refused = 0
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            try:
                invitation_revoke(invitation=invitation, by=request.user)
            except (PermissionDenied, ValidationError):
                refused += 1
            else:
                revoked += 1
        self.message_user(request, f"Revoked {revoked} invitation(s).", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"{refused} invitation(s) were sent by an organisation's own people; they "
                "revoke them on their team page.",
                messages.WARNING,
            )


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyRecordAdmin):
    list_display = ("at", "kind", "actor", "subject", "organisation", "client_address")
    list_filter = ("kind", "organisation__kind")
    list_select_related = ("actor", "subject", "organisation")
    search_fields = ("actor__email", "subject__email", "organisation__name", "client_address")
    date_hierarchy = "at"
    fields = ("at", "kind", "actor", "subject", "organisation", "client_address", "detail")
    readonly_fields = fields

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
