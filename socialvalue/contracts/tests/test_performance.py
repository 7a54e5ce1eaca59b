"""How a contract is doing, worked out by hand.

The contract: the council and Bob's Building, 1 April 2024 to 30 June 2026 — nine quarters,
Q1 2024-25 to Q1 2026-27. Its targets:

- NT1, 9 FTE local employees at £31,285.00 each: 1 FTE a quarter, £281,565 in all;
- NT18, £90,000 spent locally at £1.00 per £1: £10,000 a quarter.

On 31 January 2025 the due dates of Q1 (30 July 2024), Q2 (30 October 2024) and Q3
(30 January 2025) have passed, so three quarters are due: 3 FTE (£93,855) and £30,000,
£123,855 in all.
"""

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingSettings, Return, ReturnLine
from socialvalue.contracts.performance import (
    Rag,
    contract_performance,
    performance_for,
    quarters_of,
)
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_query, line_reject, line_verify, return_submit
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter

D = Decimal
S = ReturnLine.Status
AS_OF = date(2025, 1, 31)
Q1, Q2, Q3, Q4 = (Quarter(2024, n) for n in (1, 2, 3, 4))  # the financial year 2024-25
Report = Callable[..., Return]


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract(start=date(2024, 4, 1), end=date(2026, 6, 30))


@pytest.fixture
def report(
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    supplier_bob: User,
    officer_alice: User,
) -> Report:
    """``report(contract, quarter, [(code, quantity, status), ...])``: Bob's return for the
    quarter with those lines, submitted the day after the quarter ended and decided."""

    def make(contract: Contract, quarter: Quarter, lines: Sequence[tuple[str, str, str]]) -> Return:
        return_record = make_return(contract.supplier, period_for(quarter))
        added = [(add_line(return_record, contract, c, q), s) for c, q, s in lines]
        return_submit(
            return_record, by=supplier_bob, nil=not lines, today=quarter.end + timedelta(days=1)
        )
        for line, status in added:
            if status == S.VERIFIED:
                line_verify(line, by=officer_alice)
            elif status == S.QUERIED:
                line_query(line, by=officer_alice, message="Which district?")
            elif status == S.REJECTED:
                line_reject(line, by=officer_alice, message="Not this contract.")
        return return_record

    return make


def by_code(perf: Any) -> dict[str, Any]:
    return {m.measure.code: m for m in perf.measures}


def set_thresholds(green: str, amber: str) -> None:
    settings_row = ReportingSettings.current()
    settings_row.rag_green_percent = D(green)
    settings_row.rag_amber_percent = D(amber)
    settings_row.save()


def test_it_counts_the_quarters_whose_due_date_has_passed(contract: Contract) -> None:
    perf = contract_performance(contract, as_of=AS_OF)
    nt1, nt18 = by_code(perf)["NT1"], by_code(perf)["NT18"]

    assert [p.slug for p in perf.reported_periods] == ["2024-q1", "2024-q2", "2024-q3"]
    assert (nt1.target_quantity, nt1.target_value) == (D("9"), D("281565"))
    assert (nt1.due_quantity, nt1.due_value) == (D("3"), D("93855"))
    assert (nt18.due_quantity, nt18.due_value) == (D("30000"), D("30000"))
    assert (nt1.delivered_quantity, nt1.percent, nt1.rag) == (D("0"), D("0"), Rag.RED)
    assert (perf.target_value, perf.due_value, perf.delivered_value) == (
        D("371565"),
        D("123855"),
        D("0"),
    )
    assert (perf.percent, perf.rag, perf.rag_label) == (D("0"), Rag.RED, "Red")


def test_it_does_not_count_a_quarter_on_its_due_date(contract: Contract) -> None:
    # Q3's return is due on 30 January 2025: on that day only Q1 and Q2 are due.
    perf = contract_performance(contract, as_of=date(2025, 1, 30))
    assert by_code(perf)["NT1"].due_quantity == D("2")
    assert perf.due_value == D("82570")  # 2 × £31,285 + 2 × £10,000


def test_it_counts_a_quarter_as_soon_as_its_return_is_submitted(
    contract: Contract, report: Report
) -> None:
    # Submitted on 1 January 2025, four weeks before it was due.
    report(contract, Q3, [])
    perf = contract_performance(contract, as_of=date(2025, 1, 2))
    assert [p.slug for p in perf.reported_periods] == ["2024-q1", "2024-q2", "2024-q3"]
    assert by_code(perf)["NT1"].due_quantity == D("3")


