"""Whatever JSON is sent to the contract and return endpoints, the answer is a JSON success
or a JSON error naming the problem: never a server error."""

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.tests.api_support import ClientAs, send
from socialvalue.contracts.tests.conftest import ContractMaker

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "NT1",
            "nt18",
            "LCC-TEST-001",
            "Burnley",
            "outside",
            "-1",
            "1e999",
            "1e-999",
            "NaN",
            "Infinity",
            "0.1",
            "\x00",
            "\ud800",
            "2026-04-01",
            "2026-02-30",
            "alice@lancashire.example",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["measure", "quantity", "x"]), children, max_size=3)
    ),
    max_leaves=8,
)
line_bodies = st.fixed_dictionaries(
    {},
    optional={
        "contract": json_values,
        "measure": json_values,
        "quantity": json_values,
        "district": json_values,
        "narrative": json_values,
    },
)
targets = st.fixed_dictionaries({}, optional={"measure": json_values, "quantity": json_values})
registration_bodies = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        [
            "supplier",
            "reference",
            "title",
            "lever",
            "value",
            "start_date",
            "end_date",
            "framework",
            "directorate",
            "service_area",
            "category",
            "contract_manager",
        ],
        json_values,
    )
    | {"targets": st.lists(targets, max_size=3) | json_values},
)
message_bodies = st.fixed_dictionaries({}, optional={"message": json_values, "nil": json_values})
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def line(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
) -> ReturnLine:
    contract: Contract = make_contract()
    return add_line(make_return(bobs_building, last_period), contract, "NT1", "1")


def answered_in_json(response: Any, allowed: set[int]) -> None:
    assert response.status_code in allowed, response.content[:300]
    assert response["Content-Type"].startswith("application/json")


@SETTINGS
@given(body=line_bodies)
def test_it_never_fails_on_any_line(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine, body: Any
) -> None:
    bob = client_as(supplier_bob)
    base = f"/api/v1/returns/{line.return_record_id}/lines"
    answered_in_json(send(bob, "POST", base, body), {201, 400, 422})
    answered_in_json(send(bob, "PATCH", f"{base}/{line.pk}", body), {200, 400, 422})


@SETTINGS
@given(body=registration_bodies)
def test_it_never_fails_on_any_registration(
    client_as: ClientAs, officer_alice: User, bobs_building: Organisation, body: Any
) -> None:
    response = send(client_as(officer_alice), "POST", "/api/v1/contracts", body)
    answered_in_json(response, {201, 400, 422})


@SETTINGS
@given(body=message_bodies)
def test_it_never_fails_on_any_message(
    client_as: ClientAs, officer_alice: User, supplier_bob: User, line: ReturnLine, body: Any
) -> None:
    base = f"/api/v1/returns/{line.return_record_id}"
    alice, bob = client_as(officer_alice), client_as(supplier_bob)
    # Once the return is submitted (its lines are Bob's own until then), queries and answers
    # may succeed in turn.
    for client, path in [
        (bob, f"{base}/submit"),
        (alice, f"{base}/lines/{line.pk}/query"),
        (bob, f"{base}/lines/{line.pk}/answer"),
    ]:
        answered_in_json(send(client, "POST", path, body), {200, 400, 409, 422})


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe",
        b"[" * 100_000,
        b'{"quantity": 1' + b"0" * 10_000 + b"}",
        b'{"quantity": NaN, "district": "Preston"}',
        b'{"quantity": -Infinity}',
        b'{"contract": 1e999999999999999999}',
    ],
)
def test_it_answers_unreadable_bodies_with_json(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine, raw: bytes
) -> None:
    base = f"/api/v1/returns/{line.return_record_id}/lines"
    answered_in_json(send(client_as(supplier_bob), "POST", base, raw), {400, 422})
    assert ReturnLine.objects.count() == 1


def test_it_answers_a_body_that_is_too_large_with_400(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    base = f"/api/v1/returns/{line.return_record_id}/lines"
    response = send(client_as(supplier_bob), "POST", base, {"narrative": "x" * 2000})
    answered_in_json(response, {400})
    assert response.json()["detail"][0]["msg"] == "The request body is too large."


@pytest.mark.parametrize("field", ["contract", "measure", "district", "narrative"])
def test_it_refuses_a_lone_surrogate_before_it_reaches_the_database(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine, field: str
) -> None:
    body = {"contract": line.contract_id, "measure": "NT1", "quantity": "1", "district": "Preston"}
    base = f"/api/v1/returns/{line.return_record_id}/lines"
    response = send(client_as(supplier_bob), "POST", base, {**body, field: "b\ud800b"})
    answered_in_json(response, {400})
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert ReturnLine.objects.count() == 1


@pytest.mark.parametrize("field", ["directorate", "contract_manager", "framework", "reference"])
def test_it_refuses_a_lone_surrogate_in_a_registration(
    client_as: ClientAs, officer_alice: User, field: str
) -> None:
    response = send(client_as(officer_alice), "POST", "/api/v1/contracts", {field: "\udfff"})
    answered_in_json(response, {400})
    assert response.json()["detail"][0]["loc"] == ["body", field]
