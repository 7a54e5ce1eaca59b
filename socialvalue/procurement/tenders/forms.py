"""Forms of the officers' tender pages: the tender itself, the list's filters, cancelling,
the menu of measures and the evaluation panel.

Templates render them with ``includes/field.html`` and ``includes/error_summary.html``; the
deadline's GOV.UK date input is laid out in ``procurement/tenders/_deadline.html``.
Writes go through ``procurement/services.py``; these forms only read and check input.
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from socialvalue.accounts.forms import OrganisationChoiceField
from socialvalue.accounts.models import Directorate, Organisation, ServiceArea, User
from socialvalue.core.forms import (
    ERR_TIME_INVALID,
    DateInputWidget,
    GovukDateField,
    MoneyField,
    PercentField,
    TimeOfDayField,
    form_field,
)
from socialvalue.core.money import format_gbp
from socialvalue.framework.models import Measure, Theme
from socialvalue.procurement.models import Policy, Tender
from socialvalue.procurement.services import tender_rule_errors

LONDON = ZoneInfo("Europe/London")

# --- Messages ---------------------------------------------------------------------------------

ERR_REFERENCE_REQUIRED = "Enter a reference"
ERR_REFERENCE_TAKEN = "Your organisation already has a tender with reference {reference}"
ERR_TITLE_REQUIRED = "Enter a title"
ERR_DESCRIPTION_REQUIRED = "Enter a description of what is being bought"
ERR_CATEGORY_REQUIRED = "Select a category"
ERR_VALUE_REQUIRED = "Enter the estimated value"
ERR_VALUE_INVALID = "Estimated value must be an amount of money, like 250000 or 250,000.00"
ERR_VALUE_MIN = "Estimated value must be more than £0"
ERR_DURATION_REQUIRED = "Enter the duration in months"
ERR_DURATION_INVALID = "Duration must be a whole number of months, like 36"
ERR_DURATION_RANGE = "Duration must be between 1 and 600 months"
ERR_BASIS_REQUIRED = "Select how the quantitative offer is scored"
ERR_THRESHOLD_SCORE_REQUIRED = "Enter the deliverability threshold"
ERR_THRESHOLD_SCORE_RANGE = "Deliverability threshold must be a whole number from 0 to 5"
ERR_DIRECTORATE_CHOICE = "Select one of your organisation’s directorates"
ERR_SERVICE_AREA_CHOICE = "Select one of your organisation’s service areas"
ERR_SERVICE_AREA_DIRECTORATE = "The service area must be in the directorate you selected"
ERR_DATE_REQUIRED = "Enter the deadline date"
ERR_TIME_REQUIRED = "Enter the deadline time"
ERR_DEADLINE_PAST = "The deadline must be in the future"
ERR_CANCEL_REASON = "Enter a reason for cancelling the tender"
ERR_MENU_EMPTY = "Select at least one measure"
ERR_THEMES_EMPTY = "Select at least one theme"
ERR_MODERATOR = "Select a moderator"


def _plain(value: Decimal) -> str:
    """10.00 → "10", 12.50 → "12.5": how people write a percentage."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Tenders ----------------------------------------------------------------------------------


