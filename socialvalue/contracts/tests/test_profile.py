"""A target's quarterly profile: spread evenly by default, editable so long as the quarters
add up to the target exactly; re-spread when the target or the contract's dates change.
Closing a contract: ended, or terminated early."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import User
from socialvalue.contracts.models import Contract, ReportingPeriod, Target, TargetQuarter
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.services import (
    ERR_PROFILE_NEGATIVE,
    ERR_TERMINATE_DATE,
    contract_close,
    contract_update,
    even_split,
    profile_set,
    target_save,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter
from socialvalue.framework.models import FrameworkVersion, Measure

D = Decimal
Q1, Q2, Q3, Q4 = (Quarter(2026, n) for n in (1, 2, 3, 4))  # the financial year 2026-27


def profile(target: Target) -> list[tuple[str, Decimal]]:
    return [
        (tq.period.slug, tq.quantity)
        for tq in TargetQuarter.objects.filter(target=target).select_related("period")
    ]


@pytest.fixture
def three_quarters(make_contract: ContractMaker) -> Contract:
    """April to December 2026: three quarters, with a target of 10 FTE (NT1)."""
    return make_contract(start=Q1.start, end=Q3.end, targets=[("NT1", "10")])


@pytest.fixture
def target(three_quarters: Contract) -> Target:
    return three_quarters.targets.get()


def test_it_splits_evenly_to_six_places_and_the_last_share_takes_the_rest() -> None:
    assert even_split(D("10"), 3) == [D("3.333333"), D("3.333333"), D("3.333334")]
    assert even_split(D("9"), 9) == [D("1")] * 9
    assert even_split(D("0.000001"), 4) == [D("0"), D("0"), D("0"), D("0.000001")]
    assert even_split(D("5"), 0) == []


def test_it_profiles_a_new_target_evenly_and_exactly(target: Target) -> None:
    # 10 ÷ 3 = 3.333333 (rounded down) twice; the last quarter takes 10 − 6.666666.
    assert profile(target) == [
        ("2026-q1", D("3.333333")),
        ("2026-q2", D("3.333333")),
        ("2026-q3", D("3.333334")),
    ]
    assert sum(q for _, q in profile(target)) == D("10")


def test_it_profiles_a_contract_that_starts_and_ends_mid_quarter(
    make_contract: ContractMaker,
) -> None:
    # 15 May 2026 to 10 January 2027 runs in Q1, Q2, Q3 and Q4: 9 ÷ 4 = 2.25 each.
    contract = make_contract(start=date(2026, 5, 15), end=date(2027, 1, 10), targets=[("NT1", "9")])
    assert profile(contract.targets.get()) == [
        ("2026-q1", D("2.25")),
        ("2026-q2", D("2.25")),
        ("2026-q3", D("2.25")),
        ("2026-q4", D("2.25")),
    ]


def test_it_profiles_a_one_day_contract_into_its_quarter(make_contract: ContractMaker) -> None:
    contract = make_contract(
        start=date(2026, 8, 1), end=date(2026, 8, 1), targets=[("NT18", "5000")]
    )
    assert profile(contract.targets.get()) == [("2026-q2", D("5000"))]


def test_it_accepts_a_profile_that_adds_up_exactly(target: Target, officer_alice: User) -> None:
    q1, q2, q3 = period_for(Q1), period_for(Q2), period_for(Q3)
    profile_set(target, {q1: D("0"), q2: D("2.5"), q3: D("7.5")}, by=officer_alice)
    assert profile(target) == [("2026-q1", D("0")), ("2026-q2", D("2.5")), ("2026-q3", D("7.5"))]
    assert TargetQuarter.history.filter(history_user=officer_alice).count() == 3


def test_it_puts_0_in_the_quarters_a_profile_leaves_out(target: Target) -> None:
    profile_set(target, {period_for(Q2): D("10")})
    assert profile(target) == [("2026-q1", D("0")), ("2026-q2", D("10")), ("2026-q3", D("0"))]


def refused(target: Target, quantities: dict[ReportingPeriod, Decimal]) -> list[str]:
    before = profile(target)
    with pytest.raises(ValidationError) as caught:
        profile_set(target, quantities)
    assert profile(target) == before, "a refused profile must change nothing"
    return caught.value.messages


def test_it_refuses_a_profile_that_does_not_add_up(target: Target) -> None:
    q1, q2, q3 = period_for(Q1), period_for(Q2), period_for(Q3)
    # 3.333333 × 3 = 9.999999, one millionth short of 10.
    assert refused(target, {q1: D("3.333333"), q2: D("3.333333"), q3: D("3.333333")}) == [
        "The quarters add up to 9.999999, but the target is 10. Make them add up to the "
        "target exactly."
    ]
    assert refused(target, {q1: D("4"), q2: D("4"), q3: D("4")}) == [
        "The quarters add up to 12, but the target is 10. Make them add up to the target exactly."
    ]


def test_it_refuses_a_negative_quarter(target: Target) -> None:
    q1, q2, q3 = period_for(Q1), period_for(Q2), period_for(Q3)
    # −1 + 11 + 0 = 10: the sum is right, the negative quarter is not.
    assert refused(target, {q1: D("-1"), q2: D("11"), q3: D("0")}) == [ERR_PROFILE_NEGATIVE]
    assert refused(target, {q1: D("-1"), q2: D("-1"), q3: D("12")}) == [ERR_PROFILE_NEGATIVE]


def test_it_refuses_a_quarter_outside_the_contract(target: Target) -> None:
    q1, q2 = period_for(Q1), period_for(Q2)
    assert refused(target, {q1: D("5"), q2: D("3"), period_for(Q4): D("2")}) == [
        "Q4 2026-27 is outside the contract's dates."
    ]


def test_it_refuses_more_than_six_decimal_places(target: Target) -> None:
    q1, q2, q3 = period_for(Q1), period_for(Q2), period_for(Q3)
    # These add up to 10 exactly, but stored to six places they would add up to 9.999999.
    assert refused(target, {q1: D("3.3333333"), q2: D("3.3333333"), q3: D("3.3333334")}) == [
        "A quarter's quantity must have at most 6 decimal places."
    ]


def test_it_profiles_again_when_the_target_changes(target: Target, officer_alice: User) -> None:
    contract = target.contract
    nt1 = target.measure
    profile_set(target, {period_for(Q2): D("10")})

    target_save(contract, nt1, D("10"), by=officer_alice)  # the same quantity: kept as set
    assert profile(target) == [("2026-q1", D("0")), ("2026-q2", D("10")), ("2026-q3", D("0"))]

    target_save(contract, nt1, D("12"), by=officer_alice)
    target.refresh_from_db()
    assert target.quantity == D("12")
    assert target.value == D("375420")  # 12 × £31,285.00
    assert profile(target) == [("2026-q1", D("4")), ("2026-q2", D("4")), ("2026-q3", D("4"))]


def test_it_profiles_a_target_added_later(three_quarters: Contract, toms: FrameworkVersion) -> None:
    nt18 = Measure.objects.get(version=toms, code="NT18")
    added = target_save(three_quarters, nt18, D("30000"))
    assert profile(added) == [
        ("2026-q1", D("10000")),
        ("2026-q2", D("10000")),
        ("2026-q3", D("10000")),
    ]


def test_it_profiles_again_when_the_dates_change(target: Target, officer_alice: User) -> None:
    contract_update(target.contract, end_date=Q4.end, by=officer_alice)
    # Four quarters now: 10 ÷ 4 = 2.5 each.
    assert profile(target) == [
        ("2026-q1", D("2.5")),
        ("2026-q2", D("2.5")),
        ("2026-q3", D("2.5")),
        ("2026-q4", D("2.5")),
    ]
    contract_update(target.contract, start_date=Q2.start, end_date=Q2.end, by=officer_alice)
    assert profile(target) == [("2026-q2", D("10"))]


def test_it_keeps_the_profile_when_other_details_change(target: Target) -> None:
    profile_set(target, {period_for(Q3): D("10")})
    contract_update(target.contract, title="Highways maintenance (renewed)")
    assert profile(target) == [("2026-q1", D("0")), ("2026-q2", D("0")), ("2026-q3", D("10"))]


def test_it_ends_a_contract(target: Target, officer_alice: User) -> None:
    contract = target.contract
    before = profile(target)

    contract_close(contract, status=Contract.Status.ENDED, by=officer_alice)

    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
    assert contract.end_date == Q3.end
    assert profile(target) == before
    assert contract.history.latest().history_user == officer_alice


def test_it_terminates_a_contract_and_drops_the_quarters_after_it(target: Target) -> None:
    contract = target.contract

    contract_close(contract, status=Contract.Status.TERMINATED, end_date=date(2026, 8, 14))

    contract.refresh_from_db()
    assert contract.status == Contract.Status.TERMINATED
    assert contract.end_date == date(2026, 8, 14)
    # Q3 drops out; the whole target is spread over the two quarters it ran in.
    assert profile(target) == [("2026-q1", D("5")), ("2026-q2", D("5"))]


def test_it_terminates_a_contract_on_its_first_or_last_day(
    make_contract: ContractMaker,
) -> None:
    first = make_contract(reference="A", start=Q1.start, end=Q3.end)
    contract_close(first, status=Contract.Status.TERMINATED, end_date=Q1.start)
    last = make_contract(reference="B", start=Q1.start, end=Q3.end)
    contract_close(last, status=Contract.Status.TERMINATED, end_date=Q3.end)
    assert (first.end_date, last.end_date) == (Q1.start, Q3.end)


@pytest.mark.parametrize(
    "end_date",
    [None, date(2026, 3, 31), date(2027, 1, 1)],
    ids=["no date", "before the start", "after the end"],
)
def test_it_refuses_a_termination_date_outside_the_contract(
    target: Target, end_date: date | None
) -> None:
    contract = target.contract
    before = profile(target)
    with pytest.raises(ValidationError) as caught:
        contract_close(contract, status=Contract.Status.TERMINATED, end_date=end_date)
    assert caught.value.message_dict == {"end_date": [ERR_TERMINATE_DATE]}
    contract.refresh_from_db()
    assert (contract.status, contract.end_date) == (Contract.Status.LIVE, Q3.end)
    assert profile(target) == before


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (Contract.Status.ENDED, "This contract is already ended."),
        (Contract.Status.TERMINATED, "This contract is already terminated."),
    ],
)
def test_it_refuses_to_close_a_closed_contract(
    three_quarters: Contract, first: str, message: str
) -> None:
    contract_close(three_quarters, status=first, end_date=date(2026, 12, 1))
    for status in (Contract.Status.ENDED, Contract.Status.TERMINATED):
        with pytest.raises(ValidationError) as caught:
            contract_close(three_quarters, status=status, end_date=date(2026, 6, 1))
        assert caught.value.messages == [message]
    three_quarters.refresh_from_db()
    assert three_quarters.status == first


def test_it_refuses_an_unknown_closing_status(three_quarters: Contract) -> None:
    with pytest.raises(ValueError, match="Unknown closing status"):
        contract_close(three_quarters, status=Contract.Status.LIVE)
    three_quarters.refresh_from_db()
    assert three_quarters.status == Contract.Status.LIVE
