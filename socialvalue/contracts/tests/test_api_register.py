"""Registering a contract directly through the API: for the officer's own organisation,
with every mistake named field by field and nothing saved."""

from decimal import Decimal
from typing import Any

import pytest

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, Target
from socialvalue.contracts.tests.api_support import ClientAs, detail, send, token_client
from socialvalue.contracts.tests.conftest import ContractMaker

CONTRACTS = "/api/v1/contracts"


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def olgas_contract(make_contract: ContractMaker, blackpool: Organisation) -> Contract:
    return make_contract(reference="BC-001", organisation=blackpool, title="Promenade works")


# --- Registering a contract ---------------------------------------------------------------


def registration(supplier: Organisation, **changes: Any) -> dict[str, Any]:
    return {
        "supplier": supplier.pk,
        "reference": "LCC-2023-044",
        "title": "Street lighting",
        "lever": "planning",
        "value": "250000.00",
        "start_date": "2025-04-01",
        "end_date": "2026-03-31",
        "targets": [{"measure": "NT1", "quantity": "2"}, {"measure": "nt18", "quantity": 4000}],
        **changes,
    }


def test_it_registers_a_contract_for_the_officers_organisation(
    client_as: ClientAs, officer_alice: User, bobs_building: Organisation, toms: Any
) -> None:
    service_area = officer_alice.service_area
    assert service_area is not None
    directorate = service_area.directorate
    body = registration(
        bobs_building,
        directorate="growth, environment and transport",
        service_area=service_area.pk,
        category="highways",
        contract_manager="ALICE@lancashire.example",
    )
    response = send(token_client(officer_alice), "POST", CONTRACTS, body)
    assert response.status_code == 201, response.content
    created = response.json()
    contract = Contract.objects.get()
    assert created["id"] == contract.pk
    assert created["buyer"]["name"] == "Lancashire County Council"
    assert created["supplier"]["name"] == "Bob's Building Ltd"
    assert (created["lever"], created["value"], created["status"]) == (
        "planning",
        "250000.00",
        "live",
    )
    assert created["directorate"] == directorate.name
    assert created["service_area"] == "Highways"
    assert created["contract_manager"] == {
        "name": "Alice Officer",
        "email": "alice@lancashire.example",
    }
    assert created["framework"] == "lancashire-toms-2024"
    nt1, nt18 = created["targets"]
    assert nt1["profile"] == {
        "2025-q1": "0.5",
        "2025-q2": "0.5",
        "2025-q3": "0.5",
        "2025-q4": "0.5",
    }
    assert (nt18["quantity"], nt18["value"]) == ("4000", "4000.00")
    assert contract.history.first().history_user == officer_alice
    assert Target.objects.filter(contract=contract).count() == 2


@pytest.mark.parametrize("who", ["supplier_bob", "supplier_carol"])
def test_it_refuses_registration_to_suppliers(
    client_as: ClientAs, request: pytest.FixtureRequest, who: str, bobs_building: Organisation
) -> None:
    response = send(
        client_as(request.getfixturevalue(who)), "POST", CONTRACTS, registration(bobs_building)
    )
    assert response.status_code == 403
    assert detail(response) == [([], "Only council officers can do that.")]
    assert not Contract.objects.exists()


