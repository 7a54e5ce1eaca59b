"""A contract's page: its details, performance against its targets with the RAG status,
quarter by quarter, and its return lines — figures worked out by hand.

The default test contract runs nine quarters (four before last quarter, last quarter and
four after it) with targets NT1 9 FTE (1 a quarter) and NT18 £90,000 (10,000 a quarter).
NT1's proxy is £31,285.00 a year of FTE, NT18's £1.00.

With last quarter's return submitted, five quarters are reported on, so what is due to
date is NT1 5 (5 × £31,285.00 = £156,425.00) and NT18 50,000 (£50,000.00): £206,425.00.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import User
from socialvalue.contracts.models import ReportingPeriod, ReportingSettings, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_query
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.contracts.tests.contract_pages_support import (
    deliver,
    page,
    row_starting,
    table,
)
from socialvalue.core.quarters import Quarter

ClientAs = Callable[[User | None], Client]


@pytest.mark.parametrize(
    ("nt1", "nt1_value", "nt18", "total", "percent", "rag"),
    [
        # 4.5 of 5 due = 90% (green at 90% or more); 45,000 of 50,000 = 90% too.
        ("4.5", "£140,782.50", "45000", "£185,782.50", "90.00%", "Green"),
        # 4.4 × £31,285 = £137,654.00; 4.4 / 5 = 88%: amber.
        ("4.4", "£137,654.00", "44000", "£181,654.00", "88.00%", "Amber"),
        # 3.5 / 5 = 70%: amber at exactly the threshold.
        ("3.5", "£109,497.50", "35000", "£144,497.50", "70.00%", "Amber"),
        # 3.4 / 5 = 68%: red below 70%.
        ("3.4", "£106,369.00", "34000", "£140,369.00", "68.00%", "Red"),
    ],
)
def test_it_shows_the_rag_of_each_measure_and_of_the_contract(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
    nt1: str,
    nt1_value: str,
    nt18: str,
    total: str,
    percent: str,
    rag: str,
) -> None:
    contract = make_contract()
    deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", nt1), ("NT18", nt18)],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    url = reverse("contracts:contract_detail", args=[contract.pk])

    for user in (officer_alice, supplier_bob):
        html = page(client_as(user), url)
        # Measure, target, target value, due, due value, delivered, delivered value,
        # awaiting, % of due, RAG.
        assert row_starting(html, "NT1")[1:] == [
            "9",
            "£281,565.00",
            "5",
            "£156,425.00",
            nt1,
            nt1_value,
            "0",
            percent,
            rag,
        ]
        assert row_starting(html, "NT18")[1:] == [
            "90,000",
            "£90,000.00",
            "50,000",
            "£50,000.00",
            f"{int(nt18):,}",
            f"£{int(nt18):,}.00",
            "0",
            percent,
            rag,
        ]
        assert row_starting(html, "Contract")[1:] == [
            "",
            "£371,565.00",
            "",
            "£206,425.00",
            "",
            total,
            "",
            percent,
            rag,
        ]


def test_it_values_the_contract_in_pounds_across_its_measures(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    contract = make_contract()
    deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "3.4"), ("NT18", "50000")],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    html = page(client_as(officer_alice), reverse("contracts:contract_detail", args=[contract.pk]))
    # NT1 is red (68%) and NT18 green (100%), but in pounds the contract has delivered
    # £106,369.00 + £50,000.00 = £156,369.00 of £206,425.00 due: 75.75%, amber.
    assert row_starting(html, "NT1")[-2:] == ["68.00%", "Red"]
    assert row_starting(html, "NT18")[-2:] == ["100.00%", "Green"]
    assert row_starting(html, "Contract")[-4:] == ["£156,369.00", "", "75.75%", "Amber"]
    assert (
        "Performance to date: Amber (75.75% of the value due so far)"
        in " ".join(html.replace("<strong", " <strong").split()).replace("</strong>", "")
        or "75.75% of the value due so far" in html
    )


def test_it_follows_the_thresholds_the_lead_set(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    settings = ReportingSettings.current()
    settings.rag_green_percent = 85
    settings.rag_amber_percent = 60
    settings.save()
    contract = make_contract()
    deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "4.4"), ("NT18", "30000")],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    html = page(client_as(officer_alice), reverse("contracts:contract_detail", args=[contract.pk]))
    assert row_starting(html, "NT1")[-2:] == ["88.00%", "Green"]  # 88% ≥ 85%
    assert row_starting(html, "NT18")[-2:] == ["60.00%", "Amber"]  # 60% ≥ 60%
    assert "green</strong> at 85.00% or more" in html
    assert "amber</strong> at 60.00% or more" in html


def test_it_counts_only_verified_lines_and_shows_the_others_apart(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_quarter: Quarter,
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    contract = make_contract()
    earlier = period_for(last_quarter.previous())
    deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "4")],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    waiting, queried, rejected_later = deliver(
        add_line,
        make_return,
        contract,
        earlier,
        [("NT1", "0.5"), ("NT1", "0.25"), ("NT4", "2")],
        supplier_user=supplier_bob,
    )
    line_query(queried, by=officer_alice, message="Which site?")
    html = page(client_as(officer_alice), reverse("contracts:contract_detail", args=[contract.pk]))

    # 4 verified of 5 due = 80%; 0.5 awaiting and 0.25 queried wait apart: 0.75.
    assert row_starting(html, "NT1")[1:] == [
        "9",
        "£281,565.00",
        "5",
        "£156,425.00",
        "4",
        "£125,140.00",
        "0.75",
        "80.00%",
        "Amber",
    ]
    # NT4 has no target and nothing verified yet: no additional delivery.
    assert "Additional delivery on measures without a target" not in html
    # The lines are listed, the latest quarter first, each with its state.
    assert table(html, "What the supplier reported")[1:] == [
        [f"{last_period.short_label} return", "NT1", "4", "Preston", "Verified"],
        [f"{earlier.short_label} return", "NT1", "0.5", "Preston", "Awaiting verification"],
        [f"{earlier.short_label} return", "NT1", "0.25", "Preston", "Queried"],
        [f"{earlier.short_label} return", "NT4", "2", "Preston", "Awaiting verification"],
    ]


def test_it_shows_verified_delivery_on_measures_without_a_target(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    contract = make_contract()
    deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "5"), ("NT4", "2")],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    html = page(client_as(supplier_bob), reverse("contracts:contract_detail", args=[contract.pk]))
    assert "Additional delivery on measures without a target" in html
    # NT4: 2 × £15,382.90 = £30,765.80, and it does not change the contract's figures.
    assert row_starting(html, "NT4")[1:] == ["2", "£30,765.80"]
    assert row_starting(html, "Total additional value")[-1] == "£30,765.80"
    assert row_starting(html, "Contract")[-4:] == ["£156,425.00", "", "75.78%", "Amber"]


def test_it_shows_quarter_by_quarter_what_was_profiled_and_delivered(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_quarter: Quarter,
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    contract = make_contract()
    deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "1"), ("NT18", "12000")],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    html = page(client_as(officer_alice), reverse("contracts:contract_detail", args=[contract.pk]))
    # Each quarter profiles 1 FTE (£31,285.00) and £10,000 of NT18: £41,285.00.
    assert row_starting(html, last_period.short_label) == [
        last_period.short_label,
        "£41,285.00",
        "£43,285.00",
        "£0.00",
        "Yes",
    ]
    this_quarter = last_quarter.next()
    assert row_starting(html, this_quarter.short_label)[1:] == [
        "£41,285.00",
        "£0.00",
        "£0.00",
        "Not yet",
    ]
    # Nine quarters × £41,285.00 = £371,565.00, the targets' value.
    assert row_starting(html, "Total") == ["Total", "£371,565.00", "£43,285.00", "£0.00", ""]
    assert "Due to date counts the 5 quarters reported on so far" in html


def test_it_says_nothing_is_due_before_the_first_quarter_is_reported(
    make_contract: ContractMaker,
    this_quarter: Quarter,
    client_as: ClientAs,
    officer_alice: User,
) -> None:
    contract = make_contract(start=this_quarter.start, end=this_quarter.next().end)
    html = page(client_as(officer_alice), reverse("contracts:contract_detail", args=[contract.pk]))
    assert "No quarter of this contract has been reported on yet" in html
    assert row_starting(html, "NT1")[-2:] == ["—", "Not yet due"]
    assert row_starting(html, "Contract")[-1] == "Not yet due"


def test_it_lists_the_details_and_the_officer_actions(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User, lead_lucy: User
) -> None:
    contract = make_contract(title="Bridge repairs", value="1250000.50")
    url = reverse("contracts:contract_detail", args=[contract.pk])
    for user in (officer_alice, lead_lucy):
        html = page(client_as(user), url)
        assert "Bridge repairs" in html
        assert "£1,250,000.50" in html
        assert "Lancashire County Council" in html
        assert "Bob&#x27;s Building Ltd" in html
        assert "Procurement" in html
        assert reverse("contracts:contract_edit", args=[contract.pk]) in html
        assert reverse("contracts:targets_edit", args=[contract.pk]) in html
        assert reverse("contracts:contract_close", args=[contract.pk]) in html


@pytest.mark.parametrize("who", ["evaluator_erin", "supplier_bob"])
def test_it_shows_the_contract_read_only_to_evaluators_and_the_supplier(
    make_contract: ContractMaker,
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
) -> None:
    contract = make_contract()
    html = page(
        client_as(request.getfixturevalue(who)),
        reverse("contracts:contract_detail", args=[contract.pk]),
    )
    assert "Performance to date" in html
    assert reverse("contracts:contract_edit", args=[contract.pk]) not in html
    assert reverse("contracts:targets_edit", args=[contract.pk]) not in html
    assert reverse("contracts:contract_close", args=[contract.pk]) not in html


@pytest.mark.parametrize("who", ["officer_olga", "supplier_carol"])
def test_it_hides_the_contract_from_other_organisations(
    make_contract: ContractMaker,
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
) -> None:
    contract = make_contract()
    response = client_as(request.getfixturevalue(who)).get(
        reverse("contracts:contract_detail", args=[contract.pk])
    )
    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(
    make_contract: ContractMaker, public_dave: Client
) -> None:
    contract = make_contract()
    url = reverse("contracts:contract_detail", args=[contract.pk])
    response = public_dave.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
