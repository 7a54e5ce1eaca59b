"""A return through verification by the API: add lines, upload evidence, submit, query,
answer, verify and reject, with every disallowed transition refused (409) and nothing
changed."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.models import (
    Contract,
    ReportingPeriod,
    Return,
)
from socialvalue.contracts.returns import (
    ERR_ANSWER_REQUIRED,
    ERR_MESSAGE_REQUIRED,
    ERR_REASON_REQUIRED,
)
from socialvalue.contracts.tests.api_support import (
    PDF,
    add,
    detail,
    send,
    state,
    token_client,
    upload,
    url,
)
from socialvalue.contracts.tests.conftest import ContractMaker

DECISIONS = {"verify": "verified", "query": "queried", "reject": "rejected"}


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


# --- The verification lifecycle -----------------------------------------------------------


def test_it_takes_a_return_through_verification(
    public_dave: Client,
    supplier_bob: User,
    officer_alice: User,
    return_record: Return,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bob, alice = token_client(supplier_bob), token_client(officer_alice)
    jobs = add(bob, return_record).json()
    spend = add(bob, return_record, measure="NT18", quantity="12000").json()
    jobs_url = url(return_record, f"/lines/{jobs['id']}")
    spend_url = url(return_record, f"/lines/{spend['id']}")
    evidence = upload(bob, f"{jobs_url}/evidence", "payroll.pdf", PDF)
    assert evidence.status_code == 201

    # A draft line is Bob's own: officers cannot see it, let alone decide on it; and
    # suppliers cannot answer unqueried lines.
    before = state(return_record)
    assert alice.get(url(return_record)).json()["lines"] == []
    for action in DECISIONS:
        response = send(alice, "POST", f"{jobs_url}/{action}", {"message": "Why?"})
        assert response.status_code == 404
        assert detail(response) == [([], "No such line.")]
    answer = send(bob, "POST", f"{jobs_url}/answer", {"message": "Here."})
    assert detail(answer) == [([], "Only a queried line can be answered; this one is draft.")]
    assert state(return_record) == before

    submitted = send(bob, "POST", url(return_record, "/submit"))
    assert submitted.status_code == 200
    assert {line["status"] for line in submitted.json()["lines"]} == {"submitted"}

    # Once submitted, the supplier can neither change nor delete, nor touch the evidence.
    before = state(return_record)
    locked = "This line is awaiting verification, so it can no longer be changed."
    assert detail(send(bob, "PATCH", jobs_url, {"quantity": "3"})) == [([], locked)]
    assert detail(send(bob, "DELETE", jobs_url)) == [([], locked)]
    assert upload(bob, f"{jobs_url}/evidence", "more.pdf", PDF).status_code == 409
    evidence_id = evidence.json()["id"]
    assert send(bob, "DELETE", f"/api/v1/evidence/{evidence_id}").status_code == 409
    assert send(bob, "POST", f"{jobs_url}/answer", {"message": "Here."}).status_code == 409
    # A query and a rejection need a message.
    assert detail(send(alice, "POST", f"{jobs_url}/query", {"message": "  "})) == [
        (["body", "message"], ERR_MESSAGE_REQUIRED)
    ]
    assert detail(send(alice, "POST", f"{jobs_url}/reject", {})) == [
        (["body", "message"], ERR_REASON_REQUIRED)
    ]
    assert state(return_record) == before

    with django_capture_on_commit_callbacks(execute=True):
        queried = send(alice, "POST", f"{jobs_url}/query", {"message": "Whose payroll?"})
    assert queried.status_code == 200
    assert (queried.json()["status"], queried.json()["editable"]) == ("queried", True)
    assert len(mail.outbox) == 1
    assert "Whose payroll?" in mail.outbox[0].body
    assert mail.outbox[0].to == ["bob@bobsbuilding.example"]

    # A queried line can be changed, then answered; it goes back for verification.
    assert send(bob, "PATCH", jobs_url, {"quantity": "1.25"}).status_code == 200
    assert detail(send(bob, "POST", f"{jobs_url}/answer", {})) == [
        (["body", "message"], ERR_ANSWER_REQUIRED)
    ]
    answered = send(bob, "POST", f"{jobs_url}/answer", {"message": "Ours; 1.25 FTE."})
    assert answered.status_code == 200
    assert answered.json()["status"] == "submitted"

    verified = send(alice, "POST", f"{jobs_url}/verify")
    assert verified.status_code == 200
    line = verified.json()
    assert (line["status"], line["editable"], line["quantity"]) == ("verified", False, "1.25")
    assert [(e["action"], e["from_status"], e["to_status"], e["by"]) for e in line["history"]] == [
        ("created", "", "draft", "Bob Builder"),
        ("evidence_added", "draft", "draft", "Bob Builder"),
        ("submitted", "draft", "submitted", "Bob Builder"),
        ("queried", "submitted", "queried", "Alice Officer"),
        ("changed", "queried", "queried", "Bob Builder"),
        ("resubmitted", "queried", "submitted", "Bob Builder"),
        ("verified", "submitted", "verified", "Alice Officer"),
    ]
    assert line["history"][3]["message"] == "Whose payroll?"
    assert line["history"][5]["message"] == "Ours; 1.25 FTE."

    with django_capture_on_commit_callbacks(execute=True):
        rejected = send(alice, "POST", f"{spend_url}/reject", {"message": "No invoices."})
    assert rejected.json()["status"] == "rejected"
    assert len(mail.outbox) == 2

    # Final states refuse every further decision, answer and change.
    before = state(return_record)
    for line_url, status in [(jobs_url, "verified"), (spend_url, "rejected")]:
        for action in ["verify", "query", "reject"]:
            response = send(alice, "POST", f"{line_url}/{action}", {"message": "Again."})
            assert response.status_code == 409
            assert detail(response)[0][1].endswith(f"this one is {status}.")
        response = send(bob, "POST", f"{line_url}/answer", {"message": "Again."})
        assert detail(response) == [
            ([], f"Only a queried line can be answered; this one is {status}.")
        ]
        assert send(bob, "PATCH", line_url, {"quantity": "9"}).status_code == 409
        assert send(bob, "DELETE", line_url).status_code == 409
    assert state(return_record) == before
    assert public_dave.post(f"{jobs_url}/verify").status_code == 401