class TenderForm(forms.Form):
    """Everything an officer records about a tender, except its menu and panel."""

    reference = forms.CharField(
        max_length=50,
        help_text="Your organisation’s procurement reference, like LCC-2025-014.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": ERR_REFERENCE_REQUIRED,
            "max_length": "Reference must be 50 characters or fewer",
        },
    )
    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": ERR_TITLE_REQUIRED,
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is being bought, where and for whom. Suppliers see this.",
        error_messages={"required": ERR_DESCRIPTION_REQUIRED},
    )
    directorate = OrganisationChoiceField(
        queryset=Directorate.objects.none(),
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": ERR_DIRECTORATE_CHOICE},
    )
    service_area = OrganisationChoiceField(
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": ERR_SERVICE_AREA_CHOICE},
    )
    category = forms.ChoiceField(
        choices=[("", "Select a category"), *Tender.Category.choices],
        error_messages={"required": ERR_CATEGORY_REQUIRED, "invalid_choice": ERR_CATEGORY_REQUIRED},
    )
    estimated_value = MoneyField(
        label="Estimated value",
        min_value=Decimal("0.01"),
        error_messages={
            "required": ERR_VALUE_REQUIRED,
            "invalid": ERR_VALUE_INVALID,
            "min_value": ERR_VALUE_MIN,
        },
    )
    duration_months = forms.IntegerField(
        label="Duration",
        min_value=1,
        max_value=600,
        help_text="The length of the contract in months, including any extensions.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": ERR_DURATION_REQUIRED,
            "invalid": ERR_DURATION_INVALID,
            "min_value": ERR_DURATION_RANGE,
            "max_value": ERR_DURATION_RANGE,
        },
    )
    deadline_date = GovukDateField(
        label="Deadline date",
        help_text="Offers must be submitted before this. For example, 27 3 2026.",
        error_messages={"required": ERR_DATE_REQUIRED},
    )
    deadline_time = TimeOfDayField(
        label="Deadline time",
        help_text="UK time, on the 24-hour clock. For example, 12:00 or 17:30.",
        error_messages={"required": ERR_TIME_REQUIRED, "max_length": ERR_TIME_INVALID},
    )
    sv_weighting = PercentField(label="social value weighting")
    quantitative_share = PercentField(label="quantitative share")
    quant_basis = forms.ChoiceField(
        label="How the quantitative offer is scored",
        choices=Tender.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_BASIS_REQUIRED, "invalid_choice": ERR_BASIS_REQUIRED},
    )
    deliverability_threshold = forms.TypedChoiceField(
        label="Deliverability threshold",
        coerce=int,
        choices=[(n, str(n)) for n in range(6)],
        widget=forms.RadioSelect,
        error_messages={
            "required": ERR_THRESHOLD_SCORE_REQUIRED,
            "invalid_choice": ERR_THRESHOLD_SCORE_RANGE,
        },
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        policy: Policy,
        tender: Tender | None = None,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        self.organisation = organisation
        self.policy = policy
        self.tender = tender
        kwargs["initial"] = self._initial(tender, policy, user) | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        directorates = Directorate.objects.filter(organisation=organisation).order_by("name")
        directorate_field = form_field(self, "directorate", forms.ModelChoiceField)
        directorate_field.queryset = directorates
        service_area_field = form_field(self, "service_area", forms.ModelChoiceField)
        service_area_field.queryset = (
            ServiceArea.objects.filter(directorate__organisation=organisation)
            .select_related("directorate")
            .order_by("directorate__name", "name")
        )
        minimum = _plain(policy.minimum_weighting)
        threshold = format_gbp(policy.threshold)
        self.fields["sv_weighting"].label = "Social value weighting"
        self.fields["sv_weighting"].help_text = (
            f"The share of the total tender marks for social value. Tenders worth {threshold} "
            f"or more need at least {minimum}%; below {threshold} social value is optional "
            f"(enter 0 to leave it out). Policy default: {minimum}%."
        )
        self.fields["quantitative_share"].label = "Quantitative share"
        self.fields["quantitative_share"].help_text = (
            "The share of the social value marks for the quantitative offer (what is offered); "
            "the rest go to the qualitative delivery plan (how it will be delivered). "
            f"Policy default: {_plain(policy.default_quantitative_share)}%."
        )
        levels = {level.score: level.label for level in policy.quality_levels.all()}
        threshold_field = form_field(self, "deliverability_threshold", forms.ChoiceField)
        threshold_field.choices = [
            (n, f"{n} – {levels[n]}" if n in levels else str(n)) for n in range(6)
        ]
        threshold_field.help_text = (
            "A commitment counts towards the offered value only if the consensus quality score "
            "of its delivery plan is at least this. "
            f"Policy default: {policy.default_deliverability_threshold}."
        )

    @staticmethod
    def _initial(tender: Tender | None, policy: Policy, user: User | None) -> dict[str, Any]:
        if tender is not None:
            deadline = timezone.localtime(tender.deadline, LONDON)
            return {
                "reference": tender.reference,
                "title": tender.title,
                "description": tender.description,
                "directorate": tender.directorate_id,
                "service_area": tender.service_area_id,
                "category": tender.category,
                "estimated_value": tender.estimated_value,
                "duration_months": tender.duration_months,
                "deadline_date": deadline.date(),
                "deadline_time": deadline.strftime("%H:%M"),
                "sv_weighting": _plain(tender.sv_weighting),
                "quantitative_share": _plain(tender.quantitative_share),
                "quant_basis": tender.quant_basis,
                "deliverability_threshold": tender.deliverability_threshold,
            }
        area = user.service_area if user is not None else None
        return {
            "directorate": area.directorate_id if area else None,
            "service_area": area.pk if area else None,
            "deadline_time": "12:00",
            "sv_weighting": _plain(policy.minimum_weighting),
            "quantitative_share": _plain(policy.default_quantitative_share),
            "quant_basis": Tender.Basis.VALUE,
            "deliverability_threshold": policy.default_deliverability_threshold,
        }

    def deadline_parts(self) -> dict[str, str]:
        """Day, month and year as typed (or as stored), for the date input."""
        field = self["deadline_date"]
        if self.is_bound:
            widget = self.fields["deadline_date"].widget
            values = widget.value_from_datadict(self.data, self.files, self.add_prefix(field.name))
        else:
            values = DateInputWidget().decompress(self.initial.get("deadline_date"))
        day, month, year = (str(v or "") for v in [*values, "", "", ""][:3])
        return {"day": day, "month": month, "year": year}

    def clean_reference(self) -> str:
        reference = str(self.cleaned_data["reference"]).strip()
        others = Tender.objects.filter(organisation=self.organisation, reference__iexact=reference)
        if self.tender is not None:
            others = others.exclude(pk=self.tender.pk)
        if others.exists():
            raise ValidationError(ERR_REFERENCE_TAKEN.format(reference=reference))
        return reference

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        directorate = cleaned.get("directorate")
        area = cleaned.get("service_area")
        if area is not None:
            if directorate is None:
                cleaned["directorate"] = area.directorate
            elif area.directorate_id != directorate.pk:
                self.add_error("service_area", ERR_SERVICE_AREA_DIRECTORATE)
        value, weighting = cleaned.get("estimated_value"), cleaned.get("sv_weighting")
        if value is not None and weighting is not None:
            # The policy's rule, in the service's words, alongside any other error.
            probe = Tender(estimated_value=value, sv_weighting=weighting)
            for name, messages in tender_rule_errors(probe, self.policy).items():
                self.add_error(name, messages)
        day, moment = cleaned.get("deadline_date"), cleaned.get("deadline_time")
        if isinstance(day, date) and isinstance(moment, time):
            deadline = datetime.combine(day, moment, tzinfo=LONDON)
            cleaned["deadline"] = deadline
            if deadline <= timezone.now():
                self.add_error("deadline_date", ERR_DEADLINE_PAST)
        return cleaned

    def tender_fields(self) -> dict[str, Any]:
        """The cleaned values under the names the tender services take."""
        data = self.cleaned_data
        return {
            "reference": data["reference"],
            "title": data["title"].strip(),
            "description": data["description"].strip(),
            "directorate": data.get("directorate"),
            "service_area": data.get("service_area"),
            "category": data["category"],
            "estimated_value": data["estimated_value"],
            "duration_months": data["duration_months"],
            "deadline": data["deadline"],
            "sv_weighting": data["sv_weighting"],
            "quantitative_share": data["quantitative_share"],
            "quant_basis": data["quant_basis"],
            "deliverability_threshold": data["deliverability_threshold"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError against the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            field = "deadline_date" if name == "deadline" else name
            self.add_error(field if field in self.fields else None, messages)


class TenderFilterForm(forms.Form):
    """The tender list's filters, read from the query string; bad values are ignored."""

    q = forms.CharField(label="Reference or title", required=False, max_length=100)
    status = forms.ChoiceField(choices=[("", "Any status"), *Tender.Status.choices], required=False)
    category = forms.ChoiceField(
        choices=[("", "Any category"), *Tender.Category.choices], required=False
    )
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.none(), required=False, empty_label="Any directorate"
    )

    def __init__(self, *args: Any, organisation_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "directorate", forms.ModelChoiceField)
        directorates = Directorate.objects.filter(organisation_id=organisation_id or 0)
        field.queryset = directorates.order_by("name")

    def filter(self, tenders: QuerySet[Tender]) -> QuerySet[Tender]:
        if not self.is_bound:
            return tenders
        self.is_valid()
        data = self.cleaned_data
        query = str(data.get("q") or "").strip()
        if query:
            tenders = tenders.filter(Q(reference__icontains=query) | Q(title__icontains=query))
        if data.get("status"):
            tenders = tenders.filter(status=data["status"])
        if data.get("category"):
            tenders = tenders.filter(category=data["category"])
        if data.get("directorate"):
            tenders = tenders.filter(directorate=data["directorate"])
        return tenders

    @property
    def active(self) -> bool:
        return self.is_bound and any(
            self.cleaned_data.get(name) for name in ("q", "status", "category", "directorate")
        )


class TenderCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the tender being cancelled?",
        help_text="Suppliers who submitted an offer see this reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_CANCEL_REASON},
    )


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        count = getattr(obj, "measure_count", None)
        if count is None:
            return str(obj.name)
        return f"{obj.name} ({count} measure{'' if count == 1 else 's'})"


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code}: {obj.description}"


