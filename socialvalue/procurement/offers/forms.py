"""Forms of the supplier's offer editor: the bid price, one commitment with its delivery
plan answers, and the completed offer template upload."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from socialvalue.core.forms import form_field
from socialvalue.core.geography import District
from socialvalue.core.money import MONEY, QUANTITY
from socialvalue.framework.calculator import (
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    parse_contract_value,
    parse_quantity,
)
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Tender

MAX_ANSWER_LENGTH = 4000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

ERR_PRICE_REQUIRED = "Enter your bid price"
ERR_PRICE = {
    NOT_A_NUMBER: "Enter the bid price as an amount in pounds, like 1250000 or 1250000.50",
    NOT_FINITE: "Enter the bid price as an amount in pounds, like 1250000 or 1250000.50",
    NOT_POSITIVE: "Enter a bid price of more than £0",
    TOO_LARGE: MONEY.too_large("Bid price"),
    TOO_PRECISE: "Enter the bid price in pounds and pence, like 1250000.50",
}
ERR_MEASURE_REQUIRED = "Choose the measure you are committing to"
ERR_MEASURE_INVALID = "Choose a measure from this tender's menu"
ERR_QUANTITY_REQUIRED = "Enter the quantity you are committing to"
ERR_QUANTITY = {
    NOT_A_NUMBER: "Enter the quantity as a number, like 2.5",
    NOT_FINITE: "Enter the quantity as a number, like 2.5",
    NEGATIVE: "Enter a quantity of more than 0",
    NOT_POSITIVE: "Enter a quantity of more than 0",
    TOO_LARGE: QUANTITY.too_large("Quantity"),
    TOO_PRECISE: QUANTITY.too_precise("Quantity"),
}
ERR_DISTRICT = "Choose a Lancashire district, outside Lancashire, or leave it blank"
ERR_ANSWER_TOO_LONG = "{label} must be {limit:,} characters or fewer"
ERR_FILE_REQUIRED = "Select your completed offer template"
ERR_FILE_EMPTY = "The selected file is empty"
ERR_FILE_TYPE = "The selected file must be an XLSX spreadsheet (.xlsx)"
ERR_FILE_TOO_BIG = "The selected file must be smaller than 5 MB"

ANSWERS: tuple[tuple[str, str, str, str, bool], ...] = (
    (
        "activity",
        "What you will do",
        "The activity, with numbers where you can: for example, recruit 3 apprentices from "
        "Burnley and Pendle through the Lancashire Skills Hub.",
        "Enter what you will do",
        True,
    ),
    (
        "who_delivers",
        "Who will deliver it",
        "The roles, teams or subcontractors responsible, and who is accountable.",
        "Enter who will deliver it",
        True,
    ),
    (
        "timing",
        "When it will happen",
        "When it starts and ends, with milestones over the contract.",
        "Enter when it will happen",
        True,
    ),
    (
        "partners",
        "Partners you will work with",
        "Local organisations, charities, schools or colleges, and whether they have agreed.",
        "",
        False,
    ),
    (
        "evidence",
        "Evidence you will provide",
        "What you will send each quarter to show it happened: for example payroll extracts, "
        "attendance registers or invoices from local suppliers.",
        "Enter the evidence you will provide",
        True,
    ),
)


def _without_separators(text: str) -> str:
    """People type "1,250,000" or "£1 250 000": commas and spaces group digits, £ is implied."""
    return text.replace(",", "").replace(" ", "").removeprefix("£")


def parse_price(text: str) -> Decimal:
    """A bid price typed by a person; raises ``ValidationError`` with the message to show."""
    try:
        price = parse_contract_value(_without_separators(text))
    except AmountError as exc:
        raise ValidationError(ERR_PRICE[exc.kind], code=exc.kind) from None
    return price


def parse_offer_quantity(text: str) -> Decimal:
    """A commitment's quantity: more than 0, within ``core.money.QUANTITY``."""
    try:
        quantity = parse_quantity(_without_separators(text))
    except AmountError as exc:
        raise ValidationError(ERR_QUANTITY[exc.kind], code=exc.kind) from None
    if quantity <= 0:
        raise ValidationError(ERR_QUANTITY[NOT_POSITIVE], code=NOT_POSITIVE)
    return quantity


