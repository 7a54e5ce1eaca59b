"""Return lines through the API: adding, changing and deleting them, with a message for
each field sent wrong and nothing saved."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.periods import current_period
from socialvalue.contracts.tests.api_support import (
    ClientAs,
    add,
    detail,
    send,
    state,
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


# --- Lines --------------------------------------------------------------------------------


def test_it_adds_a_line_and_shows_it_in_the_return(
    public_dave: Client, supplier_bob: User, return_record: Return, contract: Contract
) -> None:
    bob = token_client(supplier_bob)
    response = add(bob, return_record, narrative="  Two apprentices from Preston.  ")
    assert response.status_code == 201, response.content
    line = response.json()
    stored = ReturnLine.objects.get()
    assert line == {
        "id": stored.pk,
        "return_id": return_record.pk,
        "contract": {
            "id": contract.pk,
            "reference": "LCC-TEST-001",
            "title": "Highways maintenance",
            "buyer": "Lancashire County Council",
        },
        "measure": "NT1",
        "measure_description": stored.measure.description,
        "quantity": "1.5",
        "value": "46927.50",  # 1.5 × £31,285.00
        "district": {"code": "E07000123", "name": "Preston"},
        "narrative": "Two apprentices from Preston.",
        "status": "draft",
        "editable": True,
        "evidence": [],
        "history": [
            {
                "action": "created",
                "from_status": "",
                "to_status": "draft",
                "message": "",
                "by": "Bob Builder",
                "at": line["history"][0]["at"],
            }
        ],
    }
    assert bob.get(url(return_record)).json()["lines"] == [line]
    assert public_dave.get(url(return_record)).status_code == 401


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"contract": "id", "measure": "nt18", "quantity": 250}, ("NT18", "250", "250.00")),
        ({"district": "e07000117"}, ("NT1", "1.5", "46927.50")),
        ({"district": "Outside Lancashire", "quantity": "0"}, ("NT1", "0", "0.00")),
        ({"quantity": 0.000001}, ("NT1", "0.000001", "0.03")),  # £0.031285
    ],
)
def test_it_reads_lines_as_people_write_them(
    bob: Client,
    return_record: Return,
    contract: Contract,
    changes: dict[str, Any],
    expected: tuple[str, str, str],
) -> None:
    if changes.get("contract") == "id":
        changes["contract"] = contract.pk
    response = add(bob, return_record, **changes)
    assert response.status_code == 201, response.content
    line = response.json()
    assert (line["measure"], line["quantity"], line["value"]) == expected


def test_it_keeps_the_largest_quantity_to_the_last_digit(
    bob: Client, return_record: Return
) -> None:
    response = add(bob, return_record, quantity="999999999.999999")
    assert response.status_code == 201, response.content
    # 999,999,999.999999 × £31,285.00 = £31,284,999,999,999.968715
    assert (response.json()["quantity"], response.json()["value"]) == (
        "999999999.999999",
        "31284999999999.97",
    )
    assert return_record.lines.get().quantity == Decimal("999999999.999999")


def test_it_names_every_mistake_in_a_line_and_saves_nothing(
    bob: Client, return_record: Return
) -> None:
    before = state(return_record)
    body = {
        "contract": "LCC-NOPE",
        "measure": 7,
        "quantity": "NaN",
        "district": "Manchester",
        "narrative": ["a"],
    }
    response = send(bob, "POST", url(return_record, "/lines"), body)
    assert response.status_code == 422
    assert detail(response) == [
        (["body", "contract"], "You have no contract 'LCC-NOPE'."),
        (["body", "measure"], "Measure must be a measure code such as 'NT1'."),
        (
            ["body", "quantity"],
            "Quantity must be a finite number; NaN and Infinity are not quantities.",
        ),
        (
            ["body", "district"],
            "District must be a Lancashire district code or name (such as 'E07000117' or "
            "'Burnley') or 'outside' for outside Lancashire.",
        ),
        (["body", "narrative"], "Narrative must be text."),
    ]
    missing = send(bob, "POST", url(return_record, "/lines"), {})
    assert detail(missing) == [
        (["body", "contract"], "Contract is required."),
        (["body", "measure"], "Measure is required."),
        (["body", "quantity"], "Quantity is required."),
        (["body", "district"], "District is required."),
    ]
    assert state(return_record) == before


@pytest.mark.parametrize(
    ("changes", "loc", "msg"),
    [
        ({"quantity": "-1"}, "quantity", "Quantity must be 0 or more."),
        ({"quantity": True}, "quantity", 'Quantity must be a number, such as 2.5 or "2.5".'),
        (
            {"quantity": "1e999999999999"},
            "quantity",
            "Quantity must be 999,999,999.999999 or less.",
        ),  # fmt: skip
        (
            {"quantity": 1e300},
            "quantity",
            "Quantity must be 999,999,999.999999 or less.",
        ),  # fmt: skip
        (
            {"quantity": "1000000000"},
            "quantity",
            "Quantity must be 999,999,999.999999 or less.",
        ),  # fmt: skip
        ({"quantity": "0.0000001"}, "quantity", "Quantity must have at most 6 decimal places."),
        ({"measure": "NT999"}, "measure", "Unknown measure code 'NT999' in lancashire-toms-2024."),
        ({"measure": "NT1\x00"}, "measure", "Measure must be a measure code such as 'NT1'."),
        (
            {"contract": 1.5},
            "contract",
            "Contract must be a contract id (a number) or its reference (text).",
        ),  # fmt: skip
        (
            {"contract": "\x00"},
            "contract",
            "Contract must be a contract id (a number) or its reference (text).",
        ),  # fmt: skip
        ({"contract": 999999}, "contract", "You have no contract '999999'."),
        (
            {"district": "\x00Preston"},
            "district",
            "District must be a Lancashire district code "
            "or name (such as 'E07000117' or 'Burnley') or 'outside' for outside Lancashire.",
        ),  # fmt: skip
        ({"narrative": "a\x00b"}, "narrative", "Narrative must not contain NUL characters."),
        (
            {"narrative": "x" * 10_001},
            "narrative",
            "Narrative must be 10,000 characters or fewer.",
        ),  # fmt: skip
    ],
)
def test_it_refuses_bad_values_with_a_message_for_the_field(
    bob: Client, return_record: Return, changes: dict[str, Any], loc: str, msg: str
) -> None:
    response = add(bob, return_record, **changes)
    assert response.status_code == 422
    assert detail(response) == [(["body", loc], msg)]
    assert not ReturnLine.objects.exists()


def test_it_refuses_another_suppliers_contract_and_one_outside_the_quarter(
    bob: Client,
    return_record: Return,
    make_contract: ContractMaker,
    carols_care: Organisation,
    this_quarter: Quarter,
) -> None:
    make_contract(reference="LCC-CARE-1", supplier=carols_care)
    later = make_contract(reference="LCC-LATER", start=this_quarter.start)
    assert detail(add(bob, return_record, contract="LCC-CARE-1")) == [
        (["body", "contract"], "You have no contract 'LCC-CARE-1'.")
    ]
    response = add(bob, return_record, contract=later.pk)
    assert response.status_code == 422
    assert detail(response) == [
        (
            ["body", "contract"],
            f"LCC-LATER is not one of Bob's Building Ltd's contracts in "
            f"{return_record.period.short_label}.",
        )
    ]
    assert not ReturnLine.objects.exists()


def test_it_asks_for_the_id_when_two_contracts_share_a_reference(
    bob: Client, return_record: Return, make_contract: ContractMaker, blackpool: Organisation
) -> None:
    other = make_contract(organisation=blackpool)  # also LCC-TEST-001, let by Blackpool
    response = add(bob, return_record)
    assert detail(response) == [
        (
            ["body", "contract"],
            "You have 2 contracts with the reference 'LCC-TEST-001'; send the contract's id "
            "instead.",
        )
    ]
    assert add(bob, return_record, contract=other.pk).status_code == 201


def test_it_changes_only_the_fields_sent(bob: Client, return_record: Return) -> None:
    line = add(bob, return_record, narrative="First draft.").json()
    line_url = url(return_record, f"/lines/{line['id']}")
    response = send(bob, "PATCH", line_url, {"quantity": "2", "district": "Burnley"})
    assert response.status_code == 200, response.content
    changed = response.json()
    assert (changed["quantity"], changed["district"]["name"]) == ("2", "Burnley")
    assert (changed["measure"], changed["narrative"]) == ("NT1", "First draft.")
    assert changed["history"][-1]["action"] == "changed"
    assert changed["history"][-1]["message"] == "quantity 1.5 → 2; district Preston → Burnley"
    cleared = send(bob, "PATCH", line_url, {"narrative": None}).json()
    assert cleared["narrative"] == ""
    refused = send(bob, "PATCH", line_url, {"quantity": "lots", "measure": "NT999"})
    assert detail(refused) == [
        (["body", "measure"], "Unknown measure code 'NT999' in lancashire-toms-2024."),
        (["body", "quantity"], 'Quantity must be a number, such as 2.5 or "2.5".'),
    ]
    assert ReturnLine.objects.get().quantity == Decimal("2")
    assert send(bob, "PATCH", line_url, b"{oops").status_code == 400


def test_it_deletes_a_draft_line(bob: Client, return_record: Return) -> None:
    line = add(bob, return_record).json()
    response = send(bob, "DELETE", url(return_record, f"/lines/{line['id']}"))
    assert response.status_code == 204
    assert response.content == b""
    assert not ReturnLine.objects.exists()
    assert send(bob, "DELETE", url(return_record, f"/lines/{line['id']}")).status_code == 404


def test_it_finds_lines_only_in_their_own_return(
    bob: Client,
    return_record: Return,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
) -> None:
    line = add(bob, return_record).json()
    other = make_return(bobs_building, current_period())
    for method in ["PATCH", "DELETE"]:
        response = send(bob, method, url(other, f"/lines/{line['id']}"), {"quantity": 1})
        assert response.status_code == 404
    assert ReturnLine.objects.get().quantity == Decimal("1.5")
