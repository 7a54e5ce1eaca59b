"""Admin for organisations, their structure, users, invitations, API tokens and the
security log.

Only platform administrators use these pages (see ``core/admin_site.py``). What differs from
Django's defaults, and why:

- Users of supplier and partner organisations are read-only here: no adding anyone to such
  an organisation, no changing, deleting or setting the password of its users, and no moving
  anyone into it. Only the organisation's own people manage them, by invitation, so nobody
  outside can make an account that reads its sealed offers. A platform administrator may
  invite the first user of an organisation that has no active users (a link on the
  organisation's page), never set a password for them.
- ``is_staff`` is not edited by hand: it follows platform administration (a superuser or a
  holder of the permission is staff), because Django's admin sign-in form turns away anyone
  without it. A role, even the social value lead's, never makes anyone staff.
- Only superusers make someone a superuser or a platform administrator, or change such an
  account at all (otherwise one administrator could reset another's password and act as
  them). Both changes go to the security log.
- Deactivating someone here revokes their API tokens and ends their sessions, as on the team
  page; changes of role and of active status go to the security log.
- API tokens are read-only and their hash is never shown; the one action is revoking.
  Invitations and the security log are read-only records.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field, ForeignKey, URLField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.accounts.admin_forms import (
    UserAdminChangeForm,
    UserAdminCreationForm,
    is_platform_admin_account,
)
from socialvalue.accounts.invitations import (
    invitation_create,
    invitation_valid_days,
)
from socialvalue.accounts.models import (
    Directorate,
    Organisation,
    SecurityEvent,
    ServiceArea,
    User,
)
from socialvalue.accounts.rules import has_active_users, invitable_roles
from socialvalue.accounts.security import security_event_record
from socialvalue.accounts.services import (
    holds_platform_admin_permission,
    user_staff_flag,
)
from socialvalue.accounts.team import end_access, platform_admin_set, superuser_change_record
from socialvalue.core.admin_site import (
    PlatformAdminInlineMixin,
    PlatformAdminModelAdmin,
    is_platform_admin,
)
from socialvalue.core.forms import form_field

HAS_ACTIVE_USERS = "{organisation} already has active users: its own people invite colleagues."
INVITED = "Invitation sent to {email}. The link works for {days} days."

# Platform administration is granted on the user's page, one way and logged; groups would be
# a second, silent way.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class _PlatformAdminLockouts:
    """The permissions of django-axes's pages: platform administrators read them, and on the
    attempts page (``lifts_lockouts``) lift a lockout by deleting its record."""

    lifts_lockouts = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.lifts_lockouts and is_platform_admin(request.user)


def _open_lockouts_to_platform_admins() -> None:
    """django-axes's pages (sign-in attempts and lockouts) for platform administrators, who
    look lockouts up and lift one by deleting its attempt record; the logs are read-only."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        if not admin.site.is_registered(model):
            continue
        base = type(admin.site.get_model_admin(model))
        lockout_admin = type(
            "LockoutAdmin",
            (_PlatformAdminLockouts, base),
            {"lifts_lockouts": model is AccessAttempt},
        )
        admin.site.unregister(model)
        admin.site.register(model, lockout_admin)


_open_lockouts_to_platform_admins()


class DirectorateInline(PlatformAdminInlineMixin, admin.TabularInline):
    model = Directorate
    extra = 1
    fields = ("name",)
    show_change_link = True


class ServiceAreaInline(PlatformAdminInlineMixin, admin.TabularInline):
    model = ServiceArea
    extra = 1
    fields = ("name",)


class FirstUserInvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role")
    service_area = forms.ModelChoiceField(
        label="Service area", queryset=ServiceArea.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(User.Role.choices)
        role_field = form_field(self, "role", forms.ChoiceField)
        role_field.choices = [(role, labels[role]) for role in invitable_roles(organisation)]
        if organisation.is_buyer:
            area_field = form_field(self, "service_area", forms.ModelChoiceField)
            area_field.queryset = ServiceArea.objects.filter(
                directorate__organisation=organisation
            ).select_related("directorate")
        else:
            del self.fields["service_area"]


@admin.register(Organisation)
class OrganisationAdmin(PlatformAdminModelAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "size", "is_vcse", "postcode")
    list_filter = ("kind", "size", "is_vcse")
    search_fields = ("name", "postcode", "companies_house_number")
    prepopulated_fields = {"slug": ("name",)}

    def get_fieldsets(self, request: HttpRequest, obj: Organisation | None = None) -> Any:
        fieldsets: list[Any] = [
            (None, {"fields": ("name", "slug", "kind")}),
            (
                "About the organisation",
                {"fields": ("size", "is_vcse", "postcode", "website", "companies_house_number")},
            ),
        ]
        if obj is not None:
            fieldsets.append(("People", {"fields": ("people",)}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Organisation | None = None) -> Any:
        # The kind decides who manages the organisation's users: changing it could open a
        # supplier's accounts to the admin, so it is set once, when the organisation is made.
        if obj is not None:
            return ("kind", "people")
        return ()

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: Organisation | None = None
    ) -> dict[str, Any]:
        return dict(self.prepopulated_fields)

    @admin.display(description="People")
    def people(self, obj: Organisation) -> str:
        active = obj.users.filter(is_active=True).count()
        if active:
            noun = "user" if active == 1 else "users"
            return f"{active} active {noun}. They invite their colleagues themselves."
        url = reverse("admin:accounts_organisation_invite_first_user", args=[obj.pk])
        return format_html('No active users. <a href="{}">Invite the first user</a>.', url)

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

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/invite-first-user/",
                self.admin_site.admin_view(self.invite_first_user_view),
                name="accounts_organisation_invite_first_user",
            ),
            *super().get_urls(),
        ]

    def invite_first_user_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Invite the first user of an organisation that has no active users."""
        if not is_platform_admin(request.user):
            raise PermissionDenied
        organisation = self.get_object(request, unquote(object_id))
        if organisation is None:
            raise Http404("No such organisation.")
        change_url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
        if has_active_users(organisation):
            self.message_user(
                request, HAS_ACTIVE_USERS.format(organisation=organisation.name), messages.ERROR
            )
            return HttpResponseRedirect(change_url)
        form = FirstUserInvitationForm(
            request.POST if request.method == "POST" else None, organisation=organisation
        )
        if request.method == "POST" and form.is_valid():
            try:
                invitation, _ = invitation_create(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    service_area=form.cleaned_data.get("service_area"),
                    by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(
                    request,
                    INVITED.format(email=invitation.email, days=invitation_valid_days()),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Invite the first user of {organisation.name}",
            "opts": self.opts,
            "original": organisation,
            "form": form,
            "change_url": change_url,
            "valid_days": invitation_valid_days(),
        }
        return TemplateResponse(
            request, "admin/accounts/organisation/invite_first_user.html", context
        )


@admin.register(Directorate)
class DirectorateAdmin(PlatformAdminModelAdmin):
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
class ServiceAreaAdmin(PlatformAdminModelAdmin):
    list_display = ("name", "directorate", "organisation")
    list_filter = ("directorate__organisation",)
    search_fields = ("name", "directorate__name", "directorate__organisation__name")
    list_select_related = ("directorate__organisation",)
    autocomplete_fields = ("directorate",)

    @admin.display(description="Organisation", ordering="directorate__organisation__name")
    def organisation(self, obj: ServiceArea) -> str:
        return obj.directorate.organisation.name


@admin.register(User)
class UserAdmin(PlatformAdminModelAdmin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = ("email", "full_name", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "organisation__kind", "is_active", "is_superuser")
    list_select_related = ("organisation",)
    search_fields = ("email", "full_name", "organisation__name")
    ordering = ("full_name", "email")
    autocomplete_fields = ("service_area",)
    add_fieldsets = (
        (
            None,
            {
                "description": (
                    "Only people of buying organisations are added here. Suppliers and partner "
                    "organisations invite their own people; invite the first user of one from "
                    "the organisation's page."
                ),
                "fields": ("email", "full_name", "job_title"),
            },
        ),
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
        access: tuple[str, ...] = ("is_active", "is_superuser")
        access += ("platform_admin",) if request.user.is_superuser else ("platform_administrator",)
        access += ("is_staff",)
        account: tuple[str, ...] = ("email",)
        if self.has_change_permission(request, obj):
            account += ("password",)
        return (
            (None, {"fields": account}),
            ("Person", {"fields": ("full_name", "job_title")}),
            ("Organisation and role", {"fields": ("organisation", "role", "service_area")}),
            (
                "Access",
                {
                    "description": (
                        "Staff status follows platform administration: superusers and "
                        "platform administrators have it, whatever their role."
                    ),
                    "fields": access,
                },
            ),
            ("Dates", {"fields": ("last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        readonly: tuple[str, ...] = ("is_staff", "last_login", "date_joined")
        if not request.user.is_superuser:
            readonly += ("is_superuser", "platform_administrator")
        return readonly

    @admin.display(description="Platform administrator", boolean=True)
    def platform_administrator(self, obj: User) -> bool:
        return holds_platform_admin_permission(obj)

    def get_actions(self, request: HttpRequest) -> Any:
        # Deleting in bulk would skip the per-user checks below.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _out_of_reach(self, request: HttpRequest, obj: object) -> bool:
        """Users the admin may look at but not change: those of suppliers and partners
        (managed only from inside), and platform administrators (by superusers only)."""
        if not isinstance(obj, User):
            return False
        if obj.organisation is not None and obj.organisation.manages_own_users:
            return True
        return is_platform_admin_account(obj) and not request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if self._out_of_reach(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        if self._out_of_reach(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        by = request.user
        old = User.objects.filter(pk=obj.pk).first() if change and obj.pk else None
        if not by.is_superuser:
            # Belt and braces: the field is read-only for them, so keep what is stored.
            obj.is_superuser = old.is_superuser if old is not None else False
        wanted = form.cleaned_data.get("platform_admin") if by.is_superuser and change else None
        holds = holds_platform_admin_permission(obj)
        obj.is_staff = bool(obj.is_superuser or (holds if wanted is None else wanted))
        super().save_model(request, obj, form, change)
        if wanted is not None and wanted != holds:
            platform_admin_set(user=obj, granted=wanted, by=by)
        obj.is_staff = user_staff_flag(obj)
        if old is not None:
            self._record_changes(request, old, obj)

    def _record_changes(self, request: HttpRequest, old: User, new: User) -> None:
        by = request.user
        if old.is_superuser != new.is_superuser:
            superuser_change_record(user=new, became=new.is_superuser, by=by)
        if old.role != new.role:
            security_event_record(
                SecurityEvent.Kind.ROLE_CHANGED,
                actor=by,
                subject=new,
                detail={"from": old.role, "to": new.role},
            )
        if old.is_active and not new.is_active:
            tokens = end_access(new)
            security_event_record(
                SecurityEvent.Kind.USER_DEACTIVATED,
                actor=by,
                subject=new,
                detail={"tokens_revoked": tokens},
            )
        elif new.is_active and not old.is_active:
            security_event_record(SecurityEvent.Kind.USER_REACTIVATED, actor=by, subject=new)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        found = self.get_object(request, unquote(id))
        before = found.password if found is not None else None
        response = super().user_change_password(request, id, form_url)
        user = User.objects.filter(pk=found.pk).first() if found is not None else None
        if user is not None and user.password != before:
            security_event_record(
                SecurityEvent.Kind.PASSWORD_CHANGED,
                actor=request.user,
                subject=user,
                detail={"by": "platform administrator"},
            )
        return response


# Registered for their side effect: the admin pages of records nobody edits.
import socialvalue.accounts.admin_records  # noqa: E402, F401
