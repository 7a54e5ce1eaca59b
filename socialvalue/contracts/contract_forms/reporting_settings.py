"""The social value lead's reporting settings."""

from decimal import Decimal
from typing import Any

from django import forms

from socialvalue.contracts.contract_forms.fields import plain
from socialvalue.contracts.models import ReportingSettings

ERR_DAYS = "Enter the number of days"
ERR_DAYS_RANGE = "{label} must be a whole number from {low} to {high}"
ERR_PERCENT = "Enter the {label} threshold"
ERR_PERCENT_INVALID = "The {label} threshold must be a number, like 90 or 87.5"
ERR_PERCENT_RANGE = "The {label} threshold must be between 0% and 1000%"
ERR_AMBER_ABOVE_GREEN = "The amber threshold must not be above the green one"


def _days_field(label: str, low: int, high: int, help_text: str) -> forms.IntegerField:
    out_of_range = ERR_DAYS_RANGE.format(label=label, low=low, high=high)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": ERR_DAYS,
            "invalid": out_of_range,
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
    )


def _threshold_field(colour: str, help_text: str) -> forms.DecimalField:
    out_of_range = ERR_PERCENT_RANGE.format(label=colour).replace("%", "%%")
    return forms.DecimalField(
        label=f"{colour.capitalize()} at or above",
        min_value=Decimal(0),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": ERR_PERCENT.format(label=colour),
            "invalid": ERR_PERCENT_INVALID.format(label=colour),
            "min_value": out_of_range,
            "max_value": out_of_range,
            "max_digits": out_of_range,
            "max_whole_digits": out_of_range,
            "max_decimal_places": ERR_PERCENT_INVALID.format(label=colour),
        },
    )


class ReportingSettingsForm(forms.Form):
    return_due_days = _days_field(
        "Return due",
        1,
        120,
        "A quarter’s return is due this many days after the quarter ends (1 to 120).",
    )
    reminder_days = _days_field(
        "First reminder",
        1,
        60,
        "Suppliers are reminded when their return is due within this many days (1 to 60).",
    )
    rag_green_percent = _threshold_field(
        "green", "A contract is green when it has delivered at least this % of its pro-rata target."
    )
    rag_amber_percent = _threshold_field(
        "amber",
        "Amber at or above this %, red below it. It must not be above the green threshold.",
    )

    FIELDS = ("return_due_days", "reminder_days", "rag_green_percent", "rag_amber_percent")

    def __init__(self, *args: Any, current: ReportingSettings, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "return_due_days": current.return_due_days,
            "reminder_days": current.reminder_days,
            "rag_green_percent": plain(current.rag_green_percent),
            "rag_amber_percent": plain(current.rag_amber_percent),
        }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        green, amber = cleaned.get("rag_green_percent"), cleaned.get("rag_amber_percent")
        if green is not None and amber is not None and amber > green:
            self.add_error("rag_amber_percent", ERR_AMBER_ABOVE_GREEN)
        return cleaned

    def settings_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
