"""The contract list's filters, registering or editing a contract, and closing it."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from socialvalue.accounts.forms import OrganisationChoiceField
from socialvalue.accounts.models import Directorate, Organisation, ServiceArea, User
from socialvalue.contracts.contract_forms.fields import (
    TARGET_ROWS,
    DateInputsForm,
    DayMonthYearField,
    QuantityField,
    StaffChoiceField,
    plain,
)
from socialvalue.contracts.models import Contract
from socialvalue.contracts.performance import Rag
from socialvalue.core.forms import MoneyField, form_field
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.framework.selectors import framework_version_current
from socialvalue.procurement.models import Tender

ERR_SUPPLIER = "Select the supplier"
ERR_REFERENCE = "Enter the contract reference"
ERR_TITLE = "Enter the contract title"
ERR_LEVER = "Select how the contract was let"
ERR_VALUE = "Enter the contract value"
ERR_VALUE_INVALID = "Contract value must be an amount of money, like 250000 or 250,000.00"
ERR_VALUE_MIN = "Contract value must be more than £0"
ERR_DIRECTORATE = "Select one of your organisation’s directorates"
ERR_SERVICE_AREA = "Select one of your organisation’s service areas"
ERR_SERVICE_AREA_DIRECTORATE = "The service area must be in the directorate you selected"
ERR_MANAGER = "Select an officer of your organisation"
ERR_VERSION = "Select a published framework version"
ERR_END_BEFORE_START = "The end date must be the same as or after the start date"
ERR_ROW_MEASURE = "Target {row}: select a measure for the quantity you entered"
ERR_ROW_QUANTITY = "Target {row}: enter the quantity of {code}"
ERR_ROW_DUPLICATE = "Target {row}: {code} is already a target above"
ERR_ROW_CHOICE = "Target {row}: select one of the measures listed"
ERR_ROW_VERSION = "Target {row}: {code} is not a measure of {version}"
ERR_OUTCOME = "Select whether the contract ended or was terminated"
ERR_TERMINATION_DATE = "Enter the date the contract was terminated"


# --- The contract list's filters --------------------------------------------------------------


class ContractFilterForm(forms.Form):
    """Filters read from the query string; a bad value is ignored, never an error page."""

    q = forms.CharField(label="Reference, title or supplier", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *Contract.Status.choices], required=False
    )
    rag = forms.ChoiceField(label="RAG status", choices=[("", "Any"), *Rag.CHOICES], required=False)
    lever = forms.ChoiceField(
        label="Lever", choices=[("", "Any lever"), *Contract.Lever.choices], required=False
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.none(),
        required=False,
        empty_label="Any directorate",
    )
    supplier = forms.ModelChoiceField(
        label="Supplier",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Any supplier",
    )
    organisation = forms.ModelChoiceField(
        label="Buying organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Any organisation",
    )

    OFFICER_ONLY = ("rag", "lever", "directorate", "supplier", "organisation")

    def __init__(self, *args: Any, contracts: QuerySet[Contract], officer: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.officer = officer
        if not officer:
            for name in self.OFFICER_ONLY:
                del self.fields[name]
            self.fields["q"].label = "Reference or title"
            return
        ids = contracts.order_by().values("pk")
        self._set_queryset(
            "directorate",
            Directorate.objects.filter(contracts__in=ids).distinct().order_by("name"),
        )
        self._set_queryset(
            "supplier",
            Organisation.objects.filter(contracts_held__in=ids).distinct().order_by("name"),
        )
        organisations = Organisation.objects.filter(contracts_let__in=ids).distinct()
        self._set_queryset("organisation", organisations.order_by("name"))
        self.show_organisation = organisations.count() > 1

    def _set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = form_field(self, name, forms.ModelChoiceField)
        field.queryset = queryset

    def _data(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filter(self, contracts: QuerySet[Contract]) -> QuerySet[Contract]:
        """Every filter but RAG, which needs the performance worked out first."""
        data = self._data()
        query = str(data.get("q") or "").strip()
        if query:
            match = Q(reference__icontains=query) | Q(title__icontains=query)
            if self.officer:
                match |= Q(supplier__name__icontains=query)
            contracts = contracts.filter(match)
        for name in ("status", "lever", "directorate", "supplier", "organisation"):
            if data.get(name):
                contracts = contracts.filter(**{name: data[name]})
        return contracts

    @property
    def rag_wanted(self) -> str:
        return str(self._data().get("rag") or "")

    @property
    def active(self) -> bool:
        data = self._data()
        return any(data.get(name) for name in self.fields)


# --- Registering and editing a contract -------------------------------------------------------


class ContractForm(DateInputsForm):
    """A contract's details. With ``contract=None`` it registers one: the supplier, the
    framework version and the first targets are chosen too."""

    supplier = forms.ModelChoiceField(
        label="Supplier",
        queryset=Organisation.objects.none(),
        empty_label="Select the supplier",
        error_messages={"required": ERR_SUPPLIER, "invalid_choice": ERR_SUPPLIER},
    )
    reference = forms.CharField(
        label="Contract reference",
        max_length=50,
        help_text="Your organisation’s reference, like LCC-2024-031.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": ERR_REFERENCE,
            "max_length": "The reference must be 50 characters or fewer",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": ERR_TITLE,
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    lever = forms.ChoiceField(
        label="How was it let?",
        choices=Contract.Lever.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_LEVER, "invalid_choice": ERR_LEVER},
    )
    directorate = OrganisationChoiceField(
        label="Directorate",
        queryset=Directorate.objects.none(),
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": ERR_DIRECTORATE},
    )
    service_area = OrganisationChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": ERR_SERVICE_AREA},
    )
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Not set"), *Tender.Category.choices],
        required=False,
    )
    value = MoneyField(
        label="Contract value",
        min_value=Decimal("0.01"),
        error_messages={
            "required": ERR_VALUE,
            "invalid": ERR_VALUE_INVALID,
            "min_value": ERR_VALUE_MIN,
        },
    )
    start_date = DayMonthYearField(label="Start date", help_text="For example, 1 4 2025.")
    end_date = DayMonthYearField(
        label="End date",
        help_text="The last day of the contract, including any extension. For example, 31 3 2028.",
    )
    contract_manager = StaffChoiceField(
        label="Contract manager",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not chosen yet",
        help_text="The officer who manages the contract and checks its returns.",
        error_messages={"invalid_choice": ERR_MANAGER},
    )
    framework_version = forms.ModelChoiceField(
        label="Framework version",
        queryset=FrameworkVersion.objects.none(),
        empty_label=None,
        help_text="Targets are valued at this version’s proxy values.",
        error_messages={"required": ERR_VERSION, "invalid_choice": ERR_VERSION},
    )

    UPDATE_FIELDS = (
        "reference",
        "title",
        "lever",
        "directorate",
        "service_area",
        "category",
        "value",
        "start_date",
        "end_date",
        "contract_manager",
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        contract: Contract | None = None,
        **kwargs: Any,
    ) -> None:
        self.organisation = organisation
        self.contract = contract
        if contract is not None:
            kwargs["initial"] = {name: getattr(contract, name) for name in self.UPDATE_FIELDS} | {
                "value": plain(contract.value)
            }
        else:
            current = framework_version_current()
            kwargs["initial"] = {
                "lever": Contract.Lever.PROCUREMENT,
                "framework_version": current.pk if current else None,
            } | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        directorate = form_field(self, "directorate", forms.ModelChoiceField)
        directorate.queryset = Directorate.objects.filter(organisation=organisation).order_by(
            "name"
        )
        area = form_field(self, "service_area", forms.ModelChoiceField)
        area.queryset = (
            ServiceArea.objects.filter(directorate__organisation=organisation)
            .select_related("directorate")
            .order_by("directorate__name", "name")
        )
        manager = form_field(self, "contract_manager", forms.ModelChoiceField)
        manager.queryset = User.objects.filter(
            organisation=organisation,
            is_active=True,
            role__in=[User.Role.LEAD, User.Role.OFFICER],
        ).order_by("full_name", "email")
        if contract is not None:
            del self.fields["supplier"]
            del self.fields["framework_version"]
            return
        supplier = form_field(self, "supplier", forms.ModelChoiceField)
        supplier.queryset = Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).order_by(
            "name"
        )
        version = form_field(self, "framework_version", forms.ModelChoiceField)
        version.queryset = FrameworkVersion.objects.filter(
            status=FrameworkVersion.Status.PUBLISHED
        ).order_by("-published_at")
        codes = self._measure_choices()
        for row in range(1, TARGET_ROWS + 1):
            self.fields[f"target_{row}_measure"] = forms.ChoiceField(
                label="Measure",
                choices=[("", "Select a measure"), *codes],
                required=False,
                error_messages={"invalid_choice": ERR_ROW_CHOICE.format(row=row)},
            )
            self.fields[f"target_{row}_quantity"] = QuantityField(label="Quantity", required=False)

    @staticmethod
    def _measure_choices() -> list[tuple[str, str]]:
        """Measure codes of the published versions, described as the current version has it."""
        current = framework_version_current()
        measures = Measure.objects.filter(version__status=FrameworkVersion.Status.PUBLISHED)
        described: dict[str, str] = {}
        for measure in measures.select_related("theme").order_by(
            "theme__order", "outcome__order", "order"
        ):
            if measure.code not in described or measure.version_id == getattr(current, "pk", None):
                described[measure.code] = f"{measure.code} – {measure.description[:70]}"
        return list(described.items())

    def target_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        if self.contract is not None:
            return []
        return [
            (row, self[f"target_{row}_measure"], self[f"target_{row}_quantity"])
            for row in range(1, TARGET_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        directorate, area = cleaned.get("directorate"), cleaned.get("service_area")
        if area is not None:
            if directorate is None:
                cleaned["directorate"] = area.directorate
            elif area.directorate_id != directorate.pk:
                self.add_error("service_area", ERR_SERVICE_AREA_DIRECTORATE)
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end_date", ERR_END_BEFORE_START)
        if self.contract is None:
            cleaned["targets"] = self._clean_targets(cleaned)
        return cleaned

    def _clean_targets(self, cleaned: dict[str, Any]) -> list[tuple[Measure, Decimal]]:
        version = cleaned.get("framework_version")
        measures = {m.code: m for m in Measure.objects.filter(version=version)} if version else {}
        targets: list[tuple[Measure, Decimal]] = []
        seen: set[str] = set()
        for row in range(1, TARGET_ROWS + 1):
            code = cleaned.get(f"target_{row}_measure") or ""
            quantity = cleaned.get(f"target_{row}_quantity")
            if self[f"target_{row}_quantity"].errors:
                continue
            if not code and quantity is None:
                continue
            if not code:
                self.add_error(f"target_{row}_measure", ERR_ROW_MEASURE.format(row=row))
            elif quantity is None:
                self.add_error(
                    f"target_{row}_quantity", ERR_ROW_QUANTITY.format(row=row, code=code)
                )
            elif code in seen:
                self.add_error(
                    f"target_{row}_measure", ERR_ROW_DUPLICATE.format(row=row, code=code)
                )
            elif version is not None and code not in measures:
                self.add_error(
                    f"target_{row}_measure",
                    ERR_ROW_VERSION.format(row=row, code=code, version=version.name),
                )
            elif version is not None:
                targets.append((measures[code], quantity))
            seen.add(code)
        return targets

    def contract_fields(self) -> dict[str, Any]:
        """The cleaned details under the names ``contract_update`` takes."""
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.UPDATE_FIELDS}
        fields["reference"] = str(data["reference"]).strip()
        fields["title"] = str(data["title"]).strip()
        fields["category"] = data.get("category") or ""
        return fields


# --- Closing ----------------------------------------------------------------------------------


class ContractCloseForm(DateInputsForm):
    outcome = forms.ChoiceField(
        label="How did the contract close?",
        choices=[
            (Contract.Status.ENDED, "It ended at its end date"),
            (Contract.Status.TERMINATED, "It was terminated early"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": ERR_OUTCOME, "invalid_choice": ERR_OUTCOME},
    )
    termination_date = DayMonthYearField(
        label="Termination date",
        required=False,
        help_text="Only if it was terminated: the last day the contract ran. For example, "
        "30 9 2026.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("outcome") == Contract.Status.TERMINATED
            and cleaned.get("termination_date") is None
            and not self["termination_date"].errors
        ):
            self.add_error("termination_date", ERR_TERMINATION_DATE)
        return cleaned
