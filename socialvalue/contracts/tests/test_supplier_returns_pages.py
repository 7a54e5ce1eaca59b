"""The supplier's returns list and return page: what they show, and who may see them.

Bob's Building holds the council's contract LCC-TEST-001 for nine quarters (four before
last quarter to four after it) with targets NT1 9 (1 a quarter) and NT18 90,000 (10,000 a
quarter). NT1 is worth £31,285 a person, NT18 £1 a pound.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import UserFactory
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_query, line_verify, return_submit
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


@pytest.fixture
def last_return(
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    contract: Contract,
) -> Return:
    return make_return(bobs_building, last_period)


def list_url() -> str:
    return reverse("contracts:return_list")


def detail_url(return_record: Return) -> str:
    return reverse("contracts:return_detail", args=[return_record.pk])


# --- The list -------------------------------------------------------------------------------


def test_it_opens_the_returns_and_lists_them_newest_quarter_first(
    bob: Client, contract: Contract, this_quarter: Quarter, last_quarter: Quarter
) -> None:
    response = bob.get(list_url())
    assert response.status_code == 200
    # Four quarters before last, last and this: six returns, opened by the visit.
    assert Return.objects.filter(supplier=contract.supplier).count() == 6
    shown = [item["return"].period.short_label for item in response.context["items"]]
    assert shown[:2] == [this_quarter.short_label, last_quarter.short_label]
    html = response.content.decode()
    table = html[html.index("<table") :]
    assert table.index(this_quarter.short_label) < table.index(last_quarter.short_label)


def test_it_tags_an_overdue_return_and_asks_for_it(
    bob: Client, contract: Contract, last_quarter: Quarter
) -> None:
    two_ago = period_for(last_quarter.previous())  # ended at least three months ago
    html = bob.get(list_url()).content.decode()
    assert "Overdue" in html
    assert f"Submit your return: it was due on {two_ago.due_date:%-d %B %Y}" in html
    assert "Needs your attention" in html


def test_it_says_whether_a_return_was_submitted_on_time_or_late(
    bob: Client,
    contract: Contract,
    supplier_bob: User,
    add_line: Callable[..., ReturnLine],
    make_return: Callable[..., Return],
    last_quarter: Quarter,
) -> None:
    late = make_return(contract.supplier, period_for(last_quarter.previous()))
    add_line(late, contract, "NT1", "1")
    return_submit(late, by=supplier_bob)  # today, more than 30 days after it ended
    early = make_return(contract.supplier, period_for(last_quarter.previous().previous()))
    return_submit(early, by=supplier_bob, nil=True)
    three_days_after = early.period.end_date + timedelta(days=3)
    Return.objects.filter(pk=early.pk).update(
        submitted_at=timezone.make_aware(datetime.combine(three_days_after, time(12)))
    )
    html = bob.get(list_url()).content.decode()
    assert "Submitted late" in html
    assert "Submitted on time" in html
    assert "Nil return submitted" in html


def test_it_counts_lines_by_state_and_asks_for_queried_lines_to_be_answered(
    bob: Client,
    contract: Contract,
    last_return: Return,
    supplier_bob: User,
    officer_alice: User,
    add_line: Callable[..., ReturnLine],
) -> None:
    lines = [add_line(last_return, contract, "NT1", q) for q in ("1", "2", "3")]
    return_submit(last_return, by=supplier_bob)
    line_query(lines[0], by=officer_alice, message="Send the payroll extract.")
    line_query(lines[1], by=officer_alice, message="Which district?")
    line_verify(lines[2], by=officer_alice)
    html = bob.get(list_url()).content.decode()
    assert "3 lines" in html
    assert "2 queried, 1 verified" in html
    assert "Answer 2 queried lines" in html


def test_it_says_when_the_supplier_has_no_contracts(
    client_as: ClientAs, supplier_carol: User
) -> None:
    response = client_as(supplier_carol).get(list_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "No contracts to report on" in html
    assert "Carol&#x27;s Care CIC has no contracts on the platform yet." in html


def test_it_lists_25_returns_a_page(
    bob: Client, make_contract: ContractMaker, this_quarter: Quarter
) -> None:
    start = this_quarter.start.replace(year=this_quarter.start.year - 8)
    make_contract(start=start, end=this_quarter.end)
    first = bob.get(list_url())
    assert first.context["page"].paginator.count == 33  # 8 years of quarters and this one
    assert len(first.context["items"]) == 25
    second = bob.get(list_url() + "?page=2")
    assert len(second.context["items"]) == 8


def test_it_shows_only_the_suppliers_own_returns(
    client_as: ClientAs,
    contract: Contract,
    supplier_carol: User,
    make_contract: ContractMaker,
    carols_care: Organisation,
    this_quarter: Quarter,
) -> None:
    make_contract(reference="LCC-CARE-9", supplier=carols_care)
    carol = client_as(supplier_carol)
    carol.get(list_url())
    items = carol.get(list_url()).context["items"]
    assert {item["return"].supplier_id for item in items} == {carols_care.pk}


# --- One return -----------------------------------------------------------------------------


def test_it_shows_the_quarter_its_contracts_and_what_each_target_expects(
    bob: Client, last_return: Return, last_quarter: Quarter
) -> None:
    response = bob.get(detail_url(last_return))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Social value return {last_quarter.short_label}" in html
    assert last_quarter.label in html
    assert f"{last_return.period.due_date:%-d %B %Y}" in html
    assert "LCC-TEST-001: Highways maintenance" in html
    [block] = response.context["blocks"]
    rows = {row.target.measure.code: row for row in block.targets}
    assert rows["NT1"].target.quantity == Decimal(9)
    assert rows["NT1"].this_quarter == Decimal(1)
    assert rows["NT18"].this_quarter == Decimal(10000)
    assert "No lines yet." in html
    assert "Add a line" in html


def test_it_shows_each_line_with_its_value_district_evidence_and_total(
    bob: Client,
    last_return: Return,
    contract: Contract,
    supplier_bob: User,
    add_line: Callable[..., ReturnLine],
) -> None:
    add_line(
        last_return,
        contract,
        "NT1",
        "1.5",
        narrative="Two apprentices from Preston.",
        by=supplier_bob,
    )
    add_line(last_return, contract, "NT18", "2500", district=District.BURNLEY.value)
    html = bob.get(detail_url(last_return)).content.decode()
    assert "£46,927.50" in html  # 1.5 × £31,285
    assert "£2,500.00" in html  # 2,500 × £1
    assert "£49,427.50" in html  # the total
    assert "Two apprentices from Preston." in html
    assert "Burnley" in html
    assert "Added</span> by Bob Builder" in html  # the line's history
    assert html.count(">Delete<") == 2


def test_it_shows_the_officers_query_and_offers_only_what_each_state_allows(
    bob: Client,
    last_return: Return,
    contract: Contract,
    supplier_bob: User,
    officer_alice: User,
    add_line: Callable[..., ReturnLine],
) -> None:
    queried = add_line(last_return, contract, "NT1", "1")
    verified = add_line(last_return, contract, "NT18", "100")
    return_submit(last_return, by=supplier_bob)
    line_query(queried, by=officer_alice, message="Please send the payroll extract.")
    line_verify(verified, by=officer_alice)
    response = bob.get(detail_url(last_return))
    html = response.content.decode()
    assert "Please send the payroll extract." in html
    assert "Queried by Alice Officer" in html
    assert "The council has queried 1 line." in html
    rows = {row.line.pk: row for _contract, rows in response.context["groups"] for row in rows}
    assert (
        rows[queried.pk].can_edit,
        rows[queried.pk].can_answer,
        rows[queried.pk].can_delete,
    ) == (
        True,
        True,
        False,
    )
    assert (rows[verified.pk].can_edit, rows[verified.pk].can_answer) == (False, False)
    assert reverse("contracts:line_answer", args=[last_return.pk, queried.pk]) in html
    assert reverse("contracts:line_edit", args=[last_return.pk, verified.pk]) not in html
    assert "Add a line" not in html  # the return is submitted


def test_it_filters_lines_by_state(
    bob: Client,
    last_return: Return,
    contract: Contract,
    supplier_bob: User,
    officer_alice: User,
    add_line: Callable[..., ReturnLine],
) -> None:
    queried = add_line(last_return, contract, "NT1", "1")
    add_line(last_return, contract, "NT18", "100")
    return_submit(last_return, by=supplier_bob)
    line_query(queried, by=officer_alice, message="Which site?")
    response = bob.get(detail_url(last_return) + "?status=queried")
    shown = [row.line.pk for _contract, rows in response.context["groups"] for row in rows]
    assert shown == [queried.pk]


def test_it_pages_the_lines_25_at_a_time(
    bob: Client, last_return: Return, contract: Contract, add_line: Callable[..., ReturnLine]
) -> None:
    for _ in range(27):
        add_line(last_return, contract, "NT1", "0.1")
    first = bob.get(detail_url(last_return))
    assert sum(len(rows) for _c, rows in first.context["groups"]) == 25
    assert first.context["total"] == Decimal("27") * Decimal("0.1") * Decimal("31285")
    second = bob.get(detail_url(last_return) + "?page=2")
    assert sum(len(rows) for _c, rows in second.context["groups"]) == 2


# --- Who may see them -----------------------------------------------------------------------


def test_it_gives_another_supplier_404_for_a_return(
    client_as: ClientAs, supplier_carol: User, last_return: Return
) -> None:
    assert client_as(supplier_carol).get(detail_url(last_return)).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client, last_return: Return) -> None:
    for url in (list_url(), detail_url(last_return)):
        response = public_dave.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_partner_users(client_as: ClientAs, last_return: Return, db: None) -> None:
    partner = UserFactory.create(role=User.Role.PARTNER, email="pat@partner.example")
    client = client_as(partner)
    assert client.get(list_url()).status_code == 403
    assert client.get(detail_url(last_return)).status_code == 403


SUPPLIER_ONLY = [
    ("contracts:line_add", "return"),
    ("contracts:line_edit", "line"),
    ("contracts:line_delete", "line"),
    ("contracts:evidence_upload", "line"),
    ("contracts:line_answer", "line"),
    ("contracts:return_submit", "return"),
    ("contracts:return_template", "return"),
    ("contracts:return_upload", "return"),
]


def _url(name: str, kind: str, return_record: Return, line: ReturnLine) -> str:
    args = [return_record.pk] if kind == "return" else [return_record.pk, line.pk]
    return reverse(name, args=args)


@pytest.mark.parametrize(("name", "kind"), SUPPLIER_ONLY)
def test_it_keeps_every_supplier_page_to_the_returns_own_supplier(
    name: str,
    kind: str,
    client_as: ClientAs,
    public_dave: Client,
    supplier_carol: User,
    officer_olga: User,
    officer_alice: User,
    last_return: Return,
    contract: Contract,
    add_line: Callable[..., ReturnLine],
) -> None:
    line = add_line(last_return, contract, "NT1", "1")
    url = _url(name, kind, last_return, line)
    # The template is a download: GET only. Every other page also takes a POST.
    methods = ["get"] if name == "contracts:return_template" else ["get", "post"]
    for method in methods:
        assert getattr(client_as(supplier_carol), method)(url).status_code == 404
        for officer in (officer_olga, officer_alice):
            assert getattr(client_as(officer), method)(url).status_code == 403
    response = public_dave.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert ReturnLine.objects.filter(pk=line.pk, status=ReturnLine.Status.DRAFT).exists()


def test_it_lets_bob_open_every_page_of_his_draft_return(
    bob: Client, last_return: Return, contract: Contract, add_line: Callable[..., ReturnLine]
) -> None:
    line = add_line(last_return, contract, "NT1", "1")
    for name, kind in SUPPLIER_ONLY:
        if name == "contracts:line_answer":
            continue  # only for a queried line
        response = bob.get(_url(name, kind, last_return, line))
        assert response.status_code == 200, name


def test_it_does_not_open_returns_for_other_suppliers(
    bob: Client, contract: Contract, make_contract: ContractMaker, carols_care: Organisation
) -> None:
    make_contract(reference="LCC-CARE-1", supplier=carols_care, start=date(2024, 4, 1))
    bob.get(list_url())
    assert not Return.objects.filter(supplier=carols_care).exists()
