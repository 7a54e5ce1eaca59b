"""The dashboard's filters: a plain GET form, so they work without JavaScript.

Whose figures come first (only for people who may see more than one organisation), then the
period (a financial year, or a range of quarters), then the optional filters. A value that is
not one of the choices gets a message and is left out; the rest still apply.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.http import QueryDict

from socialvalue.accounts.models import Directorate, Organisation
from socialvalue.contracts.models import Contract
from socialvalue.core.forms import form_field
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.framework.models import FrameworkVersion, Theme
from socialvalue.insights.dashboard import (
    MONEY_KPIS,
    OrganisationOption,
    current_financial_year,
    period_label,
)
from socialvalue.insights.kpis import Scope
from socialvalue.insights.models import Kpi
from socialvalue.insights.services import ERR_NUMBER, PERCENT_KPIS, kpi_target_problems
from socialvalue.procurement.models import Tender

ERR_YEAR = "Choose a financial year from the list"
ERR_QUARTER = "Choose a quarter from the list"
ERR_BOTH_QUARTERS = (
    "Choose both the first and the last quarter, or neither to see a whole financial year"
)
ERR_QUARTER_ORDER = "The last quarter must be the same as or after the first quarter"
ERR_DIRECTORATE = "Choose one of the directorates listed"
ERR_CATEGORY = "Choose one of the categories listed"
ERR_SUPPLIER = "Choose one of the suppliers listed"
ERR_DISTRICT = "Choose one of the districts listed"
ERR_THEME = "Choose one of the themes listed"

FILTER_NAMES = ("directorate", "category", "supplier", "district", "theme")


def available_years(organisation_ids: frozenset[int], today: date | None = None) -> list[int]:
    """Financial years from the first contract's start to this year, newest first."""
    this_year = current_financial_year(today)
    starts = Contract.objects.filter(organisation_id__in=organisation_ids).order_by("start_date")
    first_start = starts.values_list("start_date", flat=True).first()
    first_year = min(quarter_of(first_start).year, this_year) if first_start else this_year
    return list(range(this_year, first_year - 1, -1))


def quarter_value(quarter: Quarter) -> str:
    return f"{quarter.year}-q{quarter.number}"


def quarter_from_value(value: str) -> Quarter:
    year, _, number = value.partition("-q")
    return Quarter(int(year), int(number))


class DirectorateChoiceField(forms.ModelChoiceField):
    """Directorates, named with their organisation when several organisations are shown."""

    with_organisation = False

    def label_from_instance(self, obj: Any) -> str:
        if self.with_organisation:
            return f"{obj.name} ({obj.organisation.name})"
        return str(obj.name)


def _default_year(form: forms.Form, year: int) -> None:
    """Show the year the figures are for when the address does not name one."""
    if form.is_bound and not form.data.get("year"):
        data = QueryDict(mutable=True)
        data.update(form.data)
        data["year"] = str(year)
        form.data = data


def _choice(label: str, choices: list[tuple[str, str]], message: str, empty: str) -> Any:
    return forms.ChoiceField(
        label=label,
        choices=[("", empty), *choices],
        required=False,
        error_messages={"invalid_choice": message},
    )


