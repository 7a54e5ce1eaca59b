"""The contract list: who sees which contracts, each filter narrowing the list, the RAG
column with hand-computed figures, the CSV download, pagination and the empty states."""

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import DirectorateFactory
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.services import contract_close, contract_update
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.contracts.tests.contract_pages_support import deliver, page, table
from socialvalue.core.quarters import Quarter

ClientAs = Callable[[User | None], Client]
URL = "/contracts/"


@pytest.fixture
def portfolio(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    this_quarter: Quarter,
    officer_alice: User,
    supplier_bob: User,
    supplier_carol: User,
    carols_care: Organisation,
    blackpool: Organisation,
) -> dict[str, Contract]:
    """Four council contracts and one of Blackpool's:

    - LCC-001 Bob, procurement, Growth, Environment and Transport: 90% delivered, green;
    - LCC-002 Carol, grant, Adult Services: 1 of 5 FTE and 10,000 of 50,000: 20%, red;
    - LCC-003 Bob, planning obligation, starting this quarter: not yet due;
    - LCC-004 Bob, ended, nothing delivered: 0%, red;
    - BPC-001 Blackpool's contract with Bob.
    """
    assert officer_alice.service_area is not None
    growth = officer_alice.service_area.directorate
    adults = DirectorateFactory.create(organisation=growth.organisation, name="Adult Services")
    first = make_contract(reference="LCC-001", title="Highways maintenance")
    contract_update(first, directorate=growth)
    second = make_contract(
        reference="LCC-002",
        title="Home care",
        supplier=carols_care,
        lever=Contract.Lever.GRANT,
    )
    contract_update(second, directorate=adults)
    third = make_contract(
        reference="LCC-003",
        title="Library refurbishment",
        lever=Contract.Lever.PLANNING,
        start=this_quarter.start,
        end=this_quarter.next().end,
    )
    fourth = make_contract(reference="LCC-004", title="Old depot clearance")
    contract_close(fourth, status=Contract.Status.ENDED)
    other = make_contract(reference="BPC-001", title="Promenade lighting", organisation=blackpool)
    deliver(
        add_line,
        make_return,
        first,
        last_period,
        [("NT1", "4.5"), ("NT18", "45000")],
        supplier_user=supplier_bob,
        officer=officer_alice,
    )
    deliver(
        add_line,
        make_return,
        second,
        last_period,
        [("NT1", "1"), ("NT18", "10000")],
        supplier_user=supplier_carol,
        officer=officer_alice,
    )
    return {
        "first": first,
        "second": second,
        "third": third,
        "fourth": fourth,
        "other": other,
    }


def references(html: str) -> list[str]:
    rows = table(html, "Contracts")[1:]
    return [row[0].split()[0] for row in rows]


