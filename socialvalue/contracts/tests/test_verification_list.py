"""The officers' list of returns: filters, counts of their own lines, summary, pages.

Worked example (P-2 is three quarters before this one, P0 the quarter before last, P1 last
quarter, Pc this quarter):

- Bob's Building holds the council's LCC-TEST-001 from P-2 and Blackpool's BPL-ROADS-7
  from P0; Carol's Care holds the council's LCC-CARE-2 from P0.
- Bob: P-2 never submitted (overdue); P0 a nil return; P1 submitted with council lines NT1
  (verified) and NT18 (awaiting) and Blackpool's NT1 (awaiting); Pc open.
- Carol: P0 NT18 verified (fully verified); P1 NT1 queried; Pc open.

So the council sees 7 returns (4 of Bob's, 3 of Carol's); Blackpool sees Bob's P0, P1 and
Pc (BPL-ROADS-7 started in P0).
"""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.accounts.tests.factories import OrganisationFactory
from socialvalue.contracts.models import ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_query, line_verify, return_submit
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter

ClientAs = Callable[[User | None], Client]
LIST = "/returns/"


@pytest.fixture
def periods(this_quarter: Quarter, db: None) -> dict[str, ReportingPeriod]:
    p1 = this_quarter.previous()
    p0 = p1.previous()
    return {
        "P-2": period_for(p0.previous()),
        "P0": period_for(p0),
        "P1": period_for(p1),
        "Pc": period_for(this_quarter),
    }


@pytest.fixture
def example(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    periods: dict[str, ReportingPeriod],
    bobs_building: Organisation,
    carols_care: Organisation,
    blackpool: Organisation,
    supplier_bob: User,
    supplier_carol: User,
    officer_alice: User,
    officer_olga: User,
) -> dict[str, Any]:
    def after(p: str) -> Any:
        return periods[p].end_date + timedelta(days=1)

    highways = make_contract(start=periods["P-2"].start_date)
    promenade = make_contract(
        reference="BPL-ROADS-7", organisation=blackpool, start=periods["P0"].start_date
    )
    care = make_contract(
        reference="LCC-CARE-2", supplier=carols_care, start=periods["P0"].start_date
    )

    bob_p0 = make_return(bobs_building, periods["P0"])
    return_submit(bob_p0, by=supplier_bob, nil=True, today=after("P0"))
    bob_p1 = make_return(bobs_building, periods["P1"])
    nt1 = add_line(bob_p1, highways, "NT1", "1.5")
    add_line(bob_p1, highways, "NT18", "1000")
    add_line(bob_p1, promenade, "NT1", "2")
    return_submit(bob_p1, by=supplier_bob, today=after("P1"))
    line_verify(nt1, by=officer_alice)

    carol_p0 = make_return(carols_care, periods["P0"])
    carol_nt18 = add_line(carol_p0, care, "NT18", "500")
    return_submit(carol_p0, by=supplier_carol, today=after("P0"))
    line_verify(carol_nt18, by=officer_alice)
    carol_p1 = make_return(carols_care, periods["P1"])
    carol_nt1 = add_line(carol_p1, care, "NT1", "1")
    return_submit(carol_p1, by=supplier_carol, today=after("P1"))
    line_query(carol_nt1, by=officer_alice, message="Is this FTE or headcount?")
    return {
        "highways": highways,
        "care": care,
        "promenade": promenade,
        "bob_p1": bob_p1,
        "carol_p0": carol_p0,
    }


def shown(client: Client, query: str = "") -> list[tuple[str, str]]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return [
        (row.record.supplier.name, row.record.period.short_label)
        for row in response.context["rows"]
    ]


def label(periods: dict[str, ReportingPeriod], key: str) -> str:
    return periods[key].short_label


BOB = "Bob's Building Ltd"
CAROL = "Carol's Care CIC"


def test_it_shows_last_quarter_by_default(
    client_as: ClientAs, officer_alice: User, example: Any, periods: Any
) -> None:
    client = client_as(officer_alice)
    assert shown(client) == [(BOB, label(periods, "P1")), (CAROL, label(periods, "P1"))]
    html = client.get(LIST).content.decode()
    assert f'<option value="{periods["P1"].slug}" selected>' in html


def test_it_opens_this_quarters_returns_first(
    client_as: ClientAs, officer_alice: User, example: Any, periods: Any
) -> None:
    assert not Return.objects.filter(period=periods["Pc"]).exists()
    client_as(officer_alice).get(LIST)
    assert Return.objects.filter(period=periods["Pc"]).count() == 2


