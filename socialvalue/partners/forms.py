"""Forms of the partner directory: the public filters, the profile editor and the review."""

import re
from typing import Any

from django import forms
from django.utils.text import Truncator

from socialvalue.core.forms import form_field
from socialvalue.framework.models import Measure, Theme
from socialvalue.partners.models import DISTRICT_CHOICES, PartnerType
from socialvalue.partners.services import ERR_NO_DISTRICTS, ERR_NO_MEASURES, ERR_REJECT_NOTE

ERR_MEASURE_CHOICE = "Choose a measure from the list."
ERR_THEME_CHOICE = "Choose a theme from the list."
ERR_DISTRICT_CHOICE = "Choose a district from the list."
ERR_TYPE_REQUIRED = "Choose the type of organisation."
ERR_SUMMARY_REQUIRED = "Enter a short summary of what the organisation does."
ERR_SUMMARY_LONG = "The summary must be 300 characters or fewer."
ERR_DESCRIPTION_REQUIRED = "Enter a description of the organisation and how it can help."
ERR_DESCRIPTION_LONG = "The description must be 5,000 characters or fewer."
ERR_OFFERS_LONG = "The example offers must be 3,000 characters or fewer."
ERR_CONTACT_NAME_REQUIRED = "Enter the name of the person or team to contact."
ERR_EMAIL_REQUIRED = "Enter an email address for enquiries."
ERR_EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org."
ERR_PHONE_INVALID = "Enter a telephone number, like 01772 123456 or +44 1772 123456."
ERR_WEBSITE_INVALID = "Enter a website address in the correct format, like https://example.org."
ERR_NAME_REQUIRED = "Enter the name of the organisation."
ERR_DECISION_REQUIRED = "Choose whether to approve the changes."
ERR_UNKNOWN_MEASURE = "Choose measures from the list."
ERR_UNKNOWN_DISTRICT = "Choose districts from the list."

PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{7,20}$")
SELECT_LABEL_LENGTH = 70
NOT_IN_FRAMEWORK = "No longer in the current framework"
CREATE_MEASURES_HINT = (
    "The Lancashire TOMs measures suppliers can deliver with this organisation's help."
)


def _measure_option(measure: Measure) -> tuple[str, str]:
    text = f"{measure.code} – {measure.description}"
    return measure.code, Truncator(text).chars(SELECT_LABEL_LENGTH)


