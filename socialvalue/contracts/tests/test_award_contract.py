"""A contract made from an awarded bid: its terms and one target per measure, exactly valued."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, Target
from socialvalue.contracts.services import (
    ERR_END_BEFORE_START,
    contract_create_from_bid,
    target_value,
)
from socialvalue.framework.models import Measure
from socialvalue.procurement.models import Bid, Commitment, Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker

# The procurement app's fixtures build the tender and the bid.

START = date(2025, 4, 1)
END = date(2028, 3, 31)


@pytest.fixture
def bid(make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation) -> Bid:
    tender = make_tender(status=Tender.Status.EVALUATED, deadline_in=timedelta(days=-1))
    return make_bid(
        tender,
        bobs_building,
        price="750000.00",
        lines=[
            ("NT1", "1.25", 4),
            ("NT18", "120000", 3),
            ("NT1", "0.75", 3),
            ("NT41", "95", 4),  # no proxy value: a target worth £0
            ("NT4", "0.000001", 3),  # £15,382.90 × 0.000001 = £0.0153829
        ],
    )


def rows(contract: Contract) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (t.measure.code, t.quantity, t.value)
        for t in Target.objects.filter(contract=contract).order_by("measure__code")
    ]


def test_it_creates_the_contract_with_one_target_per_measure(bid: Bid, officer_alice: User) -> None:
    contract = contract_create_from_bid(
        bid=bid,
        start_date=START,
        end_date=END,
        commitments=list(bid.commitments.all()),
        contract_manager=officer_alice,
        by=officer_alice,
    )
    # NT1: 1.25 + 0.75 = 2 FTE × £31,285.00 = £62,570; NT18: 120,000 × £1.00.
    # NT4: 0.000001 × £15,382.90 = 0.0153829, exactly.
    assert rows(contract) == [
        ("NT1", Decimal("2.000000"), Decimal("62570.000000")),
        ("NT18", Decimal("120000.000000"), Decimal("120000.000000")),
        ("NT4", Decimal("0.000001"), Decimal("0.0153829")),
        ("NT41", Decimal("95.000000"), Decimal("0.000000")),
    ]
    contract.refresh_from_db()
    assert contract.value == Decimal("750000.00")
    assert contract.contract_manager == officer_alice
    assert contract.status == Contract.Status.LIVE
    assert contract.category == bid.tender.category
    assert Target.history.filter(history_user=officer_alice).count() == 4


def test_it_values_the_largest_target_exactly(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=Tender.Status.EVALUATED, deadline_in=timedelta(days=-1))
    bid = make_bid(tender, bobs_building, lines=[("NT1", "999999999.999999", 4)])
    contract = contract_create_from_bid(
        bid=bid, start_date=START, end_date=END, commitments=list(bid.commitments.all())
    )
    # 999,999,999.999999 × £31,285.00: 25 digits, more than SQLite keeps, so worked out.
    assert rows(contract) == [
        ("NT1", Decimal("999999999.999999"), Decimal("31284999999999.968715")),
    ]


def test_it_refuses_commitments_adding_up_to_more_than_a_target_holds(
    make_tender: TenderMaker, make_bid: BidMaker, bobs_building: Organisation
) -> None:
    tender = make_tender(status=Tender.Status.EVALUATED, deadline_in=timedelta(days=-1))
    bid = make_bid(
        tender, bobs_building, lines=[("NT18", "600000000", 4), ("NT18", "400000000", 4)]
    )
    with pytest.raises(ValidationError) as refused:
        contract_create_from_bid(
            bid=bid, start_date=START, end_date=END, commitments=list(bid.commitments.all())
        )
    assert refused.value.messages == [
        "The offer's commitments to NT18 add up to more than a target can hold "
        "(999,999,999.999999)."
    ]
    assert not Contract.objects.exists()


def test_it_values_a_target_exactly() -> None:
    nt1 = Measure(code="NT1", proxy_value=Decimal("31285.00"))
    assert target_value(Decimal("2.5"), nt1) == Decimal("78212.500")
    assert target_value(Decimal("3"), Measure(code="NT41", proxy_value=None)) == Decimal(0)


def test_it_creates_no_targets_without_counted_commitments(bid: Bid) -> None:
    contract = contract_create_from_bid(bid=bid, start_date=START, end_date=END, commitments=[])
    assert rows(contract) == []


def test_it_refuses_bad_terms_and_creates_nothing(
    bid: Bid, officer_olga: User, supplier_bob: User
) -> None:
    for manager in (officer_olga, supplier_bob):
        with pytest.raises(ValidationError) as caught:
            contract_create_from_bid(
                bid=bid,
                start_date=START,
                end_date=START - timedelta(days=1),
                commitments=list(bid.commitments.all()),
                contract_manager=manager,
            )
        assert caught.value.message_dict == {
            "end_date": [ERR_END_BEFORE_START],
            "contract_manager": [
                "The contract manager must be a member of staff of Lancashire County Council."
            ],
        }
    assert not Contract.objects.exists()
    assert not Target.objects.exists()


def test_it_refuses_a_second_contract_for_the_same_reference_or_bid(bid: Bid) -> None:
    commitments: list[Commitment] = list(bid.commitments.all())
    contract_create_from_bid(bid=bid, start_date=START, end_date=END, commitments=commitments)
    with pytest.raises(ValidationError) as caught:
        contract_create_from_bid(bid=bid, start_date=START, end_date=END, commitments=commitments)
    assert caught.value.messages == [f"This offer already has a contract ({bid.tender.reference})."]
    assert Contract.objects.count() == 1
