"""Forms for the team, organisation, invitation and security log pages.

They check what people type; the rules about who may do what, and about the organisation's
records, are checked again by the services (``team.py``, ``invitations.py``, ``services.py``).
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from socialvalue.accounts.forms import EMAIL_INVALID, PASSWORDS_DIFFERENT, password_hint
from socialvalue.accounts.invitations import (
    FULL_NAME_REQUIRED,
    INVITE_EMAIL_REQUIRED,
    ROLE_NOT_INVITABLE,
    check_new_password,
)
from socialvalue.accounts.models import Organisation, SecurityEvent, ServiceArea, User
from socialvalue.accounts.rules import BUYER_INVITABLE_ROLES, invitable_roles

ROLE_HINTS = {
    User.Role.LEAD: "Runs the organisation's social value work and its team on this service.",
    User.Role.OFFICER: "Sets up tenders, manages contracts and verifies returns.",
    User.Role.EVALUATOR: "Scores the offers of tenders they are on the panel of.",
    User.Role.CABINET: (
        "An elected member or senior manager: reads the organisation's figures and reports, "
        "changes nothing."
    ),
}
PASSWORD_REQUIRED = "Enter a password"
CONFIRM_REQUIRED = "Enter the password again"
NAME_REQUIRED = "Enter a name"
NAME_TOO_LONG = "The name must be 200 characters or fewer"
DATES_WRONG_WAY = "The ‘from’ date must be on or before the ‘to’ date"
DATE_INVALID = "Enter a real date, like 2025-03-31"
POSTCODE_TOO_LONG = "The postcode must be 10 characters or fewer"
COMPANY_NUMBER_INVALID = "Enter the Companies House number as 8 characters, like 01234567"
WEBSITE_INVALID = "Enter the website address in the correct format, like https://example.org"


def _role_choices(roles: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    labels = dict(User.Role.choices)
    return [(role, str(labels[role])) for role in roles]


class ServiceAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.directorate.name}: {obj.name}"


def _service_area_field(organisation: Organisation) -> forms.ModelChoiceField:
    return ServiceAreaChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(directorate__organisation=organisation)
        .select_related("directorate")
        .order_by("directorate__name", "name"),
        required=False,
        empty_label="None",
        help_text="Where in the organisation they work, if it matters for their role.",
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send the invitation to this address. Use their work address.",
        error_messages={"required": INVITE_EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = invitable_roles(organisation)
        if organisation.is_buyer:
            self.fields["role"] = forms.ChoiceField(
                label="Role",
                choices=_role_choices(roles),
                widget=forms.RadioSelect,
                error_messages={
                    "required": ROLE_NOT_INVITABLE,
                    "invalid_choice": ROLE_NOT_INVITABLE,
                },
            )
            self.fields["service_area"] = _service_area_field(organisation)


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=_role_choices(BUYER_INVITABLE_ROLES),
        widget=forms.RadioSelect,
        error_messages={"required": ROLE_NOT_INVITABLE, "invalid_choice": ROLE_NOT_INVITABLE},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_area"] = _service_area_field(organisation)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": FULL_NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    new_password1 = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": PASSWORD_REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        error_messages={"required": CONFIRM_REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["new_password1"].help_text = password_hint()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", PASSWORDS_DIFFERENT)
        elif first:
            try:
                check_new_password(first, email=self.email, full_name=cleaned.get("full_name", ""))
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return cleaned


class OrganisationForm(forms.Form):
    size = forms.ChoiceField(
        label="Size",
        choices=[("", "Not known"), *Organisation.Size.choices],
        required=False,
    )
    is_vcse = forms.BooleanField(
        label="Voluntary, community or social enterprise (VCSE)", required=False
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        help_text="Of the main office. It decides whether the organisation counts as local.",
        error_messages={"max_length": POSTCODE_TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": WEBSITE_INVALID},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    companies_house_number = forms.CharField(
        label="Companies House number",
        max_length=8,
        required=False,
        error_messages={"max_length": COMPANY_NUMBER_INVALID},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    def clean_companies_house_number(self) -> str:
        number = str(self.cleaned_data.get("companies_house_number") or "").strip().upper()
        if number and (len(number) != 8 or not number.isalnum()):
            raise ValidationError(COMPANY_NUMBER_INVALID)
        return number


class NameForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": NAME_REQUIRED, "max_length": NAME_TOO_LONG},
    )


class SecurityLogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened",
        choices=[("", "Anything"), *SecurityEvent.Kind.choices],
        required=False,
    )
    since = forms.DateField(
        label="From",
        required=False,
        help_text="For example, 2025-03-31",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_INVALID},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label="To",
        required=False,
        help_text="For example, 2025-03-31",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_INVALID},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since: date | None = cleaned.get("since")
        until: date | None = cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", DATES_WRONG_WAY)
        return cleaned