def test_it_lists_the_organisations_contracts_with_their_performance(
    portfolio: dict[str, Contract], client_as: ClientAs, officer_alice: User
) -> None:
    html = page(client_as(officer_alice), URL)
    # The latest start first, then by reference; Blackpool's contract is not listed.
    assert references(html) == ["LCC-003", "LCC-001", "LCC-002", "LCC-004"]
    rows = {row[0].split()[0]: row for row in table(html, "Contracts")[1:]}
    # Committed: 9 × £31,285.00 + £90,000.00 = £371,565.00. Delivered (verified):
    # 4.5 × £31,285.00 + £45,000.00 = £185,782.50 of £206,425.00 due: 90%, green.
    assert rows["LCC-001"][1:3] == ["Bob's Building Ltd", "Procurement"]
    assert rows["LCC-001"][3] == "£900,000.00"
    assert rows["LCC-001"][5:] == ["£371,565.00", "£185,782.50", "90.00%", "Green"]
    # 1 × £31,285.00 + £10,000.00 = £41,285.00 of £206,425.00 due: 20%, red.
    assert rows["LCC-002"][1:3] == ["Carol's Care CIC", "Grant"]
    assert rows["LCC-002"][5:] == ["£371,565.00", "£41,285.00", "20.00%", "Red"]
    assert rows["LCC-003"][2] == "Planning obligation"
    assert rows["LCC-003"][5:] == ["£371,565.00", "£0.00", "—", "Not yet due"]
    assert rows["LCC-004"][0] == "LCC-004 Old depot clearance Ended"
    assert rows["LCC-004"][5:] == ["£371,565.00", "£0.00", "0.00%", "Red"]
    assert "4 contracts." in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=home", ["LCC-002"]),
        ("q=Carol", ["LCC-002"]),  # the supplier's name
        ("q=lcc-004", ["LCC-004"]),
        ("directorate=growth", ["LCC-001"]),
        ("directorate=adults", ["LCC-002"]),
        ("supplier=carol", ["LCC-002"]),
        ("lever=planning", ["LCC-003"]),
        ("lever=grant", ["LCC-002"]),
        ("status=ended", ["LCC-004"]),
        ("status=live", ["LCC-003", "LCC-001", "LCC-002"]),
        ("rag=green", ["LCC-001"]),
        ("rag=red", ["LCC-002", "LCC-004"]),
        ("rag=not_due", ["LCC-003"]),
        ("rag=red&supplier=bob", ["LCC-004"]),
        ("organisation=council", ["LCC-003", "LCC-001", "LCC-002", "LCC-004"]),
        # Values that are not choices are ignored, never an error page.
        ("status=lost&rag=purple", ["LCC-003", "LCC-001", "LCC-002", "LCC-004"]),
        ("organisation=blackpool", ["LCC-003", "LCC-001", "LCC-002", "LCC-004"]),
    ],
)
def test_it_narrows_the_list_with_each_filter(
    portfolio: dict[str, Contract],
    client_as: ClientAs,
    officer_alice: User,
    carols_care: Organisation,
    bobs_building: Organisation,
    council: Organisation,
    blackpool: Organisation,
    query: str,
    expected: list[str],
) -> None:
    directorates = {
        "growth": portfolio["first"].directorate_id,
        "adults": portfolio["second"].directorate_id,
    }
    ids = {
        "carol": carols_care.pk,
        "bob": bobs_building.pk,
        "council": council.pk,
        "blackpool": blackpool.pk,
        **directorates,
    }
    for name, pk in ids.items():
        query = query.replace(f"={name}", f"={pk}")
    html = page(client_as(officer_alice), f"{URL}?{query}")
    assert references(html) == expected


def test_it_says_how_many_contracts_match(
    portfolio: dict[str, Contract], client_as: ClientAs, officer_alice: User
) -> None:
    client = client_as(officer_alice)
    assert "2 contracts match your filters." in page(client, f"{URL}?rag=red")
    assert "1 contract matches your filters." in page(client, f"{URL}?rag=green")
    ignored = page(client, f"{URL}?rag=purple")
    assert "4 contracts." in ignored
    assert "match your filters" not in ignored


def test_it_says_when_no_contract_matches(
    portfolio: dict[str, Contract], client_as: ClientAs, officer_alice: User
) -> None:
    html = page(client_as(officer_alice), f"{URL}?rag=amber")
    assert "No contracts match your filters" in html
    assert "Contracts matching your filters" not in html


def test_it_offers_the_organisation_filter_only_to_people_who_see_several(
    portfolio: dict[str, Contract], client_as: ClientAs, officer_alice: User
) -> None:
    html = page(client_as(officer_alice), URL)
    assert 'name="directorate"' in html
    assert 'name="rag"' in html
    assert 'name="organisation"' not in html


