"""The officers' exceptions page: contracts behind target (worst first), overdue returns,
queries the supplier has not answered and lines waiting too long for verification."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_answer, line_query, line_verify, return_submit
from socialvalue.contracts.services import contract_close
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.contracts.tests.contract_pages_support import deliver, page, table
from socialvalue.core.quarters import Quarter

ClientAs = Callable[[User | None], Client]
URL = "/contracts/exceptions/"


def quarters_before(quarter: Quarter, n: int) -> Quarter:
    for _ in range(n):
        quarter = quarter.previous()
    return quarter


def submit_nil(
    make_return: Callable[..., Return], supplier: Organisation, quarter: Quarter, by: User
) -> Return:
    return return_submit(make_return(supplier, period_for(quarter)), by=by, nil=True)


def test_it_says_when_nothing_needs_attention(
    make_contract: ContractMaker, this_quarter: Quarter, client_as: ClientAs, officer_alice: User
) -> None:
    make_contract(start=this_quarter.start, end=this_quarter.next().end)
    html = page(client_as(officer_alice), URL)
    assert "Nothing needs attention" in html
    assert "Contracts behind target" not in html


def test_it_lists_contracts_behind_target_worst_first(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    amber = make_contract(reference="LCC-AMBER", targets=[("NT1", "9")])
    red = make_contract(reference="LCC-RED", targets=[("NT1", "9")])
    green = make_contract(reference="LCC-GREEN", targets=[("NT1", "9")])
    ended = make_contract(reference="LCC-ENDED", targets=[("NT1", "9")])
    contract_close(ended, status=Contract.Status.ENDED)
    record = make_return(amber.supplier, last_period)
    lines = [
        (amber, "4"),  # 4 of 5 due: 80%, amber
        (red, "1"),  # 1 of 5: 20%, red
        (green, "5"),  # 100%, green
    ]
    made = [add_line(record, contract, "NT1", q, by=supplier_bob) for contract, q in lines]
    return_submit(record, by=supplier_bob)
    for line in made:
        line_verify(line, by=officer_alice)

    html = page(client_as(officer_alice), URL)
    rows = table(html, "Live contracts that are red or amber")[1:]
    # Green is fine and a closed contract is history (red, 0%, but ended).
    assert [row[0].split()[0] for row in rows] == ["LCC-RED", "LCC-AMBER"]
    # 1 × £31,285.00 of 5 × £31,285.00 = £156,425.00 due.
    assert rows[0][1:] == ["Bob's Building Ltd", "£156,425.00", "£31,285.00", "20.00%", "Red"]
    assert rows[1][1:] == ["Bob's Building Ltd", "£156,425.00", "£125,140.00", "80.00%", "Amber"]
    assert f'href="{reverse("contracts:contract_detail", args=[red.pk])}">LCC-RED' in html


def test_it_lists_overdue_returns_oldest_first(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    last_quarter: Quarter,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
    carols_care: Organisation,
    blackpool: Organisation,
) -> None:
    today = timezone.localdate()
    # Bob's contract runs from four quarters before last quarter: three of those returns
    # and last quarter's are in, the one before last quarter is opened but not submitted.
    bobs = make_contract(reference="LCC-BOB")
    for n in (4, 3, 2, 0):
        submit_nil(make_return, bobs.supplier, quarters_before(last_quarter, n), supplier_bob)
    late = make_return(bobs.supplier, period_for(last_quarter.previous()))
    # Carol's contract started the quarter before last: no return of hers is open yet.
    carols = make_contract(
        reference="LCC-CAROL",
        supplier=carols_care,
        start=last_quarter.previous().start,
        end=last_quarter.next().end,
        targets=(),
    )
    make_contract(reference="BPC-CAROL", organisation=blackpool, supplier=carols_care, targets=())

    html = page(client_as(officer_alice), URL)
    rows = table(html, "Returns past their due date")[1:]
    earlier = period_for(last_quarter.previous())
    expected = [
        [
            "Bob's Building Ltd",
            earlier.short_label,
            f"{earlier.due_date:%-d %b %Y} {(today - earlier.due_date).days} days overdue",
            "LCC-BOB",
        ],
        [
            "Carol's Care CIC",
            earlier.short_label,
            f"{earlier.due_date:%-d %b %Y} {(today - earlier.due_date).days} days overdue",
            "LCC-CAROL",
        ],
    ]
    last = period_for(last_quarter)
    if last.due_date < today:  # last quarter's return is overdue too, for Carol
        expected.append(
            [
                "Carol's Care CIC",
                last.short_label,
                f"{last.due_date:%-d %b %Y} {(today - last.due_date).days} days overdue",
                "LCC-CAROL",
            ]
        )
    assert rows == expected
    # Bob's opened return is linked; Carol's, not opened yet, is named only.
    assert f'href="{reverse("contracts:return_detail", args=[late.pk])}">Bob' in html
    assert reverse("contracts:contract_detail", args=[bobs.pk]) in html
    assert reverse("contracts:contract_detail", args=[carols.pk]) in html
    assert "BPC-CAROL" not in html


def test_it_lists_queries_not_answered_and_drops_them_once_answered(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    contract = make_contract(
        start=last_period.start_date, end=last_period.end_date + timedelta(days=200)
    )
    line, other = deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "0.5"), ("NT18", "5000")],
        supplier_user=supplier_bob,
    )
    line_query(line, by=officer_alice, message="Which site were they employed at?")
    client = client_as(officer_alice)
    html = page(client, URL)
    rows = table(html, "Lines you queried")[1:]
    assert rows == [
        [
            f"Bob's Building Ltd, {last_period.short_label}",
            "LCC-TEST-001",
            "NT1",
            "0.5",
            f"{timezone.localdate():%-d %b %Y}",
        ]
    ]
    assert reverse("contracts:return_detail", args=[line.return_record_id]) in html

    line_answer(line, by=supplier_bob, message="All at the Preston depot.")
    assert "Queries not answered</a> (0)" in page(client, URL)
    assert other.status == ReturnLine.Status.SUBMITTED


def test_it_lists_lines_waiting_more_than_14_days(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
) -> None:
    contract = make_contract(
        start=last_period.start_date, end=last_period.end_date + timedelta(days=200)
    )
    old, recent = deliver(
        add_line,
        make_return,
        contract,
        last_period,
        [("NT1", "0.5"), ("NT18", "5000")],
        supplier_user=supplier_bob,
    )
    now = timezone.now()
    LineEvent.objects.filter(line=old).update(at=now - timedelta(days=15))
    LineEvent.objects.filter(line=recent).update(at=now - timedelta(days=13))
    html = page(client_as(officer_alice), URL)
    rows = table(html, "Lines waiting longest")[1:]
    assert rows == [
        [
            f"Bob's Building Ltd, {last_period.short_label}",
            "LCC-TEST-001",
            "NT1",
            "0.5",
            f"{timezone.localtime(now - timedelta(days=15)):%-d %b %Y}",
        ]
    ]


@pytest.mark.parametrize("who", ["officer_alice", "lead_lucy", "evaluator_erin"])
def test_it_is_for_council_staff(
    make_contract: ContractMaker,
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
) -> None:
    make_contract()
    html = page(client_as(request.getfixturevalue(who)), URL)
    assert "LCC-TEST-001" in html  # its earlier returns are overdue


def test_it_shows_another_organisation_nothing_of_the_councils(
    make_contract: ContractMaker, client_as: ClientAs, officer_olga: User
) -> None:
    make_contract()
    html = page(client_as(officer_olga), URL)
    assert "Nothing needs attention" in html
    assert "LCC-TEST-001" not in html


@pytest.mark.parametrize("who", ["supplier_bob", "supplier_carol"])
def test_it_refuses_suppliers(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str
) -> None:
    assert client_as(request.getfixturevalue(who)).get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"
