"""A contract's targets and a target's quarterly profile."""

from decimal import Decimal
from typing import Any

from django import forms

from socialvalue.contracts.contract_forms.fields import QuantityField, plain
from socialvalue.contracts.models import Contract, ReportingPeriod, Target
from socialvalue.core.forms import form_field
from socialvalue.framework.models import Measure

ERR_MEASURE = "Select a measure"


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return f"{obj.code} – {obj.description[:70]} ({obj.unit})"


class TargetAddForm(forms.Form):
    measure = MeasureChoiceField(
        label="Measure",
        queryset=Measure.objects.none(),
        empty_label="Select a measure",
        error_messages={"required": ERR_MEASURE, "invalid_choice": ERR_MEASURE},
    )
    quantity = QuantityField(label="Quantity over the whole contract")

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        kwargs["prefix"] = "add"
        super().__init__(*args, **kwargs)
        field = form_field(self, "measure", forms.ModelChoiceField)
        field.queryset = (
            Measure.objects.filter(version_id=contract.framework_version_id)
            .exclude(targets__contract=contract)
            .order_by("theme__order", "outcome__order", "order")
        )


class TargetChangeForm(forms.Form):
    quantity = QuantityField(label="Quantity")

    def __init__(self, *args: Any, target: Target, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"quantity": plain(target.quantity)})
        kwargs["prefix"] = f"target-{target.pk}"
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["quantity"].label = f"Quantity of {target.measure.code}"


class ProfileForm(forms.Form):
    """One quantity per quarter of the contract."""

    def __init__(
        self,
        *args: Any,
        periods: list[ReportingPeriod],
        quantities: dict[int, Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period in periods:
            self.fields[self.field_name(period)] = QuantityField(
                label=period.short_label,
                initial=plain(quantities.get(period.pk, Decimal(0))),
            )

    @staticmethod
    def field_name(period: ReportingPeriod) -> str:
        return f"q{period.year}_{period.number}"

    def rows(self) -> list[tuple[ReportingPeriod, forms.BoundField]]:
        return [(period, self[self.field_name(period)]) for period in self.periods]

    def quantities(self) -> dict[ReportingPeriod, Decimal]:
        return {p: self.cleaned_data[self.field_name(p)] for p in self.periods}