def test_it_downloads_the_filtered_list_as_csv(
    portfolio: dict[str, Contract], client_as: ClientAs, officer_alice: User
) -> None:
    client = client_as(officer_alice)
    response = client.get(f"{URL}?rag=green&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="contracts-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    first = portfolio["first"]
    assert rows == [
        [
            "Reference",
            "Title",
            "Buying organisation",
            "Supplier",
            "Directorate",
            "Lever",
            "Status",
            "Value (£)",
            "Start date",
            "End date",
            "Committed (£)",
            "Due to date (£)",
            "Delivered, verified (£)",
            "% of pro-rata target",
            "RAG",
        ],
        [
            "LCC-001",
            "Highways maintenance",
            "Lancashire County Council",
            "Bob's Building Ltd",
            "Growth, Environment and Transport",
            "Procurement",
            "Live",
            "900000.00",
            first.start_date.isoformat(),
            first.end_date.isoformat(),
            "371565.00",
            "206425.00",
            "185782.50",
            "90.00",
            "Green",
        ],
    ]
    everything = client.get(f"{URL}?format=csv")
    lines = list(csv.reader(io.StringIO(everything.content.decode("utf-8-sig"))))
    assert [row[0] for row in lines[1:]] == ["LCC-003", "LCC-001", "LCC-002", "LCC-004"]
    html = page(client, f"{URL}?rag=green")
    assert "?rag=green&amp;format=csv" in html


def test_it_never_lets_a_spreadsheet_run_a_title_as_a_formula(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    make_contract(reference="LCC-900", title='=HYPERLINK("http://example.com")', targets=())
    response = client_as(officer_alice).get(f"{URL}?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://example.com")'


def test_it_pages_the_list_by_25(
    make_contract: ContractMaker, client_as: ClientAs, officer_alice: User
) -> None:
    for n in range(26):
        make_contract(reference=f"LCC-{n:03d}", targets=())
    client = client_as(officer_alice)
    first = page(client, URL)
    assert len(references(first)) == 25
    assert "Showing 1 to 25." in first
    second = page(client, f"{URL}?page=2")
    assert references(second) == ["LCC-025"]


def test_it_shows_suppliers_their_own_contracts_with_search_and_status_only(
    portfolio: dict[str, Contract], client_as: ClientAs, supplier_bob: User, supplier_carol: User
) -> None:
    bob = client_as(supplier_bob)
    html = page(bob, URL)
    assert references(html) == ["LCC-003", "BPC-001", "LCC-001", "LCC-004"]
    rows = {row[0].split()[0]: row for row in table(html, "Contracts")[1:]}
    assert rows["BPC-001"][1] == "Blackpool Council"  # the buyer, for a supplier
    assert rows["LCC-001"][5:] == ["£371,565.00", "£185,782.50", "90.00%", "Green"]
    assert "Your contracts" in html
    assert 'name="q"' in html
    assert 'name="status"' in html
    for officer_only in ("rag", "lever", "directorate", "supplier", "organisation"):
        assert f'name="{officer_only}"' not in html
    assert reverse("contracts:contract_new") not in html
    assert references(page(bob, f"{URL}?status=ended")) == ["LCC-004"]
    assert references(page(bob, f"{URL}?q=promenade")) == ["BPC-001"]
    # Officer filters do nothing for a supplier.
    assert len(references(page(bob, f"{URL}?rag=green"))) == 4
    assert references(page(client_as(supplier_carol), URL)) == ["LCC-002"]


@pytest.mark.parametrize("who", ["lead_lucy", "evaluator_erin", "officer_alice"])
def test_it_shows_council_staff_the_councils_contracts(
    portfolio: dict[str, Contract],
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
) -> None:
    html = page(client_as(request.getfixturevalue(who)), URL)
    assert references(html) == ["LCC-003", "LCC-001", "LCC-002", "LCC-004"]
    can_register = who != "evaluator_erin"
    assert (reverse("contracts:contract_new") in html) is can_register


def test_it_shows_another_organisations_officer_only_theirs(
    portfolio: dict[str, Contract], client_as: ClientAs, officer_olga: User
) -> None:
    assert references(page(client_as(officer_olga), URL)) == ["BPC-001"]


def test_it_explains_an_empty_list(
    client_as: ClientAs, officer_alice: User, supplier_carol: User
) -> None:
    officer = page(client_as(officer_alice), URL)
    assert "Your organisation has no contracts yet." in officer
    assert "Filter contracts" not in officer
    supplier = page(client_as(supplier_carol), URL)
    assert "Your organisation holds no contracts yet." in supplier


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"
