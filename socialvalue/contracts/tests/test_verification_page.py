"""The officer's page for one return: only their own organisation's lines, grouped by
contract, with value, evidence, history and the decision form.

Bob's Building holds two contracts in last quarter: the council's LCC-TEST-001 and
Blackpool's BPL-ROADS-7. Its return for last quarter has two council lines (NT1 1.5 FTE
× £31,285.00 = £46,927.50; NT18 1,000 × £1.00 = £1,000.00, together £47,927.50) and one
Blackpool line (NT1 2 FTE).
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_answer, line_query, return_submit
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.geography import District
from socialvalue.core.quarters import Quarter

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ClientAs = Callable[[User | None], Client]


@pytest.fixture
def ours(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def theirs(make_contract: ContractMaker, blackpool: Organisation) -> Contract:
    return make_contract(reference="BPL-ROADS-7", organisation=blackpool, title="Promenade repairs")


@pytest.fixture
def bob_return(
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    bobs_building: Organisation,
    ours: Contract,
    theirs: Contract,
    supplier_bob: User,
) -> Return:
    r = make_return(bobs_building, last_period)
    nt1 = add_line(
        r,
        ours,
        "NT1",
        "1.5",
        narrative="Two apprentices from Preston, one part time.",
        by=supplier_bob,
    )
    add_line(r, ours, "NT18", "1000", district=District.OUTSIDE.value, by=supplier_bob)
    add_line(r, theirs, "NT1", "2", district=District.BLACKPOOL.value, by=supplier_bob)
    evidence_add(nt1, SimpleUploadedFile("timesheets.pdf", PDF), by=supplier_bob)
    return return_submit(r, by=supplier_bob, today=last_period.end_date + timedelta(days=1))


def page(client: Client, r: Return) -> str:
    """The page's HTML with runs of whitespace made single spaces."""
    response = client.get(reverse("contracts:return_detail", args=[r.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_it_shows_alice_only_the_councils_lines_with_their_values(
    client_as: ClientAs, officer_alice: User, bob_return: Return
) -> None:
    html = page(client_as(officer_alice), bob_return)
    assert "LCC-TEST-001" in html
    assert "£46,927.50" in html
    assert "£1,000.00" in html
    assert "£47,927.50" in html  # the contract's lines together
    assert "Two apprentices from Preston, one part time." in html
    assert "Outside Lancashire" in html
    assert "BPL-ROADS-7" not in html
    assert "Promenade repairs" not in html
    assert "0 of 2 lines decided" in html
    assert html.count("Save decision") == 2


def test_it_describes_the_supplier_and_the_submission(
    client_as: ClientAs, officer_alice: User, bob_return: Return
) -> None:
    html = page(client_as(officer_alice), bob_return)
    assert "Based in Preston" in html
    assert "Small or medium-sized enterprise (SME)" in html
    assert "by Bob Builder" in html
    assert bob_return.period.label in html


def test_it_links_to_each_evidence_file_with_its_type_and_size(
    client_as: ClientAs, officer_alice: User, bob_return: Return
) -> None:
    evidence = bob_return.lines.get(measure__code="NT1", contract__reference="LCC-TEST-001")
    item = evidence.evidence.get()
    html = page(client_as(officer_alice), bob_return)
    assert reverse("contracts:evidence_download", args=[item.pk]) in html
    assert "timesheets.pdf" in html
    assert f"(PDF, {item.size} bytes)" in html


def test_it_shows_olga_only_blackpools_line_of_the_same_return(
    client_as: ClientAs, officer_olga: User, bob_return: Return
) -> None:
    html = page(client_as(officer_olga), bob_return)
    assert "BPL-ROADS-7" in html
    assert "£62,570.00" in html  # 2 FTE × £31,285.00
    assert "LCC-TEST-001" not in html
    assert "timesheets.pdf" not in html
    assert "Two apprentices" not in html
    assert html.count("Save decision") == 1


@pytest.mark.parametrize("who", ["lead_lucy", "evaluator_erin"])
def test_it_shows_the_page_to_other_council_staff(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, bob_return: Return
) -> None:
    html = page(client_as(request.getfixturevalue(who)), bob_return)
    assert "LCC-TEST-001" in html
    assert "BPL-ROADS-7" not in html


def test_it_hides_a_return_with_no_contract_of_olgas_from_her(
    client_as: ClientAs,
    officer_olga: User,
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    carols_care: Organisation,
    last_period: ReportingPeriod,
) -> None:
    make_contract(reference="LCC-CARE-2", supplier=carols_care)
    r = make_return(carols_care, last_period)
    response = client_as(officer_olga).get(reverse("contracts:return_detail", args=[r.pk]))
    assert response.status_code == 404


def test_it_sends_dave_to_sign_in(public_dave: Client, bob_return: Return) -> None:
    url = reverse("contracts:return_detail", args=[bob_return.pk])
    response = public_dave.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert url in response["Location"]


def test_it_shows_the_history_with_the_suppliers_answer(
    client_as: ClientAs, officer_alice: User, supplier_bob: User, bob_return: Return
) -> None:
    line = bob_return.lines.get(measure__code="NT18")
    line_query(line, by=officer_alice, message="Which invoices make up the £1,000?")
    line_answer(line, by=supplier_bob, message="Invoices 114 and 117, now attached.")
    html = page(client_as(officer_alice), bob_return)
    assert "Queried</strong> by Alice Officer (Lancashire County Council)" in html
    assert "Which invoices make up the £1,000?" in html
    assert "Answered and resubmitted</strong> by Bob Builder (Bob&#x27;s Building Ltd)" in html
    assert "Invoices 114 and 117, now attached." in html
    assert "Submitted</strong> by Bob Builder" in html
    # Back for verification: it can be decided again.
    assert html.count("Save decision") == 2


@pytest.fixture
def quarter_before_last(last_quarter: Quarter, db: None) -> ReportingPeriod:
    return period_for(last_quarter.previous())


def test_it_says_a_draft_return_cannot_be_verified_yet_and_is_overdue(
    client_as: ClientAs,
    officer_alice: User,
    ours: Contract,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    bobs_building: Organisation,
    quarter_before_last: ReportingPeriod,
) -> None:
    r = make_return(bobs_building, quarter_before_last)
    add_line(r, ours, "NT1", "1", narrative="A draft nobody has checked.")
    html = page(client_as(officer_alice), r)
    assert "has not submitted this return yet, so nothing can be verified" in html
    assert "is overdue" in html
    # The supplier's draft is its own: not its lines, nor even how many there are.
    assert "its lines and evidence appear here once it is submitted" in html
    assert "drafted" not in html
    assert "A draft nobody has checked." not in html
    assert "Save decision" not in html


def test_it_gives_the_due_date_of_a_draft_return_not_yet_due(
    client_as: ClientAs,
    officer_alice: User,
    ours: Contract,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    this_quarter: Quarter,
) -> None:
    period = period_for(this_quarter)
    r = make_return(bobs_building, period)
    html = page(client_as(officer_alice), r)
    assert f"It is due by {period.due_date:%-d %B %Y}." in html
    assert "overdue" not in html.lower().split("</h1>")[1]


def test_it_shows_a_nil_return(
    client_as: ClientAs,
    officer_alice: User,
    ours: Contract,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    supplier_bob: User,
    quarter_before_last: ReportingPeriod,
) -> None:
    r = make_return(bobs_building, quarter_before_last)
    return_submit(
        r, by=supplier_bob, nil=True, today=quarter_before_last.end_date + timedelta(days=1)
    )
    html = page(client_as(officer_alice), r)
    assert "Nil return: nothing to report this quarter" in html
    assert "Nothing was reported for this contract this quarter." in html
    assert "Save decision" not in html
