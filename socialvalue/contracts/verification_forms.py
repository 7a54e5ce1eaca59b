"""Forms for the officers' verification pages: the returns list's filters and the decision
on one return line.

They only read and check input; the decisions themselves are made by the services in
``contracts/returns.py`` (``line_verify``, ``line_query``, ``line_reject``), which also
insist on a message for a query or a rejection.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from socialvalue.accounts.models import Organisation
from socialvalue.contracts.models import Contract, ReportingPeriod
from socialvalue.core.forms import form_field

ALL_QUARTERS = "all"
MESSAGE_MAX = 5000

ERR_DECISION = "Choose whether to verify, query or reject the line."
ERR_MESSAGE_TOO_LONG = "The message must be 5,000 characters or fewer."


class ReturnState:
    """The states the returns list can be filtered by."""

    TO_VERIFY = "to-verify"
    QUERIED = "queried"
    NOT_SUBMITTED = "not-submitted"
    OVERDUE = "overdue"
    NIL = "nil"
    VERIFIED = "verified"

    CHOICES = [
        ("", "Any state"),
        (TO_VERIFY, "Needs verification"),
        (QUERIED, "Queried, waiting for the supplier"),
        (NOT_SUBMITTED, "Not submitted"),
        (OVERDUE, "Overdue (not submitted, past its due date)"),
        (NIL, "Nil return"),
        (VERIFIED, "Fully verified (no line left to decide)"),
    ]


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.reference} {obj.title} ({obj.supplier.name})"


class ReturnFilterForm(forms.Form):
    """The returns list's filters, read from the query string.

    The form is always bound. A missing or unknown quarter becomes ``default_period`` (the
    latest quarter whose returns can be submitted); other bad values are ignored.
    """

    quarter = forms.ChoiceField(label="Quarter", required=False)
    supplier = forms.ModelChoiceField(
        label="Supplier",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="All suppliers",
    )
    state = forms.ChoiceField(label="State", choices=ReturnState.CHOICES, required=False)
    contract = ContractChoiceField(
        label="Contract",
        queryset=Contract.objects.none(),
        required=False,
        empty_label="All contracts",
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        periods: list[ReportingPeriod],
        default_period: ReportingPeriod,
        suppliers: QuerySet[Organisation],
        contracts: QuerySet[Contract],
    ) -> None:
        if default_period not in periods:
            periods = sorted([*periods, default_period], key=lambda p: p.start_date, reverse=True)
        self.periods = {p.slug: p for p in periods}
        self.default_period = default_period
        data = data.copy()
        if data.get("quarter") not in {ALL_QUARTERS, *self.periods}:
            data["quarter"] = default_period.slug
        super().__init__(data)
        quarter = form_field(self, "quarter", forms.ChoiceField)
        quarter.choices = [
            (ALL_QUARTERS, "All quarters"),
            *((p.slug, p.short_label) for p in periods),
        ]
        supplier = form_field(self, "supplier", forms.ModelChoiceField)
        supplier.queryset = suppliers.order_by("name")
        contract = form_field(self, "contract", ContractChoiceField)
        contract.queryset = contracts.select_related("supplier").order_by("reference", "pk")
        self.is_valid()

    def value(self, name: str) -> Any:
        """The cleaned value of a filter, or None when it was left empty or was not valid."""
        return self.cleaned_data.get(name) or None

    @property
    def period(self) -> ReportingPeriod | None:
        """The chosen quarter; None for all quarters."""
        return self.periods.get(str(self.value("quarter") or self.default_period.slug))

    @property
    def active(self) -> bool:
        """True when the list shows anything other than its default view."""
        return bool(
            self.value("supplier")
            or self.value("state")
            or self.value("contract")
            or self.period != self.default_period
        )


class DecisionForm(forms.Form):
    """An officer's decision on a line awaiting verification."""

    VERIFY = "verify"
    QUERY = "query"
    REJECT = "reject"
    CHOICES = [
        (VERIFY, "Verify: the evidence supports the quantity"),
        (QUERY, "Query: ask the supplier to answer or correct it"),
        (REJECT, "Reject: it does not count as delivered"),
    ]

    decision = forms.ChoiceField(
        label="Your decision",
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_DECISION, "invalid_choice": ERR_DECISION},
    )
    message = forms.CharField(
        label="Message to the supplier",
        help_text=(
            "Optional when you verify. Needed to query or reject the line: the supplier's "
            "users are emailed it."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MESSAGE_MAX,
        strip=False,
        error_messages={"max_length": ERR_MESSAGE_TOO_LONG},
    )
