"""The fields and helpers the contract forms share: GOV.UK date inputs and quantities."""

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import User
from socialvalue.core.forms import DateInputWidget
from socialvalue.core.money import QUANTITY

ERR_DATE_REQUIRED = "Enter the {label}"
ERR_DATE_MISSING = "The {label} must include a {parts}"
ERR_DATE_REAL = "The {label} must be a real date"
ERR_DATE_YEAR = "The year of the {label} must have 4 digits"
ERR_END_BEFORE_START = "The end date must be the same as or after the start date"
ERR_QUANTITY = "Enter the quantity"
ERR_QUANTITY_INVALID = "The quantity must be a number, like 2 or 1.5"
ERR_QUANTITY_NEGATIVE = "The quantity must be 0 or more"

TARGET_ROWS = 6


def plain(value: Decimal | None) -> str:
    """A decimal as people type it: 1.500000 → "1.5", 9.000000 → "9"."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Fields -----------------------------------------------------------------------------------


class DayMonthYearField(forms.Field):
    """A date typed as day, month and year, with GOV.UK messages naming the date."""

    widget = DateInputWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.name_in_messages = label.lower()
        kwargs.setdefault(
            "error_messages",
            {"required": ERR_DATE_REQUIRED.format(label=self.name_in_messages)},
        )
        super().__init__(label=label, **kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        parts = [str(p or "").strip() for p in [*(value or []), "", "", ""][:3]]
        if not any(parts):
            return None
        label = self.name_in_messages
        missing = [n for n, p in zip(("day", "month", "year"), parts, strict=True) if not p]
        if missing:
            raise ValidationError(ERR_DATE_MISSING.format(label=label, parts=" and ".join(missing)))
        if not all(part.isdigit() for part in parts):
            raise ValidationError(ERR_DATE_REAL.format(label=label))
        if len(parts[2]) != 4:
            raise ValidationError(ERR_DATE_YEAR.format(label=label))
        day, month, year = (int(part) for part in parts)
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(ERR_DATE_REAL.format(label=label)) from None


class QuantityField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
        )
        kwargs.setdefault(
            "error_messages",
            {
                "required": ERR_QUANTITY,
                "invalid": ERR_QUANTITY_INVALID,
                "min_value": ERR_QUANTITY_NEGATIVE,
                **QUANTITY.error_messages("The quantity"),
            },
        )
        super().__init__(max_digits=QUANTITY.digits, decimal_places=QUANTITY.places, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class DateInputsForm(forms.Form):
    """A form with GOV.UK date inputs: gives templates the day, month and year of each."""

    def date_parts(self) -> dict[str, dict[str, str]]:
        """Day, month and year as typed (or as stored) for each date input."""
        parts = {}
        for name, field in self.fields.items():
            if not isinstance(field, DayMonthYearField):
                continue
            if self.is_bound:
                widget = cast(forms.Widget, field.widget)
                values = widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            else:
                values = DateInputWidget().decompress(self.initial.get(name))
            day, month, year = (str(v or "") for v in [*values, "", "", ""][:3])
            parts[name] = {"day": day, "month": month, "year": year}
        return parts


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError against the fields it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
