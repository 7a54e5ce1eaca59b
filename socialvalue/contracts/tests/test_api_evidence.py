"""Evidence through the API: uploads checked by content, refusals that leave nothing
behind, private downloads and removal."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import storages
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.evidence import ERR_EMPTY, ERR_NAME_MISMATCH, ERR_TOO_BIG, ERR_TYPE
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.returns import return_submit
from socialvalue.contracts.tests.api_support import (
    EXE,
    PDF,
    PNG,
    ClientAs,
    detail,
    send,
    stored_files,
    token_client,
    upload,
)
from socialvalue.contracts.tests.conftest import ContractMaker

ALLOWED = "PDF, DOCX, XLSX, CSV, JPEG or PNG"


@pytest.fixture
def line(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    supplier_bob: User,
) -> ReturnLine:
    contract: Contract = make_contract()
    return add_line(
        make_return(bobs_building, last_period), contract, "NT1", "1.5", by=supplier_bob
    )


def evidence_url(line: ReturnLine) -> str:
    return f"/api/v1/returns/{line.return_record_id}/lines/{line.pk}/evidence"


def test_it_stores_an_upload_and_serves_it_to_the_supplier_and_the_buyer(
    client_as: ClientAs, supplier_bob: User, officer_alice: User, line: ReturnLine
) -> None:
    response = upload(token_client(supplier_bob), evidence_url(line), "payroll Q2.pdf", PDF)
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    body = response.json()
    assert body == {
        "id": evidence.pk,
        "name": "payroll Q2.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "uploaded_at": body["uploaded_at"],
        "download_url": f"http://testserver/api/v1/evidence/{evidence.pk}",
    }
    assert evidence.file.name in stored_files()
    assert evidence.file.name.endswith(evidence.token.hex)  # not the supplier's file name
    assert LineEvent.objects.filter(line=line, action=LineEvent.Action.EVIDENCE_ADDED).exists()

    # The buyer sees the file once Bob submits the return; until then it is his own.
    assert client_as(officer_alice).get(body["download_url"]).status_code == 404
    return_submit(line.return_record, by=supplier_bob)
    for user in [supplier_bob, officer_alice]:
        for client in [client_as(user), token_client(user)]:
            download = client.get(body["download_url"])
            assert download.status_code == 200
            assert download.getvalue() == PDF
            assert download["Content-Type"] == "application/pdf"
            assert download["Content-Disposition"] == 'attachment; filename="payroll Q2.pdf"'
            assert download["X-Content-Type-Options"] == "nosniff"
            assert download["Cache-Control"] == "private, no-store"
            assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    lines = client_as(officer_alice).get(f"/api/v1/returns/{line.return_record_id}").json()
    assert lines["lines"][0]["evidence"] == [body]


@pytest.mark.parametrize(
    ("who", "delete_status"),
    [("supplier_carol", 404), ("officer_olga", 403)],  # olga may not delete any evidence
)
def test_it_hides_evidence_from_other_organisations(
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
    delete_status: int,
    supplier_bob: User,
    line: ReturnLine,
) -> None:
    upload(client_as(supplier_bob), evidence_url(line), "a.pdf", PDF)
    evidence = Evidence.objects.get()
    user = request.getfixturevalue(who)
    for client in [client_as(user), token_client(user)]:
        response = client.get(f"/api/v1/evidence/{evidence.pk}")
        assert response.status_code == 404
        assert detail(response) == [([], "No such evidence.")]
        removal = send(client, "DELETE", f"/api/v1/evidence/{evidence.pk}")
        assert removal.status_code == delete_status
    assert Client().get(f"/api/v1/evidence/{evidence.pk}").status_code == 401
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", EXE, ERR_TYPE.format(name="invoice.pdf", allowed=ALLOWED)),
        ("empty.pdf", b"", ERR_EMPTY.format(name="empty.pdf")),
        (
            "photo.pdf",
            PNG,
            ERR_NAME_MISMATCH.format(name="photo.pdf", kind="PNG", ext=".pdf", expected=".png"),
        ),
        ("notes.txt", b"plain words\n", ERR_TYPE.format(name="notes.txt", allowed=ALLOWED)),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_says_and_keeps_nothing(
    client_as: ClientAs,
    supplier_bob: User,
    line: ReturnLine,
    name: str,
    content: bytes,
    message: str,
) -> None:
    files, events = stored_files(), LineEvent.objects.count()
    response = upload(client_as(supplier_bob), evidence_url(line), name, content)
    assert response.status_code == 422
    assert detail(response) == [(["body", "file"], message)]
    assert not Evidence.objects.exists()
    assert stored_files() == files
    assert LineEvent.objects.count() == events


def test_it_refuses_an_oversized_file_and_keeps_nothing(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    files = stored_files()
    big = PDF + b"%" * 2048  # a PDF of 2,094 bytes
    response = upload(client_as(supplier_bob), evidence_url(line), "scan.pdf", big)
    assert response.status_code == 422
    assert detail(response) == [
        (["body", "file"], ERR_TOO_BIG.format(name="scan.pdf", size="2 KB", limit="1 KB"))
    ]
    assert not Evidence.objects.exists()
    assert stored_files() == files
    exactly = PDF + b"%" * (1024 - len(PDF))
    assert upload(client_as(supplier_bob), evidence_url(line), "a.pdf", exactly).status_code == 201


def test_it_asks_for_the_file_field(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine
) -> None:
    client = client_as(supplier_bob)
    for response in [
        client.post(evidence_url(line), {"document": "x"}),
        send(client, "POST", evidence_url(line), {"file": "JVBERi0="}),
    ]:
        assert response.status_code == 422
        assert detail(response) == [
            (["body", "file"], "Attach the file as the multipart form field 'file'.")
        ]
    assert not Evidence.objects.exists()


def test_it_refuses_uploads_to_staff_and_to_other_suppliers(
    client_as: ClientAs,
    officer_alice: User,
    officer_olga: User,
    supplier_carol: User,
    line: ReturnLine,
) -> None:
    files = stored_files()
    for user, status in [(officer_alice, 403), (officer_olga, 403), (supplier_carol, 404)]:
        for client in [client_as(user), token_client(user)]:
            assert upload(client, evidence_url(line), "a.pdf", PDF).status_code == status
    assert Client().post(evidence_url(line), {}).status_code == 401
    assert not Evidence.objects.exists()
    assert stored_files() == files


def test_it_removes_evidence_and_its_file(
    client_as: ClientAs,
    supplier_bob: User,
    officer_alice: User,
    line: ReturnLine,
    django_capture_on_commit_callbacks: Any,
) -> None:
    bob = client_as(supplier_bob)
    evidence_id = upload(bob, evidence_url(line), "a.pdf", PDF).json()["id"]
    name = Evidence.objects.get().file.name
    assert (
        send(client_as(officer_alice), "DELETE", f"/api/v1/evidence/{evidence_id}").status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = send(bob, "DELETE", f"/api/v1/evidence/{evidence_id}")
    assert response.status_code == 204
    assert not Evidence.objects.exists()
    assert name not in stored_files()
    event = LineEvent.objects.filter(line=line).last()
    assert event is not None
    assert (event.action, event.message) == (LineEvent.Action.EVIDENCE_REMOVED, "a.pdf")
    assert bob.get(f"/api/v1/evidence/{evidence_id}").status_code == 404


def test_it_refuses_evidence_changes_once_the_line_is_submitted(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine
) -> None:
    bob = client_as(supplier_bob)
    evidence_id = upload(bob, evidence_url(line), "a.pdf", PDF).json()["id"]
    assert send(bob, "POST", f"/api/v1/returns/{line.return_record_id}/submit").status_code == 200
    files = stored_files()
    refused = upload(bob, evidence_url(line), "b.pdf", PDF)
    assert refused.status_code == 409
    message = "Evidence can only be added to or removed from a draft or queried line."
    assert detail(refused) == [([], message)]
    removal = send(bob, "DELETE", f"/api/v1/evidence/{evidence_id}")
    assert detail(removal) == [([], message)]
    assert Evidence.objects.count() == 1
    assert stored_files() == files


def test_it_answers_404_when_the_stored_file_is_gone(
    client_as: ClientAs, supplier_bob: User, line: ReturnLine
) -> None:
    bob = client_as(supplier_bob)
    evidence_id = upload(bob, evidence_url(line), "a.pdf", PDF).json()["id"]
    storages["evidence"].delete(Evidence.objects.get().file.name)
    response = bob.get(f"/api/v1/evidence/{evidence_id}")
    assert response.status_code == 404
    assert detail(response) == [([], "The file of this evidence is missing.")]
    assert bob.get("/api/v1/evidence/999999").status_code == 404
    assert bob.get("/api/v1/evidence/99999999999999999999").status_code == 422
