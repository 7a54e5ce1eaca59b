"""The admin's forms for users: creating and changing an account, with its role checked."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from socialvalue.accounts.models import (
    Organisation,
    User,
)
from socialvalue.accounts.services import (
    EMAIL_TAKEN,
    holds_platform_admin_permission,
    user_role_errors,
)

ORGANISATION_MANAGES_OWN_USERS = (
    "Suppliers and partner organisations manage their own users: invite the first user "
    "from the organisation's page instead."
)


def _lower_unique_email(form: "forms.ModelForm[User]", email: str) -> str:
    email = email.strip().lower()
    others = User.objects.filter(email__iexact=email)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise forms.ValidationError(EMAIL_TAKEN)
    return email


def is_platform_admin_account(user: User) -> bool:
    return bool(user.pk and (user.is_superuser or holds_platform_admin_permission(user)))


def _check_role(form: "forms.ModelForm[User]", cleaned: dict[str, Any]) -> None:
    role = cleaned.get("role", "")
    organisation = cleaned.get("organisation")
    if organisation is not None and organisation.manages_own_users:
        form.add_error("organisation", ORGANISATION_MANAGES_OWN_USERS)
        return
    if is_platform_admin_account(form.instance) and not role and organisation is None:
        return  # a platform administrator who is not part of any organisation
    errors = user_role_errors(
        role=role, organisation=organisation, service_area=cleaned.get("service_area")
    )
    for field, message in errors.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)


def _buyers_only(form: forms.BaseForm) -> None:
    """Only buying organisations are offered: the others manage their own users."""
    field = form.fields.get("organisation")
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = Organisation.objects.filter(kind=Organisation.Kind.BUYER)


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "job_title", "organisation", "role", "service_area")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _buyers_only(self)

    def clean_email(self) -> str:
        return _lower_unique_email(self, self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_role(self, cleaned)
        return cleaned


class UserAdminChangeForm(UserChangeForm):
    platform_admin = forms.BooleanField(
        label="Platform administrator",
        required=False,
        help_text=(
            "Platform administrators use these administration pages, which show every "
            "organisation's records. Only superusers can change this."
        ),
    )

    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _buyers_only(self)
        if "platform_admin" in self.fields:
            self.fields["platform_admin"].initial = holds_platform_admin_permission(self.instance)

    def clean_email(self) -> str:
        return _lower_unique_email(self, self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_role(self, cleaned)
        return cleaned