class MenuThemesForm(forms.Form):
    themes = ThemeChoiceField(
        label="Themes on the menu",
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Every measure of each theme you select goes on the menu.",
        error_messages={"required": ERR_THEMES_EMPTY},
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "themes", forms.ModelMultipleChoiceField)
        field.queryset = themes


class MenuMeasuresForm(forms.Form):
    measures = MeasureChoiceField(
        label="Measures on the menu",
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERR_MENU_EMPTY},
    )

    def __init__(self, *args: Any, measures: QuerySet[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "measures", forms.ModelMultipleChoiceField)
        field.queryset = measures

    def grouped(self) -> list[tuple[Theme, list[Any]]]:
        """The checkboxes grouped by theme, in framework order."""
        groups: list[tuple[Theme, list[Any]]] = []
        for choice in self["measures"].subwidgets:
            measure = choice.data["value"].instance
            if not groups or groups[-1][0].pk != measure.theme_id:
                groups.append((measure.theme, []))
            groups[-1][1].append(choice)
        return groups


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class PanelForm(forms.Form):
    members = PeopleChoiceField(
        label="Evaluators",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each evaluator scores every qualitative response on their own.",
    )
    moderator = PersonChoiceField(
        label="Moderator",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The moderator is on the panel too. After everyone has scored, they record "
        "the consensus score of each response.",
        error_messages={"required": ERR_MODERATOR, "invalid_choice": ERR_MODERATOR},
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("members", "moderator"):
            field = form_field(self, name, forms.ModelChoiceField)
            field.queryset = candidates
