"""The contracts API: reporting periods, who sees which contracts, targets and their
profile, performance with hand-computed figures, and registering a contract directly."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingPeriod, Return
from socialvalue.contracts.tests.api_support import ClientAs, detail, send, token_client
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter

CONTRACTS = "/api/v1/contracts"


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def olgas_contract(make_contract: ContractMaker, blackpool: Organisation) -> Contract:
    return make_contract(reference="BC-001", organisation=blackpool, title="Promenade works")


@pytest.fixture
def carols_contract(make_contract: ContractMaker, carols_care: Organisation) -> Contract:
    return make_contract(
        reference="LCC-CARE-1", supplier=carols_care, title="Home care", lever="grant"
    )


# --- Reporting periods --------------------------------------------------------------------


def test_it_lists_reporting_periods_latest_first(
    client_as: ClientAs, supplier_bob: User, contract: Contract, last_quarter: Quarter
) -> None:
    response = client_as(supplier_bob).get("/api/v1/reporting-periods")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9  # the contract's nine quarters, the current one among them
    starts = [item["start_date"] for item in body["items"]]
    assert starts == sorted(starts, reverse=True)
    slug = f"{last_quarter.year}-q{last_quarter.number}"
    [last] = [item for item in body["items"] if item["slug"] == slug]
    assert last == {
        "slug": slug,
        "label": last_quarter.label,
        "short_label": last_quarter.short_label,
        "start_date": last_quarter.start.isoformat(),
        "end_date": last_quarter.end.isoformat(),
        "due_date": (last_quarter.end + timedelta(days=30)).isoformat(),
    }


def test_it_pages_reporting_periods(
    client_as: ClientAs, officer_alice: User, contract: Contract
) -> None:
    client = client_as(officer_alice)
    page = client.get("/api/v1/reporting-periods?limit=2&offset=8").json()
    assert page["count"] == 9
    assert len(page["items"]) == 1
    assert client.get("/api/v1/reporting-periods?limit=101").status_code == 422
    assert client.get("/api/v1/reporting-periods?offset=-1").status_code == 422
    assert client.get("/api/v1/reporting-periods?offset=99999999999999999999").status_code == 422


# --- Who sees which contracts -------------------------------------------------------------


def test_it_lists_the_contracts_a_supplier_holds(
    client_as: ClientAs,
    supplier_bob: User,
    contract: Contract,
    olgas_contract: Contract,
    carols_contract: Contract,
    bobs_building: Organisation,
    council: Organisation,
) -> None:
    body = client_as(supplier_bob).get(CONTRACTS).json()
    assert body["count"] == 2
    assert [item["reference"] for item in body["items"]] == ["BC-001", "LCC-TEST-001"]
    assert body["items"][1] == {
        "id": contract.pk,
        "reference": "LCC-TEST-001",
        "title": "Highways maintenance",
        "buyer": {"id": council.pk, "name": "Lancashire County Council"},
        "supplier": {"id": bobs_building.pk, "name": "Bob's Building Ltd"},
        "lever": "procurement",
        "status": "live",
        "value": "900000.00",
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        # Four quarters are past their due date and nothing is delivered: 0% and red.
        "rag": "red",
        "percent": "0.00",
    }


@pytest.mark.parametrize(
    ("who", "references"),
    [
        ("officer_alice", ["LCC-CARE-1", "LCC-TEST-001"]),
        ("lead_lucy", ["LCC-CARE-1", "LCC-TEST-001"]),
        ("officer_olga", ["BC-001"]),
        ("supplier_carol", ["LCC-CARE-1"]),
    ],
)
def test_it_lists_each_callers_contracts(
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
    references: list[str],
    contract: Contract,
    olgas_contract: Contract,
    carols_contract: Contract,
) -> None:
    body = client_as(request.getfixturevalue(who)).get(CONTRACTS).json()
    assert sorted(item["reference"] for item in body["items"]) == references


def test_it_asks_for_credentials(public_dave: Client, contract: Contract) -> None:
    for url in [CONTRACTS, f"{CONTRACTS}/{contract.pk}", "/api/v1/reporting-periods"]:
        response = public_dave.get(url)
        assert response.status_code == 401
        assert detail(response) == [
            (["header", "Authorization"], "A valid bearer token is required.")
        ]
    assert send(public_dave, "POST", CONTRACTS, {}).status_code == 401


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supplier_bob", 200),
        ("officer_alice", 200),
        ("evaluator_erin", 200),
        ("supplier_carol", 404),
        ("officer_olga", 404),
    ],
)
def test_it_shows_a_contract_only_to_its_parties(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, status: int, contract: Contract
) -> None:
    user = request.getfixturevalue(who)
    for client in [client_as(user), token_client(user)]:
        response = client.get(f"{CONTRACTS}/{contract.pk}")
        assert response.status_code == status
        if status == 404:
            assert detail(response) == [([], "No such contract.")]


def test_it_gives_404_for_contracts_that_do_not_exist(
    client_as: ClientAs, supplier_bob: User
) -> None:
    client = client_as(supplier_bob)
    assert client.get(f"{CONTRACTS}/999999").status_code == 404
    assert client.get(f"{CONTRACTS}/99999999999999999999").status_code == 422
    assert client.get(f"{CONTRACTS}/0").status_code == 422
    assert client.get(f"{CONTRACTS}/abc").status_code == 422


def test_it_filters_contracts(
    client_as: ClientAs,
    officer_alice: User,
    contract: Contract,
    carols_contract: Contract,
    make_contract: ContractMaker,
    carols_care: Organisation,
) -> None:
    ended = make_contract(reference="LCC-OLD", supplier=carols_care, targets=())
    Contract.objects.filter(pk=ended.pk).update(status=Contract.Status.ENDED)
    client = client_as(officer_alice)

    def refs(query: str) -> list[str]:
        response = client.get(f"{CONTRACTS}?{query}")
        assert response.status_code == 200, response.content
        return sorted(item["reference"] for item in response.json()["items"])

    assert refs("status=ended") == ["LCC-OLD"]
    assert refs("status=live") == ["LCC-CARE-1", "LCC-TEST-001"]
    assert refs("lever=grant") == ["LCC-CARE-1"]
    assert refs(f"supplier={carols_care.pk}") == ["LCC-CARE-1", "LCC-OLD"]
    assert refs("rag=red") == ["LCC-CARE-1", "LCC-TEST-001"]
    assert refs("rag=not_due") == ["LCC-OLD"]  # no targets: nothing is ever due
    assert refs("rag=green") == []
    assert refs("rag=red&limit=1&offset=1") == ["LCC-TEST-001"]
    for query in ["status=open", "lever=tender", "rag=blue", "supplier=x", "supplier=0"]:
        response = client.get(f"{CONTRACTS}?{query}")
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][0] == "query"


# --- One contract: targets, profile and performance ---------------------------------------


def test_it_shows_a_contracts_targets_and_quarterly_profile(
    client_as: ClientAs, officer_alice: User, contract: Contract
) -> None:
    body = client_as(officer_alice).get(f"{CONTRACTS}/{contract.pk}").json()
    assert body["directorate"] is None
    assert body["category"] == ""
    assert body["framework"] == "lancashire-toms-2024"
    assert body["tender"] is None
    nt1, nt18 = body["targets"]
    assert nt1["measure"] == "NT1"
    assert nt1["quantity"] == "9"
    assert nt1["value"] == "281565.00"  # 9 × £31,285.00
    assert list(nt1["profile"].values()) == ["1"] * 9  # 9 over 9 quarters
    slugs = [p.slug for p in ReportingPeriod.objects.order_by("start_date")]
    assert list(nt1["profile"]) == slugs
    assert nt18["quantity"] == "90000"
    assert set(nt18["profile"].values()) == {"10000"}
    performance = body["performance"]
    assert performance["target_value"] == "371565.00"  # 281,565 + 90,000 × £1.00
    assert [m["measure"] for m in performance["measures"]] == ["NT1", "NT18"]


@pytest.mark.parametrize(
    ("verified", "percent", "rag", "delivered_value"),
    [
        ("4.5", "90.00", "green", "140782.50"),  # 4.5 ÷ 5 = 90%
        ("3.5", "70.00", "amber", "109497.50"),  # 3.5 ÷ 5 = 70%
        ("3.49", "69.80", "red", "109184.65"),  # 3.49 ÷ 5 = 69.8%
    ],
)
def test_it_works_out_performance_against_the_pro_rata_target(
    client_as: ClientAs,
    supplier_bob: User,
    officer_alice: User,
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    last_period: ReportingPeriod,
    bobs_building: Organisation,
    verified: str,
    percent: str,
    rag: str,
    delivered_value: str,
) -> None:
    contract = make_contract(targets=[("NT1", "9")])
    return_record = make_return(bobs_building, last_period)
    bob, alice = client_as(supplier_bob), client_as(officer_alice)
    base = f"/api/v1/returns/{return_record.pk}"
    line = send(
        bob,
        "POST",
        f"{base}/lines",
        {"contract": contract.pk, "measure": "NT1", "quantity": verified, "district": "Preston"},
    ).json()
    assert send(bob, "POST", f"{base}/submit").status_code == 200

    before = alice.get(f"{CONTRACTS}/{contract.pk}").json()["performance"]
    [nt1] = before["measures"]
    # Four quarters before last quarter are past due, and last quarter's return is in.
    assert before["reported_periods"][-1] == last_period.slug
    assert len(before["reported_periods"]) == 5
    assert (nt1["due_quantity"], nt1["due_value"]) == ("5", "156425.00")  # 5 × £31,285
    assert (nt1["delivered_quantity"], nt1["awaiting_quantity"]) == ("0", verified)
    assert (nt1["percent"], nt1["rag"]) == ("0.00", "red")

    verify = send(alice, "POST", f"{base}/lines/{line['id']}/verify", {"message": ""})
    assert verify.status_code == 200

    after = client_as(supplier_bob).get(f"{CONTRACTS}/{contract.pk}").json()
    [nt1] = after["performance"]["measures"]
    assert nt1 == {
        "measure": "NT1",
        "target_quantity": "9",
        "target_value": "281565.00",
        "due_quantity": "5",
        "due_value": "156425.00",
        "delivered_quantity": verified,
        "delivered_value": delivered_value,
        "awaiting_quantity": "0",
        "percent": percent,
        "rag": rag,
    }
    totals = after["performance"]
    assert (totals["due_value"], totals["delivered_value"]) == ("156425.00", delivered_value)
    assert (totals["percent"], totals["rag"]) == (percent, rag)
    assert (after["percent"], after["rag"]) == (percent, rag)
    assert totals["additional"] == []
    assert totals["additional_value"] == "0.00"


def test_it_shows_delivery_on_measures_without_a_target_apart(
    client_as: ClientAs,
    supplier_bob: User,
    officer_alice: User,
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    last_period: ReportingPeriod,
    bobs_building: Organisation,
) -> None:
    contract = make_contract(targets=[("NT1", "9")])
    return_record = make_return(bobs_building, last_period)
    bob, alice = client_as(supplier_bob), client_as(officer_alice)
    base = f"/api/v1/returns/{return_record.pk}"
    line = send(
        bob,
        "POST",
        f"{base}/lines",
        {"contract": "LCC-TEST-001", "measure": "nt4", "quantity": 2, "district": "outside"},
    ).json()
    send(bob, "POST", f"{base}/submit")
    send(alice, "POST", f"{base}/lines/{line['id']}/verify")
    performance = alice.get(f"{CONTRACTS}/{contract.pk}").json()["performance"]
    [nt4] = performance["additional"]
    assert (nt4["measure"], nt4["delivered_quantity"]) == ("NT4", "2")
    assert nt4["delivered_value"] == "30765.80"  # 2 × £15,382.90
    assert performance["additional_value"] == "30765.80"
    assert performance["delivered_value"] == "0.00"


def test_it_documents_the_api(public_dave: Client) -> None:
    response = public_dave.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert set(paths["/api/v1/returns/{return_id}/lines/{line_id}"]) == {"patch", "delete"}
    assert "multipart/form-data" in str(
        paths["/api/v1/returns/{return_id}/lines/{line_id}/evidence"]["post"]["requestBody"]
    )
    schemas = document["components"]["schemas"]
    for name in [
        "ContractDetailOut",
        "PerformanceOut",
        "ReturnDetailOut",
        "LineOut",
        "EvidenceOut",
    ]:
        assert name in schemas
    assert paths["/api/v1/contracts"]["get"]["tags"] == ["contracts"]
    assert paths["/api/v1/returns"]["get"]["tags"] == ["returns"]
    assert "409" in paths["/api/v1/returns/{return_id}/submit"]["post"]["responses"]
