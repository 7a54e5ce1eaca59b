"""The returns API: listing and reading returns as each of the cast, and submitting
them, with every refusal answered and nothing changed."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.periods import current_period
from socialvalue.contracts.returns import (
    ERR_NIL_WITH_LINES,
    ERR_NOT_YET,
    ERR_NOTHING,
    ERR_RETURN_SUBMITTED,
)
from socialvalue.contracts.tests.api_support import (
    ClientAs,
    add,
    detail,
    send,
    token_client,
    url,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def return_record(
    contract: Contract,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
) -> Return:
    return make_return(bobs_building, last_period)


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


@pytest.fixture
def alice(client_as: ClientAs, officer_alice: User) -> Client:
    return client_as(officer_alice)


# --- Listing and reading returns ----------------------------------------------------------


def test_it_opens_and_lists_a_suppliers_returns(
    bob: Client, contract: Contract, last_quarter: Quarter
) -> None:
    body = bob.get("/api/v1/returns").json()
    # The contract started four quarters before last quarter: those four, last quarter and
    # the current one have returns.
    assert body["count"] == 6
    current = current_period()
    assert body["items"][0]["period"]["slug"] == current.slug
    item = body["items"][1]
    assert item["period"]["short_label"] == last_quarter.short_label
    assert item["supplier"]["name"] == "Bob's Building Ltd"
    assert (item["status"], item["is_nil"], item["submitted_at"]) == ("draft", False, None)
    assert item["submitted_on_time"] is None
    slug = f"{last_quarter.year}-q{last_quarter.number}"
    filtered = bob.get(f"/api/v1/returns?period={slug}").json()
    assert [i["id"] for i in filtered["items"]] == [item["id"]]
    assert bob.get("/api/v1/returns?status=submitted").json()["count"] == 0
    assert bob.get("/api/v1/returns?period=1999-q1").json()["count"] == 0
    for query in ["period=2026-q5", "period=last", "status=open"]:
        response = bob.get(f"/api/v1/returns?{query}")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][0] == "query"
    assert bob.get("/api/v1/returns?period=2026-q1%00").status_code == 400
    assert bob.get("/api/v1/returns").json()["count"] == 6  # opening again opens nothing


def test_it_shows_officers_only_their_organisations_lines(
    bob: Client,
    alice: Client,
    client_as: ClientAs,
    officer_olga: User,
    supplier_carol: User,
    return_record: Return,
    make_contract: ContractMaker,
    blackpool: Organisation,
) -> None:
    make_contract(reference="BC-001", organisation=blackpool, title="Promenade works")
    council_line = add(bob, return_record).json()
    blackpool_line = add(bob, return_record, contract="BC-001", measure="NT18", quantity=500)
    assert blackpool_line.status_code == 201
    blackpool_id = blackpool_line.json()["id"]

    mine = bob.get(url(return_record)).json()
    assert [line["id"] for line in mine["lines"]] == [blackpool_id, council_line["id"]]
    assert [c["reference"] for c in mine["contracts"]] == ["BC-001", "LCC-TEST-001"]
    # Until Bob submits, his lines (and their evidence) are his own.
    assert alice.get(url(return_record)).json()["lines"] == []
    assert client_as(officer_olga).get(url(return_record)).json()["lines"] == []
    assert send(bob, "POST", f"{url(return_record)}/submit", {}).status_code == 200

    council = alice.get(url(return_record)).json()
    assert [line["id"] for line in council["lines"]] == [council_line["id"]]
    assert [c["reference"] for c in council["contracts"]] == ["LCC-TEST-001"]
    olga = client_as(officer_olga)
    assert [line["id"] for line in olga.get(url(return_record)).json()["lines"]] == [blackpool_id]
    assert olga.get("/api/v1/returns").json()["count"] == 1
    assert client_as(supplier_carol).get(url(return_record)).status_code == 404
    assert client_as(supplier_carol).get("/api/v1/returns").json()["count"] == 0


def test_it_gives_404_for_another_suppliers_return_and_for_an_outside_officer(
    client_as: ClientAs, supplier_carol: User, officer_olga: User, return_record: Return
) -> None:
    for user in [supplier_carol, officer_olga]:
        for client in [client_as(user), token_client(user)]:
            response = client.get(url(return_record))
            assert response.status_code == 404
            assert detail(response) == [([], "No such return.")]
    assert Client().get(url(return_record)).status_code == 401
    assert Client().get("/api/v1/returns").status_code == 401


# --- Submitting ---------------------------------------------------------------------------


def test_it_refuses_to_submit_before_the_quarter_ends(
    bob: Client, contract: Contract, make_return: Callable[..., Return], this_quarter: Quarter
) -> None:
    current = make_return(contract.supplier, current_period())
    add(bob, current)
    response = send(bob, "POST", url(current, "/submit"))
    assert response.status_code == 409
    assert detail(response) == [
        (
            [],
            ERR_NOT_YET.format(
                period=this_quarter.short_label, day=this_quarter.end + timedelta(days=1)
            ),
        )
    ]
    current.refresh_from_db()
    assert current.status == Return.Status.DRAFT
    assert ReturnLine.objects.get().status == ReturnLine.Status.DRAFT


def test_it_submits_a_nil_return_only_without_lines(bob: Client, return_record: Return) -> None:
    assert detail(send(bob, "POST", url(return_record, "/submit"), {"nil": False})) == [
        ([], ERR_NOTHING)
    ]
    assert detail(send(bob, "POST", url(return_record, "/submit"), {"nil": "yes"})) == [
        (["body", "nil"], "Nil must be true or false.")
    ]
    line = add(bob, return_record).json()
    refused = send(bob, "POST", url(return_record, "/submit"), {"nil": True})
    assert refused.status_code == 409
    assert detail(refused) == [([], ERR_NIL_WITH_LINES.format(count=1))]
    send(bob, "DELETE", url(return_record, f"/lines/{line['id']}"))
    # Due today: submitted on time.
    ReportingPeriod.objects.filter(pk=return_record.period_id).update(due_date=timezone.localdate())

    response = send(bob, "POST", url(return_record, "/submit"), {"nil": True})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["is_nil"], body["lines"]) == ("submitted", True, [])
    assert body["submitted_by"] == "Bob Builder"
    assert body["submitted_on_time"] is True
    again = send(bob, "POST", url(return_record, "/submit"), {"nil": True})
    assert again.status_code == 409
    assert detail(again) == [([], ERR_RETURN_SUBMITTED)]
    late_line = add(bob, return_record)
    assert late_line.status_code == 409
    assert detail(late_line) == [([], ERR_RETURN_SUBMITTED)]