def test_it_says_not_yet_due_before_the_first_return_is_due(contract: Contract) -> None:
    perf = contract_performance(contract, as_of=date(2024, 7, 30))
    assert perf.reported_periods == []
    assert [(m.due_quantity, m.percent, m.rag) for m in perf.measures] == [
        (D("0"), None, Rag.NOT_DUE),
        (D("0"), None, Rag.NOT_DUE),
    ]
    assert (perf.percent, perf.rag, perf.rag_label) == (None, Rag.NOT_DUE, "Not yet due")


def test_it_counts_only_verified_lines_as_delivered(contract: Contract, report: Report) -> None:
    report(contract, Q1, [("NT1", "1", S.VERIFIED), ("NT18", "4000", S.VERIFIED)])
    report(contract, Q2, [("NT1", "0.5", S.SUBMITTED), ("NT1", "0.25", S.QUERIED)])
    report(contract, Q3, [("NT1", "5", S.REJECTED), ("NT18", "6000", S.VERIFIED)])

    nt1, nt18 = by_code(contract_performance(contract, as_of=AS_OF)).values()

    # NT1: 1 verified of 3 due = 33.33…%; 0.5 + 0.25 awaiting; the rejected 5 nowhere.
    assert (nt1.delivered_quantity, nt1.delivered_value) == (D("1"), D("31285"))
    assert nt1.awaiting_quantity == D("0.75")
    assert nt1.rag == Rag.RED
    # NT18: 4,000 + 6,000 of 30,000 due = 33.33…%.
    assert (nt18.delivered_quantity, nt18.awaiting_quantity) == (D("10000"), D("0"))


@pytest.mark.parametrize(
    ("delivered", "rag"),
    [
        ("3", Rag.GREEN),  # 100%
        ("2.7", Rag.GREEN),  # 2.7 ÷ 3 = 90% exactly
        ("2.699999", Rag.AMBER),  # 89.999966…%
        ("2.1", Rag.AMBER),  # 70% exactly
        ("2.099999", Rag.RED),  # 69.999966…%
        ("0", Rag.RED),
    ],
)
def test_it_rates_a_measure_at_the_exact_thresholds(
    contract: Contract, report: Report, delivered: str, rag: str
) -> None:
    report(contract, Q1, [("NT1", delivered, S.VERIFIED)])
    nt1 = by_code(contract_performance(contract, as_of=AS_OF))["NT1"]
    assert nt1.percent == D(delivered) * 100 / 3
    assert nt1.rag == rag


def test_it_uses_the_thresholds_in_the_settings(contract: Contract, report: Report) -> None:
    # NT1 2.25 of 3 = 75%; NT18 15,000 of 30,000 = 50%.
    report(contract, Q1, [("NT1", "2.25", S.VERIFIED), ("NT18", "15000", S.VERIFIED)])
    before = by_code(contract_performance(contract, as_of=AS_OF))
    assert (before["NT1"].rag, before["NT18"].rag) == (Rag.AMBER, Rag.RED)

    set_thresholds(green="75", amber="50")

    after = by_code(contract_performance(contract, as_of=AS_OF))
    assert (after["NT1"].rag, after["NT18"].rag) == (Rag.GREEN, Rag.AMBER)


def test_it_rates_the_contract_by_value(contract: Contract, report: Report) -> None:
    report(contract, Q1, [("NT1", "3", S.VERIFIED)])
    perf = contract_performance(contract, as_of=AS_OF)

    assert [(m.measure.code, m.rag) for m in perf.measures] == [
        ("NT1", Rag.GREEN),
        ("NT18", Rag.RED),
    ]
    # £93,855 delivered of £123,855 due = 75.78%: amber.
    assert (perf.delivered_value, perf.due_value) == (D("93855"), D("123855"))
    assert round(perf.percent or 0, 2) == D("75.78")
    assert perf.rag == Rag.AMBER


def test_it_rates_the_contract_green_by_value_although_a_measure_is_red(
    contract: Contract, report: Report
) -> None:
    # NT1 3.3 × £31,285 = £103,240.50; NT18 £15,000 (50%: red).
    # £118,240.50 of £123,855 = 95.47%: green.
    report(contract, Q1, [("NT1", "3.3", S.VERIFIED), ("NT18", "15000", S.VERIFIED)])
    perf = contract_performance(contract, as_of=AS_OF)
    assert by_code(perf)["NT18"].rag == Rag.RED
    assert perf.delivered_value == D("118240.5")
    assert round(perf.percent or 0, 2) == D("95.47")
    assert perf.rag == Rag.GREEN


