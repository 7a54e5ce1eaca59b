"""Forms of the supplier's quarterly return: a line, an answer to a query, evidence, the
submission (with the nil return confirmation) and the completed template upload.

The forms only check what a person typed; the services (``returns``, ``evidence``,
``imports``) decide whether the change is allowed and give the messages for the rest.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from socialvalue.contracts.evidence import ACCEPT_ATTRIBUTE, ALLOWED_LABELS, human_size
from socialvalue.contracts.imports import MAX_NARRATIVE
from socialvalue.contracts.models import Contract
from socialvalue.contracts.return_xlsx import MAX_UPLOAD_BYTES
from socialvalue.contracts.returns import LineInput
from socialvalue.core.forms import form_field
from socialvalue.core.geography import District
from socialvalue.core.money import QUANTITY
from socialvalue.framework.calculator import (
    NEGATIVE,
    NOT_A_NUMBER,
    NOT_FINITE,
    TOO_LARGE,
    TOO_PRECISE,
    AmountError,
    parse_quantity,
)
from socialvalue.framework.models import Measure

MAX_MESSAGE = 4000
UPLOAD_ACCEPT = ".xlsx,.csv"

ERR_CONTRACT_REQUIRED = "Choose the contract this line reports on"
ERR_CONTRACT_INVALID = "Choose one of your contracts that ran in this quarter"
ERR_MEASURE_REQUIRED = "Choose the measure you delivered against"
ERR_MEASURE_INVALID = "Choose a measure from the list"
ERR_MEASURE_VERSION = "{code} is not a measure of {version}, the framework of contract {reference}"
ERR_QUANTITY_REQUIRED = "Enter the quantity you delivered this quarter"
ERR_QUANTITY = {
    NOT_A_NUMBER: "Enter the quantity as a number, like 2.5",
    NOT_FINITE: "Enter the quantity as a number, like 2.5",
    NEGATIVE: "Enter a quantity of 0 or more",
    TOO_LARGE: QUANTITY.too_large("Quantity"),
    TOO_PRECISE: QUANTITY.too_precise("Quantity"),
}
ERR_DISTRICT_REQUIRED = "Choose the district where it was delivered, or outside Lancashire"
ERR_DISTRICT_INVALID = "Choose one of the 14 Lancashire districts, or outside Lancashire"
ERR_NARRATIVE_LONG = "The narrative must be {limit:,} characters or fewer"
ERR_ANSWER_REQUIRED = "Answer the query: say what you changed or why the line is right"
ERR_ANSWER_LONG = "The answer must be {limit:,} characters or fewer"
ERR_EVIDENCE_REQUIRED = "Select a file to upload"
ERR_UPLOAD_REQUIRED = "Select your completed return spreadsheet or CSV file"
ERR_UPLOAD_EMPTY = "The selected file is empty"
ERR_UPLOAD_TOO_BIG = "The selected file is {size}; it must be {limit} or smaller"
ERR_NIL_REQUIRED = "Confirm that you have nothing to report this quarter, or add a line first"


def parse_line_quantity(text: str) -> Decimal:
    """A delivered quantity as typed: 0 or more, commas and spaces allowed between digits."""
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        return parse_quantity(cleaned)
    except AmountError as exc:
        raise ValidationError(ERR_QUANTITY[exc.kind], code=exc.kind) from None


def contract_choices(contracts: Iterable[Contract]) -> list[tuple[str, str]]:
    return [(str(c.pk), f"{c.reference}: {c.title} ({c.organisation.name})") for c in contracts]


def measure_choices(
    measures: Iterable[Measure], *, several_versions: bool
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Measures grouped by theme (and framework version when contracts use more than one),
    in framework order, for a select's option groups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for measure in measures:
        group = measure.theme.name
        if several_versions:
            group = f"{measure.version.name}: {group}"
        groups.setdefault(group, []).append(
            (str(measure.pk), f"{measure.code}: {measure.description} ({measure.unit})")
        )
    return list(groups.items())


def measures_for(contracts: Iterable[Contract]) -> list[Measure]:
    version_ids = {c.framework_version_id for c in contracts}
    return list(
        Measure.objects.filter(version_id__in=version_ids)
        .select_related("theme", "version")
        .order_by("version_id", "theme__order", "outcome__order", "order", "code")
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the fields it names (the rest on the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class LineForm(forms.Form):
    """One line of a return: a contract of the quarter, a measure of that contract's
    framework, the quantity delivered, where, and what was done."""

    contract = forms.ChoiceField(
        label="Contract",
        error_messages={"required": ERR_CONTRACT_REQUIRED, "invalid_choice": ERR_CONTRACT_INVALID},
    )
    measure = forms.ChoiceField(
        label="Measure",
        help_text="The measure of your contract's framework that this delivery counts towards.",
        error_messages={"required": ERR_MEASURE_REQUIRED, "invalid_choice": ERR_MEASURE_INVALID},
    )
    quantity = forms.CharField(
        label="Quantity delivered this quarter",
        max_length=40,
        help_text="In the measure's unit: for example 2.5 for two and a half full-time people.",
        error_messages={"required": ERR_QUANTITY_REQUIRED},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    district = forms.ChoiceField(
        label="District",
        help_text="The Lancashire district where the people or spending were, or outside "
        "Lancashire.",
        choices=[("", "Choose a district"), *District.choices],
        error_messages={"required": ERR_DISTRICT_REQUIRED, "invalid_choice": ERR_DISTRICT_INVALID},
    )
    narrative = forms.CharField(
        label="What you did",
        required=False,
        max_length=MAX_NARRATIVE,
        help_text="A short description the council can check against your evidence: who, "
        "what and when.",
        error_messages={"max_length": ERR_NARRATIVE_LONG.format(limit=MAX_NARRATIVE)},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, contracts: list[Contract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contracts = {c.pk: c for c in contracts}
        self.measures = {m.pk: m for m in measures_for(contracts)}
        several = len({c.framework_version_id for c in contracts}) > 1
        contract_field = form_field(self, "contract", forms.ChoiceField)
        measure_field = form_field(self, "measure", forms.ChoiceField)
        contract_field.choices = [("", "Choose a contract"), *contract_choices(contracts)]
        measure_field.choices = [
            ("", "Choose a measure"),
            *measure_choices(self.measures.values(), several_versions=several),
        ]

    def clean_contract(self) -> Contract:
        value = self.cleaned_data["contract"]
        contract = self.contracts.get(int(value)) if str(value).isdigit() else None
        if contract is None:
            raise ValidationError(ERR_CONTRACT_INVALID)
        return contract

    def clean_measure(self) -> Measure:
        value = self.cleaned_data["measure"]
        measure = self.measures.get(int(value)) if str(value).isdigit() else None
        if measure is None:
            raise ValidationError(ERR_MEASURE_INVALID)
        return measure

    def clean_quantity(self) -> Decimal:
        return parse_line_quantity(self.cleaned_data["quantity"])

    def clean_narrative(self) -> str:
        return str(self.cleaned_data["narrative"]).replace("\x00", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contract, measure = data.get("contract"), data.get("measure")
        if (
            isinstance(contract, Contract)
            and isinstance(measure, Measure)
            and measure.version_id != contract.framework_version_id
        ):
            self.add_error(
                "measure",
                ERR_MEASURE_VERSION.format(
                    code=measure.code,
                    version=contract.framework_version,
                    reference=contract.reference,
                ),
            )
        return data

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            contract=data["contract"],
            measure=data["measure"],
            quantity=data["quantity"],
            district=data["district"],
            narrative=data["narrative"],
        )


class AnswerForm(forms.Form):
    message = forms.CharField(
        label="Your answer",
        max_length=MAX_MESSAGE,
        help_text="Say what you changed, or why the line is right as it is. The officer who "
        "queried it will read this.",
        error_messages={
            "required": ERR_ANSWER_REQUIRED,
            "max_length": ERR_ANSWER_LONG.format(limit=MAX_MESSAGE),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": ERR_EVIDENCE_REQUIRED},
        # Empty files get the service's own message, naming the file.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"One {ALLOWED_LABELS} file at a time, of {human_size(max_bytes)} or less. Its "
            "content is checked, and its name must match what it contains."
        )


class SubmitForm(forms.Form):
    """The submission; ``nil`` is offered only for a return with no lines."""

    nil = forms.BooleanField(
        label="We have nothing to report this quarter",
        required=False,
        help_text="Submit a nil return: none of your contracts delivered social value in this "
        "quarter.",
    )

    def __init__(self, *args: Any, offer_nil: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_nil = offer_nil
        if not offer_nil:
            del self.fields["nil"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.offer_nil and not data.get("nil"):
            self.add_error("nil", ERR_NIL_REQUIRED)
        return data


class ReturnUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your completed return",
        help_text="The return template filled in and saved as an Excel workbook (.xlsx), or "
        "a CSV file in UTF-8 with the same headings. 5 MB at most.",
        error_messages={"required": ERR_UPLOAD_REQUIRED, "empty": ERR_UPLOAD_EMPTY},
        allow_empty_file=False,
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        size = upload.size or 0
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                ERR_UPLOAD_TOO_BIG.format(size=human_size(size), limit=human_size(MAX_UPLOAD_BYTES))
            )
        return upload
