"""Form helpers shared by every app: a typed field lookup, and the money, percentage, date
and time fields (with their GOV.UK widgets and messages) that officers' forms use."""

import re
from datetime import date, time
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError

from socialvalue.core.money import MONEY

FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field ``name``, typed as ``kind``; a programming error if it is not one."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise ImproperlyConfigured(
            f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}"
        )
    return field


# --- Fields shared by the officers' forms -------------------------------------------------------

ERR_PERCENT_REQUIRED = "Enter the {label}"
ERR_PERCENT_INVALID = "{label} must be a number, like 10 or 12.5"
ERR_PERCENT_RANGE = "{label} must be between 0% and 100%"
ERR_DATE_MISSING = "Deadline date must include a {parts}"
ERR_DATE_REAL = "Deadline date must be a real date"
ERR_DATE_YEAR = "Year must include 4 numbers"
ERR_TIME_INVALID = "Enter the deadline time as hours and minutes on the 24-hour clock, like 17:30"

MONEY_PATTERN = re.compile(r"[£,\s]")
TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")


class MoneyField(forms.DecimalField):
    """Pounds and pence, accepting "£250,000" as well as "250000"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["error_messages"] = {
            **MONEY.error_messages(kwargs.get("label") or "The amount"),
            **kwargs.get("error_messages", {}),
        }
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
        )
        super().__init__(max_digits=MONEY.digits, decimal_places=MONEY.places, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = MONEY_PATTERN.sub("", value)
        return super().to_python(value)


class PercentField(forms.DecimalField):
    """A percentage from 0 to 100, accepting "12.5%" as well as "12.5"."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        name = label[:1].upper() + label[1:]
        # Range messages go through "%" formatting with the validator's limit: escape "%".
        out_of_range = ERR_PERCENT_RANGE.format(label=name).replace("%", "%%")
        kwargs.setdefault(
            "error_messages",
            {
                "required": ERR_PERCENT_REQUIRED.format(label=label.lower()),
                "invalid": ERR_PERCENT_INVALID.format(label=name),
                "min_value": out_of_range,
                "max_value": out_of_range,
                "max_digits": out_of_range,
                "max_decimal_places": ERR_PERCENT_INVALID.format(label=name),
                "max_whole_digits": out_of_range,
            },
        )
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
        )
        super().__init__(
            label=name,
            min_value=Decimal(0),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace("%", "").strip()
        return super().to_python(value)


class DateInputWidget(forms.MultiWidget):
    """Day, month and year as three inputs; laid out by ``tenders/_deadline.html``."""

    def __init__(self) -> None:
        text = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__(
            widgets={
                "day": forms.TextInput(attrs=text),
                "month": forms.TextInput(attrs=text),
                "year": forms.TextInput(attrs=text),
            }
        )

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK error messages."""

    widget = DateInputWidget

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        parts = [str(p or "").strip() for p in [*(value or []), "", "", ""][:3]]
        if not any(parts):
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValidationError(ERR_DATE_MISSING.format(parts=" and ".join(missing)))
        if not all(part.isdigit() for part in parts):
            raise ValidationError(ERR_DATE_REAL)
        if len(parts[2]) != 4:
            raise ValidationError(ERR_DATE_YEAR)
        day, month, year = (int(part) for part in parts)
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(ERR_DATE_REAL) from None


class TimeOfDayField(forms.CharField):
    """A time typed as HH:MM on the 24-hour clock ("9:30" and "09.30" are accepted too)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        )
        super().__init__(max_length=5, **kwargs)

    def clean(self, value: Any) -> time | None:
        text = super().clean(value)
        if not text:
            return None
        match = TIME_PATTERN.match(text.strip())
        if not match:
            raise ValidationError(ERR_TIME_INVALID)
        hours, minutes = int(match[1]), int(match[2])
        if hours > 23 or minutes > 59:
            raise ValidationError(ERR_TIME_INVALID)
        return time(hours, minutes)