def test_it_shows_every_quarter_newest_first(
    client_as: ClientAs, officer_alice: User, example: Any, periods: Any
) -> None:
    rows = shown(client_as(officer_alice), "quarter=all")
    assert rows == [
        (BOB, label(periods, "Pc")),
        (CAROL, label(periods, "Pc")),
        (BOB, label(periods, "P1")),
        (CAROL, label(periods, "P1")),
        (BOB, label(periods, "P0")),
        (CAROL, label(periods, "P0")),
        (BOB, label(periods, "P-2")),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=to-verify", [(BOB, "P1")]),
        ("state=queried", [(CAROL, "P1")]),
        ("state=not-submitted", [(BOB, "Pc"), (CAROL, "Pc"), (BOB, "P-2")]),
        ("state=overdue", [(BOB, "P-2")]),
        ("state=nil", [(BOB, "P0")]),
        ("state=verified", [(CAROL, "P0")]),
        ("supplier=carol", [(CAROL, "Pc"), (CAROL, "P1"), (CAROL, "P0")]),
        ("contract=care", [(CAROL, "Pc"), (CAROL, "P1"), (CAROL, "P0")]),
        ("contract=highways", [(BOB, "Pc"), (BOB, "P1"), (BOB, "P0"), (BOB, "P-2")]),
        ("contract=highways&state=to-verify", [(BOB, "P1")]),
        ("contract=care&state=to-verify", []),
    ],
)
def test_each_filter_narrows_the_list(
    client_as: ClientAs,
    officer_alice: User,
    example: Any,
    periods: Any,
    carols_care: Organisation,
    query: str,
    expected: list[tuple[str, str]],
) -> None:
    query = query.replace("supplier=carol", f"supplier={carols_care.pk}")
    for name in ("care", "highways"):
        query = query.replace(f"contract={name}", f"contract={example[name].pk}")
    rows = shown(client_as(officer_alice), f"quarter=all&{query}")
    assert rows == [(who, label(periods, key)) for who, key in expected]


def test_it_filters_by_quarter(
    client_as: ClientAs, officer_alice: User, example: Any, periods: Any
) -> None:
    rows = shown(client_as(officer_alice), f"quarter={periods['P0'].slug}")
    assert rows == [(BOB, label(periods, "P0")), (CAROL, label(periods, "P0"))]


def test_it_falls_back_to_last_quarter_for_an_unknown_quarter(
    client_as: ClientAs, officer_alice: User, example: Any, periods: Any
) -> None:
    rows = shown(client_as(officer_alice), "quarter=2099-q9&state=bogus&supplier=abc")
    assert rows == [(BOB, label(periods, "P1")), (CAROL, label(periods, "P1"))]


def test_it_counts_only_the_officers_own_lines(
    client_as: ClientAs, officer_alice: User, officer_olga: User, example: Any
) -> None:
    def counts(user: User) -> tuple[int, int, int, int]:
        response = client_as(user).get(LIST)
        row = next(r for r in response.context["rows"] if r.record.supplier.name == BOB)
        r = row.record
        return (r.n_submitted, r.n_queried, r.n_verified, r.n_rejected)

    assert counts(officer_alice) == (1, 0, 1, 0)
    assert counts(officer_olga) == (1, 0, 0, 0)


def test_it_sums_up_what_waits_for_the_council(
    client_as: ClientAs, officer_alice: User, example: Any
) -> None:
    response = client_as(officer_alice).get(LIST)
    summary = response.context["summary"]
    assert (summary.to_verify, summary.to_verify_returns, summary.queried, summary.overdue) == (
        1,
        1,
        1,
        1,
    )
    html = " ".join(response.content.decode().split())
    assert '1</span> <span class="app-key-figure__label"><a' in html
    assert "line needs verification</a> in 1 return" in html


def test_olga_sees_only_blackpools_returns_and_lines(
    client_as: ClientAs, officer_olga: User, example: Any, periods: Any
) -> None:
    client = client_as(officer_olga)
    assert shown(client, "quarter=all") == [
        (BOB, label(periods, "Pc")),
        (BOB, label(periods, "P1")),
        (BOB, label(periods, "P0")),
    ]
    summary = client.get(LIST).context["summary"]
    assert (summary.to_verify, summary.queried, summary.overdue) == (1, 0, 0)
    assert CAROL not in client.get(f"{LIST}?quarter=all").content.decode().replace("&#x27;", "'")