def live_attrs(url: str, trigger: str, include: str = "") -> dict[str, str]:
    """htmx attributes that refresh the running total (``#running-total``) from ``url``."""
    attrs = {
        "hx-get": url,
        "hx-trigger": trigger,
        "hx-target": "#running-total",
        "hx-swap": "innerHTML",
        "hx-sync": "closest form:replace",
    }
    if include:
        attrs["hx-include"] = include
    return attrs


class PriceForm(forms.Form):
    price = forms.CharField(
        label="Bid price",
        max_length=40,
        error_messages={"required": ERR_PRICE_REQUIRED},
        help_text="The total price of your bid for the whole contract, in pounds. SV Add is "
        "your social value as a percentage of this price.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, live_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if live_url:
            self.fields["price"].widget.attrs.update(
                live_attrs(live_url, "input changed delay:300ms")
            )

    def clean_price(self) -> Decimal:
        return parse_price(self.cleaned_data["price"])


def measure_choices(tender: Tender) -> list[tuple[str, list[tuple[str, str]]]]:
    """The tender's menu grouped by theme, in framework order, for a select's optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    menu = tender.menu.select_related("theme").order_by("theme__order", "order", "code")
    for measure in menu:
        groups.setdefault(measure.theme.name, []).append(
            (str(measure.pk), f"{measure.code}: {measure.description}")
        )
    return list(groups.items())


class CommitmentForm(forms.Form):
    """One commitment: a measure from the menu, a quantity and an optional district, then
    the five delivery plan answers (partners may be left blank)."""

    measure = forms.ChoiceField(
        label="Measure",
        help_text="Choose from the measures this tender asks for.",
        error_messages={"required": ERR_MEASURE_REQUIRED, "invalid_choice": ERR_MEASURE_INVALID},
    )
    quantity = forms.CharField(
        label="Quantity",
        max_length=40,
        error_messages={"required": ERR_QUANTITY_REQUIRED},
        help_text="In the measure's unit, for example 2.5 for two and a half full-time posts.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    target_district = forms.ChoiceField(
        label="Target district",
        required=False,
        choices=[("", "No particular district"), *District.choices],
        error_messages={"invalid_choice": ERR_DISTRICT},
        help_text="Where in Lancashire you will focus this commitment, if anywhere in particular.",
    )

    def __init__(self, *args: Any, tender: Tender, live_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tender = tender
        if live_url:
            include = "#id_measure, #id_quantity"
            self.fields["measure"].widget.attrs.update(live_attrs(live_url, "change", include))
            self.fields["quantity"].widget.attrs.update(
                live_attrs(live_url, "input changed delay:300ms", include)
            )
        form_field(self, "measure", forms.ChoiceField).choices = [
            ("", "Choose a measure"),
            *measure_choices(tender),
        ]
        for name, label, hint, required_message, required in ANSWERS:
            self.fields[name] = forms.CharField(
                label=label,
                help_text=hint,
                required=required,
                max_length=MAX_ANSWER_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "required": required_message,
                    "max_length": ERR_ANSWER_TOO_LONG.format(label=label, limit=MAX_ANSWER_LENGTH),
                },
            )

    @property
    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, *_ in ANSWERS]

    def clean_measure(self) -> Measure:
        value = self.cleaned_data["measure"]
        measure = self.tender.menu.filter(pk=value).select_related("theme").first()
        if measure is None:
            raise ValidationError(ERR_MEASURE_INVALID)
        return measure

    def clean_quantity(self) -> Decimal:
        return parse_offer_quantity(self.cleaned_data["quantity"])


class OfferUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your completed offer template",
        help_text="The offer template for this tender, filled in and saved as an XLSX file "
        "(5 MB at most). It replaces every commitment in your offer.",
        error_messages={"required": ERR_FILE_REQUIRED, "empty": ERR_FILE_EMPTY},
        allow_empty_file=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(ERR_FILE_TYPE)
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(ERR_FILE_TOO_BIG)
        return upload
