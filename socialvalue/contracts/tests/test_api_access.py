"""Every contract and return endpoint, tried as each of the cast, with a bearer token and
with a browser session: the supplier and the buyer's staff succeed where their role
allows, the wrong role gets 403, another supplier or another council 404, nobody signed in
401, and a refused request changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_query, return_submit
from socialvalue.contracts.tests.api_support import (
    PDF,
    ClientAs,
    send,
    token_client,
    upload,
)
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter


@dataclass
class World:
    """Bob's contract with the council and two of his returns: last quarter's, submitted,
    with a line awaiting verification (carrying a file) and a queried one; and the quarter
    before's, a draft with a draft line carrying a file."""

    contract: Contract
    draft_return: Return
    draft_line: ReturnLine
    evidence: Evidence
    submitted_return: Return
    submitted_evidence: Evidence
    awaiting_line: ReturnLine
    queried_line: ReturnLine


@pytest.fixture
def world(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    last_quarter: Quarter,
    supplier_bob: User,
    officer_alice: User,
    client_as: ClientAs,
) -> World:
    contract = make_contract()
    submitted = make_return(bobs_building, last_period)
    awaiting = add_line(submitted, contract, "NT1", "1", by=supplier_bob)
    queried = add_line(submitted, contract, "NT18", "500", by=supplier_bob)
    url = f"/api/v1/returns/{submitted.pk}/lines/{awaiting.pk}/evidence"
    assert upload(client_as(supplier_bob), url, "payroll.pdf", PDF).status_code == 201
    return_submit(submitted, by=supplier_bob)
    line_query(queried, by=officer_alice, message="Which invoices?")
    draft = make_return(bobs_building, period_for(last_quarter.previous()))
    draft_line = add_line(draft, contract, "NT1", "0.5", by=supplier_bob)
    url = f"/api/v1/returns/{draft.pk}/lines/{draft_line.pk}/evidence"
    assert upload(client_as(supplier_bob), url, "a.pdf", PDF).status_code == 201
    return World(
        contract=contract,
        draft_return=draft,
        draft_line=draft_line,
        evidence=Evidence.objects.get(line=draft_line),
        submitted_return=Return.objects.get(pk=submitted.pk),
        submitted_evidence=Evidence.objects.get(line=awaiting),
        awaiting_line=awaiting,
        queried_line=queried,
    )


def snapshot() -> list[Any]:
    return [
        list(Return.objects.order_by("pk").values_list("pk", "status", "is_nil")),
        list(
            ReturnLine.objects.order_by("pk").values_list("pk", "status", "quantity", "narrative")
        ),
        list(Evidence.objects.order_by("pk").values_list("pk", flat=True)),
        LineEvent.objects.count(),
        Contract.objects.count(),
    ]


READ = "read"
DRAFT = "draft"  # a supplier's unsubmitted line and its evidence: its own until submitted
SUPPLIER = "supplier"
OFFICER = "officer"
LINE_BODY = {"contract": "LCC-TEST-001", "measure": "NT1", "quantity": "2", "district": "Wyre"}

# (name, kind, method, path, body, success status); paths are filled from the World.
ENDPOINTS: list[tuple[str, str, str, str, Any, int]] = [
    ("contract", READ, "GET", "/contracts/{contract}", None, 200),
    ("return", READ, "GET", "/returns/{draft_return}", None, 200),
    ("evidence", READ, "GET", "/evidence/{submitted_evidence}", None, 200),
    ("draft evidence", DRAFT, "GET", "/evidence/{evidence}", None, 200),
    ("add line", SUPPLIER, "POST", "/returns/{draft_return}/lines", LINE_BODY, 201),
    (
        "change line",
        SUPPLIER,
        "PATCH",
        "/returns/{draft_return}/lines/{draft_line}",
        {"narrative": "Changed."},
        200,
    ),
    ("delete line", SUPPLIER, "DELETE", "/returns/{draft_return}/lines/{draft_line}", None, 204),
    ("submit", SUPPLIER, "POST", "/returns/{draft_return}/submit", {}, 200),
    (
        "answer",
        SUPPLIER,
        "POST",
        "/returns/{submitted_return}/lines/{queried_line}/answer",
        {"message": "Invoices attached."},
        200,
    ),
    (
        "upload",
        SUPPLIER,
        "UPLOAD",
        "/returns/{draft_return}/lines/{draft_line}/evidence",
        None,
        201,
    ),
    ("remove evidence", SUPPLIER, "DELETE", "/evidence/{evidence}", None, 204),
    *[
        (
            action,
            OFFICER,
            "POST",
            f"/returns/{{submitted_return}}/lines/{{awaiting_line}}/{action}",
            {"message": "Checked against payroll."},
            200,
        )
        for action in ["verify", "query", "reject"]
    ],
]

# What each of the cast gets from each kind of endpoint, when not the success status.
EXPECTED: dict[str, dict[str, int | None]] = {
    "supplier_bob": {READ: None, DRAFT: None, SUPPLIER: None, OFFICER: 403},
    "officer_alice": {READ: None, DRAFT: 404, SUPPLIER: 403, OFFICER: None},
    "supplier_carol": {READ: 404, DRAFT: 404, SUPPLIER: 404, OFFICER: 403},
    "officer_olga": {READ: 404, DRAFT: 404, SUPPLIER: 403, OFFICER: 404},
    "public_dave": {READ: 401, DRAFT: 401, SUPPLIER: 401, OFFICER: 401},
}


def call(client: Client, method: str, path: str, body: Any) -> Any:
    if method == "UPLOAD":
        return upload(client, path, "b.pdf", PDF)
    if method == "GET":
        return client.get(path)
    return send(client, method, path, body)


@pytest.mark.parametrize("auth", ["bearer", "session"])
@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize(
    ("name", "kind", "method", "path", "body", "success"),
    ENDPOINTS,
    ids=[endpoint[0] for endpoint in ENDPOINTS],
)
def test_it_scopes_every_endpoint_by_role_and_organisation(
    world: World,
    request: pytest.FixtureRequest,
    client_as: ClientAs,
    auth: str,
    who: str,
    name: str,
    kind: str,
    method: str,
    path: str,
    body: Any,
    success: int,
) -> None:
    if who == "public_dave":
        client = Client()
    else:
        user = request.getfixturevalue(who)
        client = token_client(user) if auth == "bearer" else client_as(user)
    ids = {field: getattr(world, field).pk for field in World.__dataclass_fields__}
    before = snapshot()
    response = call(client, method, "/api/v1" + path.format(**ids), body)
    expected = EXPECTED[who][kind] or success
    assert response.status_code == expected, response.content
    if expected != success:
        assert response.json()["detail"][0]["msg"]
        assert snapshot() == before
    elif method != "GET":
        assert snapshot() != before


def test_it_needs_the_csrf_token_for_session_writes_but_not_for_bearer_tokens(
    world: World, supplier_bob: User
) -> None:
    path = f"/api/v1/returns/{world.draft_return.pk}/submit"
    session = Client(enforce_csrf_checks=True)
    session.force_login(supplier_bob)
    refused = send(session, "POST", path, {})
    assert refused.status_code == 403
    assert Return.objects.get(pk=world.draft_return.pk).status == Return.Status.DRAFT
    bearer = token_client(supplier_bob)
    bearer.handler.enforce_csrf_checks = True
    assert send(bearer, "POST", path, {}).status_code == 200