class PartnerFilterForm(forms.Form):
    """The filters above the list of partners (a plain GET form)."""

    measure = forms.ChoiceField(label="Measure", required=False)
    theme = forms.ChoiceField(label="Theme", required=False)
    district = forms.ChoiceField(label="District", required=False)

    def __init__(
        self, data: Any = None, *, measures: list[Measure], themes: list[Theme], **kwargs: Any
    ) -> None:
        canonical = {m.code.casefold(): m.code for m in measures}
        if data is not None and data.get("measure"):
            data = data.copy()
            data["measure"] = canonical.get(data["measure"].strip().casefold(), data["measure"])
        super().__init__(data, **kwargs)
        grouped: dict[str, list[tuple[str, str]]] = {}
        for measure in measures:
            grouped.setdefault(measure.theme.name, []).append(_measure_option(measure))
        self._choice_field("measure").choices = [("", "Any measure"), *grouped.items()]
        self._choice_field("theme").choices = [("", "Any theme")] + [
            (t.slug, t.name) for t in themes
        ]
        self._choice_field("district").choices = [("", "Any district"), *DISTRICT_CHOICES]
        for name, message in (
            ("measure", ERR_MEASURE_CHOICE),
            ("theme", ERR_THEME_CHOICE),
            ("district", ERR_DISTRICT_CHOICE),
        ):
            self.fields[name].error_messages["invalid_choice"] = message

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return form_field(self, name, forms.ChoiceField)

    def value(self, name: str) -> str:
        """A filter's value when it is valid, else "" (an invalid filter is not applied)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return str(self.cleaned_data.get(name) or "")


class PartnerProfileForm(forms.Form):
    """A partner's profile: what it does, where, for which measures, and how to get in touch."""

    partner_type = forms.ChoiceField(
        label="Type of organisation",
        choices=PartnerType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_TYPE_REQUIRED, "invalid_choice": ERR_TYPE_REQUIRED},
    )
    summary = forms.CharField(
        label="Summary",
        help_text="One or two sentences, shown in the list of partners.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_SUMMARY_REQUIRED, "max_length": ERR_SUMMARY_LONG},
    )
    description = forms.CharField(
        label="Description",
        help_text="Who you are, who you work with and how suppliers can work with you.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": ERR_DESCRIPTION_REQUIRED, "max_length": ERR_DESCRIPTION_LONG},
    )
    # Shown as the last option of "Districts served", after "or": it excludes the others.
    districts = forms.MultipleChoiceField(
        label="Districts served",
        choices=DISTRICT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, or all of Lancashire.",
        error_messages={"invalid_choice": ERR_UNKNOWN_DISTRICT},
    )
    serves_all_lancashire = forms.BooleanField(label="All of Lancashire", required=False)
    measure_codes = forms.MultipleChoiceField(
        label="Measures you help deliver",
        widget=forms.CheckboxSelectMultiple,
        help_text="The Lancashire TOMs measures suppliers can deliver with your help.",
        error_messages={"required": ERR_NO_MEASURES, "invalid_choice": ERR_UNKNOWN_MEASURE},
    )
    example_offers = forms.CharField(
        label="Example offers",
        help_text=(
            "What a supplier could do with you, one example per line. For example: "
            "“Two-week work placements for young people leaving care”."
        ),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": ERR_OFFERS_LONG},
    )
    contact_name = forms.CharField(
        label="Contact name",
        help_text="A person or a team, for example “Partnerships team”.",
        max_length=200,
        error_messages={"required": ERR_CONTACT_NAME_REQUIRED},
    )
    contact_email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": ERR_EMAIL_REQUIRED, "invalid": ERR_EMAIL_INVALID},
    )
    contact_phone = forms.CharField(label="Telephone", required=False, max_length=30)
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": ERR_WEBSITE_INVALID},
    )

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        self.theme_of = {m.code: m.theme.name for m in measures}
        choices = [(m.code, m.description) for m in measures]
        # Codes the profile already has but the current framework no longer lists stay
        # choosable, so saving a profile never drops them without the partner seeing it.
        kept = self.initial.get("measure_codes") or []
        choices += [(code, NOT_IN_FRAMEWORK) for code in kept if code not in self.theme_of]
        field = form_field(self, "measure_codes", forms.MultipleChoiceField)
        field.choices = choices
        for name in ("contact_name", "contact_email", "contact_phone", "website"):
            self.fields[name].widget.attrs.setdefault("spellcheck", "false")
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["website"].widget.attrs["autocomplete"] = "url"

    def measure_groups(self) -> list[tuple[str, list[Any]]]:
        """The measure checkboxes grouped by theme, in framework order."""
        groups: list[tuple[str, list[Any]]] = []
        for option in self["measure_codes"].subwidgets:
            theme = self.theme_of.get(str(option.data["value"]), NOT_IN_FRAMEWORK)
            if not groups or groups[-1][0] != theme:
                groups.append((theme, []))
            groups[-1][1].append(option)
        return groups

    def clean_contact_phone(self) -> str:
        phone = " ".join(self.cleaned_data["contact_phone"].split())
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(ERR_PHONE_INVALID)
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("serves_all_lancashire"):
            # "All of Lancashire" excludes single districts (browsers without JavaScript
            # may send both).
            cleaned["districts"] = []
        elif "districts" in cleaned and not cleaned.get("districts"):
            self.add_error("districts", ERR_NO_DISTRICTS)
        return cleaned

    def content(self) -> dict[str, Any]:
        """The cleaned data in the shape the services take."""
        return dict(self.cleaned_data)


class PartnerCreateForm(PartnerProfileForm):
    """The lead adds a partner organisation and publishes its profile."""

    name = forms.CharField(
        label="Name of the organisation",
        max_length=200,
        error_messages={"required": ERR_NAME_REQUIRED},
    )

    field_order = ["name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measures_field = self.fields["measure_codes"]
        measures_field.label = "Measures the organisation helps deliver"
        measures_field.help_text = CREATE_MEASURES_HINT

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def content(self) -> dict[str, Any]:
        content = dict(self.cleaned_data)
        content.pop("name", None)
        return content


class ReviewForm(forms.Form):
    """The lead's decision on submitted changes."""

    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (APPROVE, "Approve and publish the changes"),
            (REJECT, "Do not approve the changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": ERR_DECISION_REQUIRED, "invalid_choice": ERR_DECISION_REQUIRED},
    )
    note = forms.CharField(
        label="Note to the partner",
        help_text="Required if you do not approve the changes: say what needs to change.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.REJECT and not cleaned.get("note", "").strip():
            self.add_error("note", ERR_REJECT_NOTE)
        return cleaned
