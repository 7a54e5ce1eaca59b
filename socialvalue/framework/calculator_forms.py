"""The public calculator form: a contract value and one quantity box per measure."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from socialvalue.core.money import format_gbp_exact
from socialvalue.framework.calculator import (
    CALCULATOR_MONEY,
    CALCULATOR_QUANTITY,
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    CommitmentInput,
    MeasureInfo,
    parse_contract_value,
    parse_quantity,
)

CONTRACT_VALUE_FIELD = "contract_value"

ERR_QUANTITY = {
    NOT_A_NUMBER: "Enter the quantity for {code} as a number, like 2.5",
    NOT_FINITE: "Enter the quantity for {code} as a number, like 2.5",
    NEGATIVE: "Enter a number of 0 or more for {code}",
    TOO_LARGE: "Enter a quantity for {code} with no more than 15 digits before the decimal point",
    TOO_PRECISE: "Enter a quantity for {code} with no more than 6 decimal places",
}
ERR_CONTRACT_VALUE = {
    NOT_A_NUMBER: "Enter the contract value as an amount in pounds, like 250000 or 250000.50",
    NOT_FINITE: "Enter the contract value as an amount in pounds, like 250000 or 250000.50",
    NOT_POSITIVE: "Enter a contract value of more than £0",
    TOO_LARGE: "Enter a contract value with no more than 15 digits before the decimal point",
    TOO_PRECISE: "Enter the contract value in pounds and pence, like 250000.50",
}


def _without_separators(text: str) -> str:
    """People type "1,500" or "£250,000": commas and spaces group digits, £ is implied."""
    return text.replace(",", "").replace(" ", "").removeprefix("£")


class QuantityField(forms.CharField):
    """A quantity of one measure: blank (not offered) or a number of 0 or more."""

    def __init__(self, *, code: str, **kwargs: Any) -> None:
        self.code = code
        super().__init__(required=False, label=f"Quantity for {code}", **kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_quantity(_without_separators(text), CALCULATOR_QUANTITY)
        except AmountError as exc:
            raise ValidationError(
                ERR_QUANTITY[exc.kind].format(code=self.code), code=exc.kind
            ) from None


class ContractValueField(forms.CharField):
    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_contract_value(_without_separators(text), CALCULATOR_MONEY)
        except AmountError as exc:
            raise ValidationError(ERR_CONTRACT_VALUE[exc.kind], code=exc.kind) from None


@dataclass
class MeasureRow:
    info: MeasureInfo
    field: forms.BoundField
    proxy_display: str


@dataclass
class ThemeRows:
    name: str
    rows: list[MeasureRow] = field(default_factory=list)


def _proxy_display(proxy: Decimal | None) -> str:
    """£ per unit to the penny, or in full when a proxy value is finer than a penny."""
    if proxy is None:
        return "No proxy value"
    return format_gbp_exact(proxy)


class CalculatorForm(forms.Form):
    """Field names are the measure codes (``NT1``), so ``?NT1=2.5`` pre-fills the form."""

    contract_value = ContractValueField(
        required=False,
        label="Contract value",
        help_text=(
            "The total value of the contract, in pounds. It is used to work out SV Add: "
            "the social value as a percentage of the contract value."
        ),
    )

    def __init__(self, *args: Any, measures: Mapping[str, MeasureInfo], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "calc-%s")
        super().__init__(*args, **kwargs)
        self.measures = measures
        for code in measures:
            self.fields[code] = QuantityField(code=code)

    @classmethod
    def field_names(cls, measures: Mapping[str, MeasureInfo]) -> set[str]:
        return {CONTRACT_VALUE_FIELD, *measures}

    def themes(self) -> list[ThemeRows]:
        """The measures grouped by theme, in framework order, each with its quantity box."""
        themes: dict[str, ThemeRows] = {}
        for code, info in self.measures.items():
            theme = themes.setdefault(info.theme, ThemeRows(name=info.theme))
            theme.rows.append(MeasureRow(info, self[code], _proxy_display(info.proxy_value)))
        return list(themes.values())

    def commitments(self) -> list[CommitmentInput]:
        """The measures given a quantity (0 counts), in framework order. Call after is_valid."""
        return [
            CommitmentInput(measure=code, quantity=self.cleaned_data[code])
            for code in self.measures
            if self.cleaned_data.get(code) is not None
        ]
