"""A supplier's lines and their evidence are its own until it submits the return: the buying
organisation's officers see neither, by page or API, and cannot decide on them."""

from collections.abc import Callable

import pytest
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import Contract, Evidence, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.returns import return_submit
from socialvalue.contracts.tests.api_support import PDF, ClientAs, send, token_client, upload
from socialvalue.contracts.tests.conftest import ContractMaker

NARRATIVE = "Two apprentices from Preston started in May."


@pytest.fixture
def return_record(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
) -> Return:
    make_contract()
    return make_return(bobs_building, last_period)


@pytest.fixture
def line(
    return_record: Return, add_line: Callable[..., ReturnLine], supplier_bob: User
) -> ReturnLine:
    contract = Contract.objects.get(reference="LCC-TEST-001")
    return add_line(return_record, contract, "NT1", "2", narrative=NARRATIVE, by=supplier_bob)


@pytest.fixture
def evidence(client_as: ClientAs, supplier_bob: User, line: ReturnLine) -> Evidence:
    bob = client_as(supplier_bob)
    response = upload(
        bob,
        f"/api/v1/returns/{line.return_record_id}/lines/{line.pk}/evidence",
        "timesheets.pdf",
        PDF,
    )
    assert response.status_code == 201
    return Evidence.objects.get(line=line)


def test_it_hides_a_draft_line_and_its_evidence_from_the_buyers_officer(
    client_as: ClientAs, officer_alice: User, line: ReturnLine, evidence: Evidence
) -> None:
    for alice in (client_as(officer_alice), token_client(officer_alice)):
        answer = alice.get(f"/api/v1/returns/{line.return_record_id}")
        assert answer.status_code == 200
        assert answer.json()["lines"] == []
        assert NARRATIVE not in answer.content.decode()
        assert alice.get(f"/api/v1/evidence/{evidence.pk}").status_code == 404
    page = client_as(officer_alice)
    assert NARRATIVE not in page.get(f"/returns/{line.return_record_id}/").content.decode()
    assert page.get(f"/evidence/{evidence.pk}/").status_code == 404


def test_it_refuses_the_buyer_a_decision_on_a_draft_line(
    client_as: ClientAs, officer_alice: User, line: ReturnLine
) -> None:
    alice = client_as(officer_alice)
    base = f"/api/v1/returns/{line.return_record_id}/lines/{line.pk}"
    for decision in ("verify", "query", "reject"):
        assert send(alice, "POST", f"{base}/{decision}", {"message": "Why?"}).status_code == 404
    line.refresh_from_db()
    assert line.status == ReturnLine.Status.DRAFT


def test_it_shows_the_line_and_its_evidence_once_submitted(
    client_as: ClientAs,
    officer_alice: User,
    supplier_bob: User,
    line: ReturnLine,
    evidence: Evidence,
) -> None:
    return_submit(line.return_record, by=supplier_bob)
    alice: Client = client_as(officer_alice)
    answer = alice.get(f"/api/v1/returns/{line.return_record_id}").json()
    assert [found["id"] for found in answer["lines"]] == [line.pk]
    assert alice.get(f"/api/v1/evidence/{evidence.pk}").status_code == 200
    assert alice.get(f"/evidence/{evidence.pk}/").status_code == 200
