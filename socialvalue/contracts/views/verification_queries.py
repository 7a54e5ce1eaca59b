"""Reads behind the officers' returns list: filters, per-state line counts and the summary.

Every count is taken from ``lines_visible_to(user)``, so an officer only ever counts the
lines of their own organisation's contracts, even in a return that also covers another
buyer's contracts.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.selectors import (
    contracts_visible_to,
    lines_visible_to,
    returns_visible_to,
)
from socialvalue.contracts.verification_forms import ReturnFilterForm, ReturnState
from socialvalue.core.quarters import quarter_of

Status = ReturnLine.Status
COUNTED = {
    "n_submitted": Status.SUBMITTED,
    "n_queried": Status.QUERIED,
    "n_verified": Status.VERIFIED,
    "n_rejected": Status.REJECTED,
    "n_draft": Status.DRAFT,
}
OPEN_STATES = [Status.DRAFT, Status.SUBMITTED, Status.QUERIED]


def latest_submittable_period(today: date) -> ReportingPeriod:
    """The most recent quarter that has ended: the latest whose returns can be submitted."""
    return period_for(quarter_of(today).previous())


def filter_form(user: User, data: QueryDict, today: date) -> ReturnFilterForm:
    visible = returns_visible_to(user)
    periods = list(
        ReportingPeriod.objects.filter(pk__in=visible.values("period_id")).order_by("-start_date")
    )
    return ReturnFilterForm(
        data,
        periods=periods,
        default_period=latest_submittable_period(today),
        suppliers=Organisation.objects.filter(pk__in=visible.values("supplier_id")),
        contracts=contracts_visible_to(user),
    )


def _lines_in(scope: QuerySet[ReturnLine], *states: str) -> QuerySet[ReturnLine]:
    return scope.filter(return_record_id=OuterRef("pk"), status__in=states)


def _count(scope: QuerySet[ReturnLine], state: str) -> Coalesce:
    counted = (
        _lines_in(scope, state)
        .order_by()
        .values("return_record_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_line_counts(returns: QuerySet[Return], scope: QuerySet[ReturnLine]) -> QuerySet[Return]:
    """``n_submitted``, ``n_queried``… on each return: its lines in ``scope`` by state."""
    return returns.annotate(**{name: _count(scope, state) for name, state in COUNTED.items()})


def filter_by_state(
    returns: QuerySet[Return], state: str, scope: QuerySet[ReturnLine], today: date
) -> QuerySet[Return]:
    submitted = Return.Status.SUBMITTED
    if state == ReturnState.TO_VERIFY:
        return returns.filter(Exists(_lines_in(scope, Status.SUBMITTED)))
    if state == ReturnState.QUERIED:
        return returns.filter(Exists(_lines_in(scope, Status.QUERIED)))
    if state == ReturnState.NOT_SUBMITTED:
        return returns.filter(status=Return.Status.DRAFT)
    if state == ReturnState.OVERDUE:
        return returns.filter(status=Return.Status.DRAFT, period__due_date__lt=today)
    if state == ReturnState.NIL:
        return returns.filter(status=submitted, is_nil=True)
    if state == ReturnState.VERIFIED:
        decided = _lines_in(scope, Status.VERIFIED, Status.REJECTED)
        return returns.filter(status=submitted).filter(
            Exists(decided), ~Exists(_lines_in(scope, *OPEN_STATES))
        )
    return returns


def filtered_returns(user: User, form: ReturnFilterForm, today: date) -> QuerySet[Return]:
    """The returns the list shows, each with the counts of the officer's lines by state."""
    returns = returns_visible_to(user)
    scope = lines_visible_to(user)
    period = form.period
    if period is not None:
        returns = returns.filter(period=period)
    supplier = form.value("supplier")
    if supplier is not None:
        returns = returns.filter(supplier=supplier)
    contract: Contract | None = form.value("contract")
    if contract is not None:
        returns = returns.filter(
            supplier_id=contract.supplier_id,
            period__start_date__lte=contract.end_date,
            period__end_date__gte=contract.start_date,
        )
        scope = scope.filter(contract=contract)
    returns = filter_by_state(returns, form.value("state") or "", scope, today)
    return with_line_counts(returns, scope).order_by("-period__start_date", "supplier__name", "pk")


@dataclass(frozen=True)
class Summary:
    """What waits for the officer's organisation, across every quarter."""

    to_verify: int
    to_verify_returns: int
    queried: int
    overdue: int


def summary_for(user: User, today: date) -> Summary:
    lines = lines_visible_to(user)
    awaiting = lines.filter(status=Status.SUBMITTED)
    return Summary(
        to_verify=awaiting.count(),
        to_verify_returns=awaiting.values("return_record_id").distinct().count(),
        queried=lines.filter(status=Status.QUERIED).count(),
        overdue=returns_visible_to(user)
        .filter(status=Return.Status.DRAFT, period__due_date__lt=today)
        .count(),
    )


@dataclass(frozen=True)
class Timing:
    label: str
    css: str


def timing_of(return_record: Return, today: date) -> Timing:
    """When the return came in: on time, late, not yet, or overdue."""
    on_time = return_record.submitted_on_time
    if on_time is True:
        return Timing("On time", "govuk-tag--green")
    if on_time is False:
        return Timing("Late", "govuk-tag--orange")
    if return_record.period.due_date < today:
        return Timing("Overdue", "govuk-tag--red")
    return Timing("Not yet", "govuk-tag--grey")


@dataclass(frozen=True)
class ReturnRow:
    record: Return
    timing: Timing