def test_it_names_every_mistake_in_a_registration_and_saves_nothing(
    client_as: ClientAs, officer_alice: User, council: Organisation, olgas_contract: Contract
) -> None:
    count = Contract.objects.count()
    body = {
        "supplier": council.pk,  # a buyer, not a supplier
        "reference": "x" * 51,
        "title": "a\x00b",
        "lever": "tender",
        "value": "NaN",
        "start_date": "1 April 2025",
        "end_date": "9999-12-31",
        "framework": "no-such-framework",
        "directorate": "Blackpool Highways",
        "service_area": 999999,
        "category": "jam",
        "contract_manager": "olga@blackpool.example",
        "targets": [{"measure": "NT1", "quantity": "-1"}, {"measure": 7}, "NT1"],
    }
    response = send(client_as(officer_alice), "POST", CONTRACTS, body)
    assert response.status_code == 422
    assert detail(response) == [
        (["body", "supplier"], f"No supplier organisation has the id {council.pk}."),
        (["body", "reference"], "Reference must be 50 characters or fewer."),
        (["body", "title"], "Title must not contain NUL characters."),
        (["body", "lever"], "Lever must be one of: procurement, planning, grant."),
        (
            ["body", "value"],
            'Value must be an amount in pounds of more than 0, such as "250000.00".',
        ),
        (
            ["body", "start_date"],
            'Start date must be a date written as YYYY-MM-DD, such as "2026-04-01".',
        ),
        (["body", "end_date"], "End date must be between 2000-01-01 and 2100-12-31."),
        (
            ["body", "framework"],
            "No published framework version has the slug 'no-such-framework'.",
        ),
        (
            ["body", "directorate"],
            "Lancashire County Council has no directorate 'Blackpool Highways'.",
        ),
        (["body", "service_area"], "Choose the directorate of the service area too."),
        (
            ["body", "category"],
            "Category must be one of: construction, highways, adult_social_care, "
            "childrens_services, public_health, ict, facilities, professional_services, "
            "waste, transport, goods, other.",
        ),
        (
            ["body", "contract_manager"],
            "Lancashire County Council has no member of staff 'olga@blackpool.example'.",
        ),
        (["body", "targets", 0, "quantity"], "Quantity must be 0 or more."),
        (["body", "targets", 1, "measure"], "Measure must be a measure code, such as 'NT1'."),
        (["body", "targets", 1, "quantity"], "Quantity is required."),
        (["body", "targets", 2], "Each target must be an object with a measure and a quantity."),
    ]
    assert Contract.objects.count() == count


def test_it_passes_on_the_services_refusals_field_by_field(
    client_as: ClientAs, officer_alice: User, bobs_building: Organisation, contract: Contract
) -> None:
    body = registration(
        bobs_building,
        reference="LCC-TEST-001",
        end_date="2025-03-31",
        targets=[{"measure": "NT1", "quantity": "1"}, {"measure": "NT1", "quantity": "2"}],
    )
    response = send(client_as(officer_alice), "POST", CONTRACTS, body)
    assert response.status_code == 422
    assert detail(response) == [
        (["body", "end_date"], "The end date must be on or after the start date."),
        (
            ["body", "reference"],
            "Lancashire County Council already has a contract with the reference LCC-TEST-001. "
            "Change the existing contract's reference first.",
        ),
        (["body", "targets"], "NT1 is listed more than once."),
    ]
    assert Contract.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "loc"),
    [
        (b"{not json", 400, ["body"]),
        (b"", 400, ["body"]),
        (b"[]", 422, ["body"]),
        (b"null", 422, ["body"]),
        (b'{"supplier": true}', 422, ["body", "supplier"]),
        (b'{"supplier": 1e999999}', 422, ["body", "supplier"]),
        (b'{"supplier": "1\\u0000"}', 422, ["body", "supplier"]),
        (b'{"value": 1e999999999999}', 422, ["body", "supplier"]),
        (b'{"targets": {"NT1": 1}}', 422, ["body", "supplier"]),
    ],
)
def test_it_answers_bad_registration_documents_with_json_errors(
    client_as: ClientAs, officer_alice: User, body: bytes, status: int, loc: list[Any]
) -> None:
    response = send(client_as(officer_alice), "POST", CONTRACTS, body)
    assert response.status_code == status
    assert response.json()["detail"][0]["loc"] == loc
    assert not Contract.objects.exists()


def test_it_keeps_the_largest_value_and_quantity_to_the_last_digit(
    officer_alice: User, bobs_building: Organisation, toms: Any
) -> None:
    body = registration(
        bobs_building,
        value="999999999999.99",
        targets=[{"measure": "NT18", "quantity": "999999999.999999"}],
    )
    response = send(token_client(officer_alice), "POST", CONTRACTS, body)
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "999999999999.99"
    assert response.json()["targets"][0]["quantity"] == "999999999.999999"
    contract = Contract.objects.get()
    assert contract.value == Decimal("999999999999.99")
    assert contract.targets.get().quantity == Decimal("999999999.999999")


def test_it_refuses_a_value_or_quantity_beyond_the_limit_naming_it(
    officer_alice: User, bobs_building: Organisation, toms: Any
) -> None:
    body = registration(
        bobs_building,
        value="1000000000000",
        targets=[{"measure": "NT18", "quantity": "1000000000"}],
    )
    response = send(token_client(officer_alice), "POST", CONTRACTS, body)
    assert response.status_code == 422
    assert detail(response) == [
        (["body", "value"], "Value must be £999,999,999,999.99 or less."),
        (["body", "targets", 0, "quantity"], "Quantity must be 999,999,999.999999 or less."),
    ]
    assert not Contract.objects.exists()
