"""Admin for organisations, their structure, users and API tokens.

The social value lead runs these pages (see ``core/admin_site.py``). Three things differ from
Django's defaults:

- ``is_staff`` is not edited by hand: it follows the role (a lead or a superuser is staff),
  because Django's admin sign-in form turns away anyone without it.
- Only superusers may make someone a superuser, or change a superuser's account at all
  (otherwise a lead could reset a superuser's password and act as them).
- API tokens are read-only here and their hash is never shown; the one action is revoking.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Field, ForeignKey, QuerySet, URLField
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.accounts.models import ApiToken, Directorate, Organisation, ServiceArea, User
from socialvalue.accounts.services import (
    EMAIL_TAKEN,
    api_token_revoke,
    user_role_errors,
    user_staff_flag,
)
from socialvalue.core.admin_site import LeadModelAdmin, is_admin_user


class LeadInlineMixin:
    """Inlines the social value lead may use in full, like ``LeadModelAdmin``."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_admin_user(request)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_admin_user(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_admin_user(request)


class DirectorateInline(LeadInlineMixin, admin.TabularInline):
    model = Directorate
    extra = 1
    fields = ("name",)
    show_change_link = True


class ServiceAreaInline(LeadInlineMixin, admin.TabularInline):
    model = ServiceArea
    extra = 1
    fields = ("name",)


@admin.register(Organisation)
class OrganisationAdmin(LeadModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "size", "is_vcse", "postcode")
    list_filter = ("kind", "size", "is_vcse")
    search_fields = ("name", "postcode", "companies_house_number")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind")}),
        (
            "About the organisation",
            {"fields": ("size", "is_vcse", "postcode", "website", "companies_house_number")},
        ),
    )

    def formfield_for_dbfield(
        self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> Any:
        if isinstance(db_field, URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: Organisation | None) -> list[Any]:
        # Directorates belong to buying organisations only; they are added once the
        # organisation is saved as a buyer.
        if obj is not None and obj.is_buyer:
            return [DirectorateInline]
        return []


@admin.register(Directorate)
class DirectorateAdmin(LeadModelAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    search_fields = ("name", "organisation__name")
    list_select_related = ("organisation",)
    inlines = [ServiceAreaInline]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "organisation":
            # Only buying organisations have directorates.
            kwargs["queryset"] = Organisation.objects.filter(kind=Organisation.Kind.BUYER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ServiceArea)
class ServiceAreaAdmin(LeadModelAdmin):
    list_display = ("name", "directorate", "organisation")
    list_filter = ("directorate__organisation",)
    search_fields = ("name", "directorate__name", "directorate__organisation__name")
    list_select_related = ("directorate__organisation",)
    autocomplete_fields = ("directorate",)

    @admin.display(description="Organisation", ordering="directorate__organisation__name")
    def organisation(self, obj: ServiceArea) -> str:
        return obj.directorate.organisation.name


def _lower_unique_email(form: "forms.ModelForm[User]", email: str) -> str:
    email = email.strip().lower()
    others = User.objects.filter(email__iexact=email)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise forms.ValidationError(EMAIL_TAKEN)
    return email


def _check_role(form: "forms.ModelForm[User]", cleaned: dict[str, Any]) -> None:
    role = cleaned.get("role", "")
    organisation = cleaned.get("organisation")
    if form.instance.is_superuser and not role and organisation is None:
        return  # an administrator who is not part of any organisation
    errors = user_role_errors(
        role=role, organisation=organisation, service_area=cleaned.get("service_area")
    )
    for field, message in errors.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "job_title", "organisation", "role", "service_area")

    def clean_email(self) -> str:
        return _lower_unique_email(self, self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_role(self, cleaned)
        return cleaned


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _lower_unique_email(self, self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_role(self, cleaned)
        return cleaned


@admin.register(User)
class UserAdmin(LeadModelAdmin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = ("email", "full_name", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "organisation__kind", "is_active", "is_superuser")
    list_select_related = ("organisation",)
    search_fields = ("email", "full_name", "organisation__name")
    ordering = ("full_name", "email")
    autocomplete_fields = ("organisation", "service_area")
    add_fieldsets = (
        (None, {"fields": ("email", "full_name", "job_title")}),
        ("Organisation and role", {"fields": ("organisation", "role", "service_area")}),
        (
            "Password",
            {
                "description": (
                    "Leave password-based sign-in off to let the person choose their own "
                    "password with “Forgot your password?” on the sign-in page."
                ),
                "fields": ("usable_password", "password1", "password2"),
            },
        ),
    )

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        access: tuple[str, ...] = ("is_active", "is_staff", "is_superuser")
        if request.user.is_superuser:
            access += ("groups", "user_permissions")
        return (
            (None, {"fields": ("email", "password")}),
            ("Person", {"fields": ("full_name", "job_title")}),
            ("Organisation and role", {"fields": ("organisation", "role", "service_area")}),
            (
                "Access",
                {
                    "description": (
                        "Staff status follows the role: social value leads and superusers have it."
                    ),
                    "fields": access,
                },
            ),
            ("Dates", {"fields": ("last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        readonly: tuple[str, ...] = ("is_staff", "last_login", "date_joined")
        if not request.user.is_superuser:
            readonly += ("is_superuser",)
        return readonly

    def _guards_superuser(self, request: HttpRequest, obj: object) -> bool:
        """A superuser's account may be changed only by a superuser."""
        return bool(isinstance(obj, User) and obj.is_superuser and not request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if self._guards_superuser(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if self._guards_superuser(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            # Belt and braces: the field is read-only for them, so keep what is stored.
            obj.is_superuser = (
                User.objects.filter(pk=obj.pk, is_superuser=True).exists() if obj.pk else False
            )
        obj.is_staff = user_staff_flag(obj)
        super().save_model(request, obj, form, change)


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


@admin.register(ApiToken)
class ApiTokenAdmin(LeadModelAdmin):
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
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, by=request.user)  # type: ignore[arg-type]
            revoked += 1
        noun = "token" if revoked == 1 else "tokens"
        self.message_user(request, f"Revoked {revoked} API {noun}.", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # tokens are created by their owner, who is the only one to see them

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # revoked tokens stay on record