class DashboardFilterForm(forms.Form):
    organisation = forms.ChoiceField(label="Whose figures", required=False)
    year = forms.ChoiceField(
        label="Financial year", required=False, error_messages={"invalid_choice": ERR_YEAR}
    )
    first = forms.ChoiceField(
        label="From quarter", required=False, error_messages={"invalid_choice": ERR_QUARTER}
    )
    last = forms.ChoiceField(
        label="To quarter", required=False, error_messages={"invalid_choice": ERR_QUARTER}
    )
    directorate = DirectorateChoiceField(
        label="Directorate",
        queryset=Directorate.objects.none(),
        required=False,
        empty_label="All directorates",
        error_messages={"invalid_choice": ERR_DIRECTORATE},
    )
    category = _choice("Category", Tender.Category.choices, ERR_CATEGORY, "All categories")
    supplier = forms.ModelChoiceField(
        label="Supplier",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="All suppliers",
        error_messages={"invalid_choice": ERR_SUPPLIER},
    )
    district = _choice("District", District.choices, ERR_DISTRICT, "All districts")
    theme = forms.ChoiceField(
        label="Theme", required=False, error_messages={"invalid_choice": ERR_THEME}
    )

    def __init__(self, *args: Any, options: list[OrganisationOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {o.value: o for o in options}
        form_field(self, "organisation", forms.ChoiceField).choices = [
            (o.value, o.label) for o in options
        ]
        self.show_organisation = len(options) > 1
        visible = options[0].ids
        years = available_years(visible)
        self.default_year = years[0]
        _default_year(self, self.default_year)
        form_field(self, "year", forms.ChoiceField).choices = [
            (str(y), Quarter(y, 1).financial_year) for y in years
        ]
        quarters = [("", "Choose a quarter")] + [
            (quarter_value(Quarter(y, n)), Quarter(y, n).short_label)
            for y in reversed(years)
            for n in range(1, 5)
        ]
        form_field(self, "first", forms.ChoiceField).choices = quarters
        form_field(self, "last", forms.ChoiceField).choices = quarters
        directorates = Directorate.objects.filter(organisation_id__in=visible).select_related(
            "organisation"
        )
        directorate_field = form_field(self, "directorate", DirectorateChoiceField)
        directorate_field.queryset = directorates.order_by("organisation__name", "name")
        directorate_field.with_organisation = len(visible) > 1
        supplier_field = form_field(self, "supplier", forms.ModelChoiceField)
        supplier_field.queryset = (
            Organisation.objects.filter(contracts_held__organisation_id__in=visible)
            .distinct()
            .order_by("name")
        )
        themes: dict[str, str] = {}
        for slug, name in (
            Theme.objects.exclude(version__status=FrameworkVersion.Status.DRAFT)
            .order_by("order", "name")
            .values_list("slug", "name")
        ):
            themes.setdefault(slug, name)
        form_field(self, "theme", forms.ChoiceField).choices = [("", "All themes"), *themes.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if "first" in data and "last" in data and bool(first) != bool(last):
            self.add_error("first" if not first else "last", ERR_BOTH_QUARTERS)
        elif first and last and quarter_from_value(last) < quarter_from_value(first):
            self.add_error("last", ERR_QUARTER_ORDER)
        return data

    def _data(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    @property
    def option(self) -> OrganisationOption:
        default = next(iter(self.options.values()))
        return self.options.get(self._data().get("organisation") or "", default)

    def quarters(self) -> tuple[Quarter, Quarter]:
        data = self._data()
        if data.get("first") and data.get("last"):
            return quarter_from_value(data["first"]), quarter_from_value(data["last"])
        year = int(data.get("year") or self.default_year)
        return Quarter(year, 1), Quarter(year, 4)

    def scope(self) -> Scope:
        data = self._data()
        first, last = self.quarters()
        directorate = data.get("directorate")
        supplier = data.get("supplier")
        return Scope(
            organisation_ids=self.option.ids,
            first=first,
            last=last,
            directorate_id=directorate.pk if directorate else None,
            category=data.get("category") or "",
            supplier_id=supplier.pk if supplier else None,
            district=data.get("district") or "",
            theme_slug=data.get("theme") or "",
        )

    @property
    def period(self) -> str:
        return period_label(*self.quarters())

    @property
    def filters_applied(self) -> list[str]:
        """The optional filters in force, as "Directorate: Adult Services"."""
        data = self._data()
        applied = []
        for name in FILTER_NAMES:
            value = data.get(name)
            if not value:
                continue
            field = form_field(self, name, forms.ChoiceField)
            if isinstance(field, forms.ModelChoiceField):
                text = field.label_from_instance(value)
            else:
                # A ChoiceField keeps its (normalised) choices as a list of pairs.
                pairs = cast("list[tuple[Any, Any]]", field.choices)
                text = dict(pairs).get(value, value)
            applied.append(f"{field.label}: {text}")
        return applied


# --- KPI targets -----------------------------------------------------------------------------


class TargetChoiceForm(forms.Form):
    """Which year's targets, and whose (the lead's organisation or a place it leads)."""

    year = forms.ChoiceField(
        label="Financial year", required=False, error_messages={"invalid_choice": ERR_YEAR}
    )
    owner = forms.ChoiceField(label="Targets for", required=False)

    def __init__(
        self, *args: Any, owners: list[OrganisationOption], years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {o.value: o for o in owners}
        self.default_year = current_financial_year()
        _default_year(self, self.default_year)
        form_field(self, "year", forms.ChoiceField).choices = [
            (str(y), Quarter(y, 1).financial_year) for y in years
        ]
        form_field(self, "owner", forms.ChoiceField).choices = [(o.value, o.label) for o in owners]
        self.show_owner = len(owners) > 1

    def _data(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    @property
    def year_value(self) -> int:
        return int(self._data().get("year") or self.default_year)

    @property
    def owner_option(self) -> OrganisationOption:
        return self.owners.get(self._data().get("owner") or "", self.owners[""])


def parse_target(text: str) -> Decimal | None:
    """A target as typed: "1,500,000", "£1500000" or "25%"; None when left empty."""
    cleaned = text.strip().replace(",", "").replace("£", "").replace("%", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise forms.ValidationError(ERR_NUMBER) from error
    if not value.is_finite():
        raise forms.ValidationError(ERR_NUMBER)
    return value


class KpiTargetsForm(forms.Form):
    """One field per KPI; an empty field means no target (and removes one already set)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kpi in Kpi:
            self.fields[kpi.value] = forms.CharField(label=kpi.label, required=False, max_length=30)
            self.fields[kpi.value].widget.attrs.update(
                {"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}
            )

    def unit(self, kpi: str) -> tuple[str, str]:
        """The prefix and suffix shown around the field."""
        if kpi in MONEY_KPIS:
            return "£", ""
        if kpi in PERCENT_KPIS:
            return "", "%"
        return "", "a quarter"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kpi in Kpi:
            if kpi.value not in data:
                continue
            try:
                value = parse_target(data[kpi.value])
            except forms.ValidationError as error:
                self.add_error(kpi.value, error)
                continue
            problems = [] if value is None else kpi_target_problems(kpi.value, value)
            for problem in problems:
                self.add_error(kpi.value, problem)
            if not problems:
                data[kpi.value] = value
        return data

    @property
    def targets(self) -> dict[str, Decimal | None]:
        return {kpi.value: self.cleaned_data.get(kpi.value) for kpi in Kpi}
