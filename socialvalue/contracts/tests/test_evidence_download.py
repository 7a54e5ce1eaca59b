"""Downloading evidence: only for users allowed to see the line, always as an attachment,
with the detected type, never cached and never sniffed.

Bob's return for last quarter has a line on the council's LCC-TEST-001 with timesheets.pdf
and a line on Blackpool's BPL-ROADS-7 with photo.png.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.models import Contract, Evidence, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.returns import return_submit
from socialvalue.contracts.tests.conftest import ContractMaker

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
CSV = "Apprentice,Start date\nA. Patel,2025-04-07\nJ. Müller,2025-05-12\n".encode()
ClientAs = Callable[[User | None], Client]


@pytest.fixture
def lines(
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
    last_period: ReportingPeriod,
    bobs_building: Organisation,
    blackpool: Organisation,
    supplier_bob: User,
) -> dict[str, ReturnLine]:
    ours = make_contract()
    theirs: Contract = make_contract(reference="BPL-ROADS-7", organisation=blackpool)
    r = make_return(bobs_building, last_period)
    council_line = add_line(r, ours, "NT1", "1.5", by=supplier_bob)
    blackpool_line = add_line(r, theirs, "NT1", "2", by=supplier_bob)
    return {"council": council_line, "blackpool": blackpool_line}


@pytest.fixture
def timesheets(lines: dict[str, ReturnLine], supplier_bob: User) -> Evidence:
    return evidence_add(
        lines["council"], SimpleUploadedFile("timesheets.pdf", PDF), by=supplier_bob
    )


@pytest.fixture
def photo(lines: dict[str, ReturnLine], supplier_bob: User) -> Evidence:
    return evidence_add(lines["blackpool"], SimpleUploadedFile("photo.png", PNG), by=supplier_bob)


@pytest.fixture
def submitted(
    timesheets: Evidence, photo: Evidence, supplier_bob: User, last_period: ReportingPeriod
) -> None:
    return_submit(
        timesheets.line.return_record,
        by=supplier_bob,
        today=last_period.end_date + timedelta(days=1),
    )


def url(evidence: Evidence) -> str:
    return reverse("contracts:evidence_download", args=[evidence.pk])


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.usefixtures("submitted")
def test_it_serves_the_file_as_a_private_attachment(
    client_as: ClientAs, officer_alice: User, timesheets: Evidence
) -> None:
    response = client_as(officer_alice).get(url(timesheets))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="timesheets.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == PDF


@pytest.mark.usefixtures("submitted")
def test_it_serves_bob_both_of_his_files(
    client_as: ClientAs, supplier_bob: User, timesheets: Evidence, photo: Evidence
) -> None:
    client = client_as(supplier_bob)
    assert body(client.get(url(timesheets))) == PDF
    response = client.get(url(photo))
    assert response["Content-Type"] == "image/png"
    assert body(response) == PNG


def test_it_serves_the_supplier_a_draft_lines_evidence(
    client_as: ClientAs, supplier_bob: User, timesheets: Evidence
) -> None:
    assert client_as(supplier_bob).get(url(timesheets)).status_code == 200


def test_it_serves_a_csv_as_csv_with_the_detected_type(
    client_as: ClientAs, supplier_bob: User, lines: dict[str, ReturnLine]
) -> None:
    evidence = evidence_add(
        lines["council"], SimpleUploadedFile("apprentices.csv", CSV), by=supplier_bob
    )
    response = client_as(supplier_bob).get(url(evidence))
    assert response["Content-Type"] == "text/csv"
    assert body(response) == CSV


@pytest.mark.usefixtures("submitted")
@pytest.mark.parametrize("who", ["officer_alice", "lead_lucy", "evaluator_erin"])
def test_it_serves_council_staff_the_councils_evidence_only(
    client_as: ClientAs,
    request: pytest.FixtureRequest,
    who: str,
    timesheets: Evidence,
    photo: Evidence,
) -> None:
    client = client_as(request.getfixturevalue(who))
    assert client.get(url(timesheets)).status_code == 200
    assert client.get(url(photo)).status_code == 404


@pytest.mark.usefixtures("submitted")
def test_it_serves_olga_blackpools_evidence_only(
    client_as: ClientAs, officer_olga: User, timesheets: Evidence, photo: Evidence
) -> None:
    client = client_as(officer_olga)
    assert client.get(url(photo)).status_code == 200
    assert client.get(url(timesheets)).status_code == 404


@pytest.mark.usefixtures("submitted")
def test_it_gives_another_supplier_404(
    client_as: ClientAs, supplier_carol: User, timesheets: Evidence, photo: Evidence
) -> None:
    client = client_as(supplier_carol)
    assert client.get(url(timesheets)).status_code == 404
    assert client.get(url(photo)).status_code == 404


def test_it_gives_404_for_evidence_that_does_not_exist(
    client_as: ClientAs, supplier_bob: User, timesheets: Evidence
) -> None:
    missing = reverse("contracts:evidence_download", args=[timesheets.pk + 1000])
    assert client_as(supplier_bob).get(missing).status_code == 404


@pytest.mark.usefixtures("submitted")
def test_it_sends_dave_to_sign_in(public_dave: Client, timesheets: Evidence) -> None:
    response = public_dave.get(url(timesheets))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]
    assert url(timesheets) in response["Location"]


def test_it_says_so_when_the_stored_file_has_gone(
    client_as: ClientAs, supplier_bob: User, timesheets: Evidence
) -> None:
    storages["evidence"].delete(timesheets.file.name)
    response = client_as(supplier_bob).get(url(timesheets))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Evidence file not found" in html
    assert "The file timesheets.pdf is missing from the evidence store." in html


@pytest.mark.parametrize(
    ("stored", "header"),
    [
        ('weekly "final".pdf', 'attachment; filename="weekly \\"final\\".pdf"'),
        ("Rapport café.pdf", "attachment; filename*=utf-8''Rapport%20caf%C3%A9.pdf"),
        ("line\r\nSet-Cookie: x=1.pdf", 'attachment; filename="line__Set-Cookie: x=1.pdf"'),
        ("..\\..\\secret.pdf", 'attachment; filename="secret.pdf"'),
        ("...", 'attachment; filename="evidence"'),
    ],
)
def test_it_makes_the_file_name_safe(
    client_as: ClientAs, supplier_bob: User, timesheets: Evidence, stored: str, header: str
) -> None:
    Evidence.objects.filter(pk=timesheets.pk).update(original_name=stored)
    response = client_as(supplier_bob).get(url(timesheets))
    assert response.status_code == 200
    assert response["Content-Disposition"] == header


def test_it_only_serves_gets(client_as: ClientAs, supplier_bob: User, timesheets: Evidence) -> None:
    assert client_as(supplier_bob).post(url(timesheets)).status_code == 405