def test_verifying_the_councils_last_line_leaves_blackpools_waiting(
    client_as: ClientAs, officer_alice: User, officer_olga: User, example: Any
) -> None:
    nt18 = example["bob_p1"].lines.get(measure__code="NT18")
    line_verify(nt18, by=officer_alice)
    assert shown(client_as(officer_alice), "quarter=all&state=to-verify") == []
    assert len(shown(client_as(officer_olga), "quarter=all&state=to-verify")) == 1
    assert len(shown(client_as(officer_alice), "quarter=all&state=verified")) == 2


def test_it_says_whether_each_return_came_in_on_time(
    client_as: ClientAs, officer_alice: User, example: Any, periods: Any
) -> None:
    due = periods["P1"].due_date
    noon = time(12)
    Return.objects.filter(pk=example["bob_p1"].pk).update(
        submitted_at=timezone.make_aware(datetime.combine(due, noon))
    )
    Return.objects.filter(supplier__name=CAROL, period=periods["P1"]).update(
        submitted_at=timezone.make_aware(datetime.combine(due + timedelta(days=1), noon))
    )
    response = client_as(officer_alice).get(f"{LIST}?quarter=all")
    timings = {
        (row.record.supplier.name, row.record.period_id): row.timing.label
        for row in response.context["rows"]
    }
    assert timings[(BOB, periods["P1"].pk)] == "On time"
    assert timings[(CAROL, periods["P1"].pk)] == "Late"
    assert timings[(BOB, periods["P-2"].pk)] == "Overdue"
    assert timings[(BOB, periods["Pc"].pk)] == "Not yet"


@pytest.mark.parametrize("who", ["lead_lucy", "evaluator_erin"])
def test_it_shows_the_list_to_other_council_staff(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, example: Any, periods: Any
) -> None:
    rows = shown(client_as(request.getfixturevalue(who)), "quarter=all")
    assert len(rows) == 7


def test_it_sends_dave_to_sign_in(public_dave: Client) -> None:
    response = public_dave.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_says_when_there_are_no_returns_yet(client_as: ClientAs, officer_olga: User) -> None:
    html = client_as(officer_olga).get(LIST).content.decode()
    assert "There are no returns for your organisation's contracts yet." in html


def test_it_says_when_no_return_matches(
    client_as: ClientAs, officer_alice: User, example: Any
) -> None:
    response = client_as(officer_alice).get(f"{LIST}?state=nil")
    assert response.context["rows"] == []
    assert "No returns match your filters" in response.content.decode()


def test_it_pages_the_list_by_25(
    client_as: ClientAs,
    officer_alice: User,
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    last_period: ReportingPeriod,
) -> None:
    for n in range(26):
        supplier = OrganisationFactory.create(
            name=f"Supplier {n:02d}", kind=Organisation.Kind.SUPPLIER
        )
        make_contract(reference=f"LCC-P-{n:02d}", supplier=supplier, targets=())
    client = client_as(officer_alice)
    first = client.get(LIST)
    assert len(first.context["rows"]) == 25
    assert first.context["page"].paginator.count == 26
    assert "Showing 1 to 25." in first.content.decode()
    second = client.get(f"{LIST}?page=2")
    assert [row.record.supplier.name for row in second.context["rows"]] == ["Supplier 25"]
    assert Return.objects.filter(period=last_period).count() == 26


def test_it_is_not_for_a_contract_of_another_council(
    client_as: ClientAs, officer_alice: User, example: Any
) -> None:
    """Blackpool's contract is not a choice for Alice: the filter is ignored."""
    rows = shown(client_as(officer_alice), f"quarter=all&contract={example['promenade'].pk}")
    assert len(rows) == 7


def test_it_counts_only_the_chosen_contracts_lines(
    client_as: ClientAs,
    officer_alice: User,
    example: Any,
    periods: Any,
    make_contract: ContractMaker,
) -> None:
    """Bob's second council contract has nothing in last quarter's return."""
    parks = make_contract(reference="LCC-PARKS-9", start=periods["P0"].start_date)
    client = client_as(officer_alice)
    response = client.get(f"{LIST}?contract={parks.pk}")
    [row] = response.context["rows"]
    r = row.record
    assert (r.supplier.name, r.n_submitted, r.n_verified) == (BOB, 0, 0)
    assert shown(client, f"quarter=all&contract={parks.pk}&state=to-verify") == []
    assert shown(client, f"contract={example['highways'].pk}&state=to-verify") == [
        (BOB, label(periods, "P1"))
    ]
