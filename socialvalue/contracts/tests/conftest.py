"""Contract fixtures. Contracts come from awarded tenders (the procurement fixtures) or are
registered directly with ``make_contract``; returns with ``make_return`` and lines with
``add_line``.

Dates in page and API tests are relative to today (``last_quarter`` is the quarter before
the current one, whose return can be submitted), so the tests do not age.
"""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

import pytest
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import LineInput, line_add
from socialvalue.contracts.services import contract_register
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter, quarter_of
from socialvalue.framework.models import FrameworkVersion, Measure
from socialvalue.procurement.tests.conftest import make_bid, make_tender, panel

__all__ = ["make_bid", "make_tender", "panel"]


class ContractMaker(Protocol):
    def __call__(
        self,
        *,
        reference: str = ...,
        organisation: Organisation | None = ...,
        supplier: Organisation | None = ...,
        start: date | None = ...,
        end: date | None = ...,
        targets: Sequence[tuple[str, str]] = ...,
        value: str = ...,
        lever: str = ...,
        title: str = ...,
        by: User | None = ...,
    ) -> Contract: ...


@pytest.fixture
def this_quarter() -> Quarter:
    return quarter_of(timezone.localdate())


@pytest.fixture
def last_quarter(this_quarter: Quarter) -> Quarter:
    return this_quarter.previous()


@pytest.fixture
def last_period(last_quarter: Quarter, db: None) -> ReportingPeriod:
    return period_for(last_quarter)


@pytest.fixture
def make_contract(
    toms: FrameworkVersion,
    council: Organisation,
    bobs_building: Organisation,
    last_quarter: Quarter,
) -> ContractMaker:
    """A contract registered directly. By default the council's contract with Bob's
    Building, running from four quarters before last quarter to four quarters after it."""

    def make(
        *,
        reference: str = "LCC-TEST-001",
        organisation: Organisation | None = None,
        supplier: Organisation | None = None,
        start: date | None = None,
        end: date | None = None,
        targets: Sequence[tuple[str, str]] = (("NT1", "9"), ("NT18", "90000")),
        value: str = "900000.00",
        lever: str = Contract.Lever.PROCUREMENT,
        title: str = "Highways maintenance",
        by: User | None = None,
    ) -> Contract:
        first = last_quarter
        for _ in range(4):
            first = first.previous()
        final = last_quarter
        for _ in range(4):
            final = final.next()
        measures = {m.code: m for m in Measure.objects.filter(version=toms)}
        return contract_register(
            organisation=organisation or council,
            supplier=supplier or bobs_building,
            reference=reference,
            title=title,
            lever=lever,
            value=Decimal(value),
            start_date=start or first.start,
            end_date=end or final.end,
            framework_version=toms,
            targets=[(measures[code], Decimal(q)) for code, q in targets],
            by=by,
        )

    return make


@pytest.fixture
def make_return(db: None) -> Callable[[Organisation, ReportingPeriod], Return]:
    def make(supplier: Organisation, period: ReportingPeriod) -> Return:
        return_record, _ = Return.objects.get_or_create(supplier=supplier, period=period)
        return return_record

    return make


@pytest.fixture
def add_line(db: None) -> Callable[..., ReturnLine]:
    def add(
        return_record: Return,
        contract: Contract,
        code: str,
        quantity: str,
        *,
        district: str = District.PRESTON.value,
        narrative: str = "",
        by: User | None = None,
    ) -> ReturnLine:
        measure = Measure.objects.get(version=contract.framework_version, code=code)
        return line_add(
            return_record,
            LineInput(contract, measure, Decimal(quantity), district, narrative),
            by=by,
        )

    return add
