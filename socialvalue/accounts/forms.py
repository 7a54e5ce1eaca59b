"""Forms for signing in, passwords and API tokens, and the organisation choice field.

Templates render them with ``includes/field.html``, which adds the GOV.UK classes.
"""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms

from socialvalue.accounts.models import ServiceArea
from socialvalue.accounts.services import TOKEN_NAME_MAX_LENGTH, TOKEN_NAME_REQUIRED

SIGN_IN_FAILED = (
    "The email address or password is not right. Check them and try again. "
    "If you have forgotten your password, you can reset it."
)
EMAIL_REQUIRED = "Enter your email address"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org"
PASSWORD_REQUIRED = "Enter your password"
CURRENT_PASSWORD_REQUIRED = "Enter your current password"
CURRENT_PASSWORD_WRONG = "Your current password is not right. Enter it again."
NEW_PASSWORD_REQUIRED = "Enter a new password"
CONFIRM_PASSWORD_REQUIRED = "Enter the new password again"
PASSWORDS_DIFFERENT = "The two passwords are different. Enter the same password twice."
TOKEN_NAME_TOO_LONG_FORM = f"Token name must be {TOKEN_NAME_MAX_LENGTH} characters or fewer"


def password_hint() -> str:
    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    length = 8
    for validator in validators:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            length = validator.get("OPTIONS", {}).get("min_length", 8)
    return (
        f"Use at least {length} characters. Do not use a common password, a password that "
        "is only numbers, or one that is like your name or email address."
    )


class SignInForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": SIGN_IN_FAILED,
        # Same words for a deactivated account: the form never says which accounts exist.
        "inactive": SIGN_IN_FAILED,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        username.label = "Email address"
        username.max_length = 254
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autofocus": True}
        )
        username.error_messages["required"] = EMAIL_REQUIRED
        password = self.fields["password"]
        password.label = "Password"
        password.widget.attrs["autocomplete"] = "current-password"
        password.error_messages["required"] = PASSWORD_REQUIRED

    def clean_username(self) -> str:
        # Addresses are stored in lower case; people type them any way.
        return str(self.cleaned_data.get("username", "")).strip().lower()

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            # The address goes in under both names. Django's backend reads ``username``;
            # django-axes files a failed attempt under the user model's USERNAME_FIELD
            # ("email") unless told otherwise, and without it would lock out only the
            # browser, never the account.
            self.user_cache = authenticate(
                self.request, username=email, email=email, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address you use to sign in. We will send a link to reset your password.",
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


def _new_password_fields(form: forms.Form) -> None:
    form.fields["new_password1"].label = "New password"
    form.fields["new_password1"].help_text = password_hint()
    form.fields["new_password1"].error_messages["required"] = NEW_PASSWORD_REQUIRED
    form.fields["new_password2"].label = "Confirm new password"
    form.fields["new_password2"].help_text = ""
    form.fields["new_password2"].error_messages["required"] = CONFIRM_PASSWORD_REQUIRED


class NewPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": PASSWORDS_DIFFERENT,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)


class ChangePasswordForm(auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_mismatch": PASSWORDS_DIFFERENT,
        "password_incorrect": CURRENT_PASSWORD_WRONG,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = CURRENT_PASSWORD_REQUIRED
        _new_password_fields(self)


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text="Something to tell this token apart, such as the system that will use it.",
        error_messages={"required": TOKEN_NAME_REQUIRED, "max_length": TOKEN_NAME_TOO_LONG_FORM},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    """A directorate or service area of the organisation; a service area names its directorate."""

    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, ServiceArea):
            return f"{obj.name} ({obj.directorate.name})"
        return str(obj)