def test_it_rates_a_contract_without_proxy_values_by_its_worst_measure(
    make_contract: ContractMaker, report: Report
) -> None:
    # NT41 (% of the supply chain, no proxy value): 90 over nine quarters, 30 due.
    contract = make_contract(
        start=date(2024, 4, 1), end=date(2026, 6, 30), targets=[("NT41", "90")]
    )
    report(contract, Q1, [("NT41", "20", S.VERIFIED)])
    perf = contract_performance(contract, as_of=AS_OF)
    nt41 = by_code(perf)["NT41"]
    assert (nt41.due_quantity, nt41.due_value, nt41.target_value) == (D("30"), D("0"), D("0"))
    # 20 of 30 = 66.67%: red.
    assert (perf.due_value, perf.rag) == (D("0"), Rag.RED)
    assert perf.percent == nt41.percent
    assert round(perf.percent or 0, 2) == D("66.67")


def test_it_leaves_measures_without_a_proxy_out_of_the_contracts_value(
    make_contract: ContractMaker, report: Report
) -> None:
    contract = make_contract(
        start=date(2024, 4, 1), end=date(2026, 6, 30), targets=[("NT1", "9"), ("NT41", "90")]
    )
    report(contract, Q1, [("NT1", "3", S.VERIFIED)])
    perf = contract_performance(contract, as_of=AS_OF)
    assert by_code(perf)["NT41"].rag == Rag.RED  # 0 of 30
    # By value only NT1 counts: £93,855 of £93,855.
    assert (perf.due_value, perf.percent, perf.rag) == (D("93855"), D("100"), Rag.GREEN)


def test_it_shows_delivery_on_measures_without_a_target_apart(
    contract: Contract, report: Report
) -> None:
    report(contract, Q1, [("NT1", "2.1", S.VERIFIED), ("NT18", "21000", S.VERIFIED)])
    before = contract_performance(contract, as_of=AS_OF)

    report(contract, Q2, [("NT4", "0.5", S.VERIFIED), ("NT5", "1", S.SUBMITTED)])
    perf = contract_performance(contract, as_of=AS_OF)

    # NT4: 0.5 FTE × £15,382.90 = £7,691.45; the unverified NT5 is not shown.
    assert [
        (m.measure.code, m.delivered_quantity, m.delivered_value, m.is_target)
        for m in perf.additional
    ] == [("NT4", D("0.5"), D("7691.45"), False)]
    assert perf.additional_value == D("7691.45")
    assert [m.measure.code for m in perf.measures] == ["NT1", "NT18"]
    # 2.1 × £31,285 + £21,000 = £86,698.50 of £123,855 = 70%: amber, before and after.
    assert (perf.delivered_value, perf.percent, perf.rag) == (
        before.delivered_value,
        before.percent,
        Rag.AMBER,
    )
    assert perf.delivered_value == D("86698.5")


def test_it_works_out_every_contract_in_one_go_in_a_fixed_number_of_queries(
    make_contract: ContractMaker,
    report: Report,
    carols_care: Organisation,
    django_assert_max_num_queries: Any,
) -> None:
    start, end = date(2024, 4, 1), date(2026, 6, 30)
    bobs = make_contract(reference="LCC-1", start=start, end=end)
    carols = make_contract(reference="LCC-2", supplier=carols_care, start=start, end=end)
    report(bobs, Q1, [("NT1", "3", S.VERIFIED)])
    more = [
        make_contract(reference=f"LCC-{n}", start=start, end=end, targets=[("NT18", "9000")])
        for n in range(3, 13)
    ]

    with django_assert_max_num_queries(8):
        result = performance_for([bobs, carols, *more], as_of=AS_OF)

    assert result[bobs.pk].rag == Rag.AMBER  # the £ figures of the contract test above
    assert result[carols.pk].rag == Rag.RED  # nothing delivered, £123,855 due
    assert {result[c.pk].due_value for c in more} == {D("3000")}  # 9,000 ÷ 9 × 3


def test_it_shows_each_quarter(contract: Contract, report: Report) -> None:
    report(contract, Q1, [("NT1", "1", S.VERIFIED), ("NT18", "10000", S.VERIFIED)])
    report(contract, Q2, [("NT1", "0.5", S.SUBMITTED), ("NT18", "2000", S.QUERIED)])
    report(contract, Q3, [("NT1", "1", S.REJECTED)])

    rows = quarters_of(contract, as_of=AS_OF)

    assert len(rows) == 9
    # Each quarter is profiled at 1 × £31,285 + £10,000 = £41,285.
    assert {row.profiled_value for row in rows} == {D("41285")}
    assert [
        (row.period.slug, row.delivered_value, row.awaiting_value, row.reported) for row in rows[:4]
    ] == [
        ("2024-q1", D("41285"), D("0"), True),
        ("2024-q2", D("0"), D("17642.5"), True),  # 0.5 × £31,285 + £2,000
        ("2024-q3", D("0"), D("0"), True),  # rejected: nowhere
        ("2024-q4", D("0"), D("0"), False),
    ]
    assert rows[-1].period.slug == "2026-q1"
