"""Evidence files on a return line: checked by their content, refused with a reason, and a
refused upload leaves nothing behind (no row, no stored file)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.evidence import ACCEPT_ATTRIBUTE, ERR_LINE_LOCKED
from socialvalue.contracts.models import Contract, Evidence, ReportingPeriod, Return, ReturnLine
from socialvalue.contracts.returns import return_submit
from socialvalue.contracts.tests.conftest import ContractMaker

ClientAs = Callable[[User | None], Client]
AddLine = Callable[..., ReturnLine]

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def bob(client_as: ClientAs, supplier_bob: User) -> Client:
    return client_as(supplier_bob)


@pytest.fixture
def last_return(
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    contract: Contract,
) -> Return:
    return make_return(bobs_building, last_period)


@pytest.fixture
def line(last_return: Return, contract: Contract, add_line: AddLine) -> ReturnLine:
    return add_line(last_return, contract, "NT1", "1.5")


def upload_url(line: ReturnLine) -> str:
    return reverse("contracts:evidence_upload", args=[line.return_record_id, line.pk])


def delete_url(evidence: Evidence) -> str:
    return reverse("contracts:evidence_delete", args=[evidence.line.return_record_id, evidence.pk])


def stored_files() -> set[str]:
    """Every file in the evidence storage (the in-memory storage of the tests)."""
    storage = storages["evidence"]
    found: set[str] = set()

    def walk(path: str) -> None:
        try:
            directories, files = storage.listdir(path)
        except FileNotFoundError:
            return
        found.update(f"{path}/{name}".lstrip("/") for name in files)
        for directory in directories:
            walk(f"{path}/{directory}".lstrip("/"))

    walk("")
    return found


def post_file(client: Client, line: ReturnLine, name: str, data: bytes) -> Any:
    return client.post(upload_url(line), {"file": SimpleUploadedFile(name, data)})


def test_it_shows_the_upload_form_with_the_accepted_types(bob: Client, line: ReturnLine) -> None:
    page = bob.get(upload_url(line)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'accept="{ACCEPT_ATTRIBUTE}"' in page
    assert "No evidence yet." in page
    assert "Evidence the council expects for NT1" in page


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("payroll-march.pdf", PDF, "application/pdf"), ("site-photo.png", PNG, "image/png")],
)
def test_it_accepts_a_pdf_or_a_png(
    name: str,
    data: bytes,
    content_type: str,
    bob: Client,
    line: ReturnLine,
    supplier_bob: User,
) -> None:
    before = stored_files()
    response = post_file(bob, line, name, data)
    assert response.status_code == 302
    [evidence] = line.evidence.all()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name,
        content_type,
        len(data),
    )
    assert evidence.uploaded_by == supplier_bob
    assert stored_files() - before == {evidence.file.name}
    page = bob.get(upload_url(line)).content.decode()
    assert f"{name} has been added to the evidence for LCC-TEST-001 NT1." in page
    assert reverse("contracts:evidence_download", args=[evidence.pk]) in page
    detail = bob.get(reverse("contracts:return_detail", args=[line.return_record_id]))
    assert name in detail.content.decode()


def test_it_refuses_an_executable_renamed_pdf_and_keeps_nothing(
    bob: Client, line: ReturnLine
) -> None:
    before = stored_files()
    response = post_file(bob, line, "invoice.pdf", EXE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        "The file invoice.pdf is not a PDF, DOCX, XLSX, CSV, JPEG or PNG file (its content was "
        "checked, not just its name)." in html
    )
    assert not Evidence.objects.exists()
    assert stored_files() == before


def test_it_refuses_an_oversized_file_and_keeps_nothing(
    bob: Client, line: ReturnLine, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    before = stored_files()
    response = post_file(bob, line, "big.pdf", PDF + b"%" * 2000)
    html = response.content.decode()
    assert "The file big.pdf is 2 KB; files must be 1 KB or smaller." in html
    assert "of 1 KB or less" in html  # the hint gives the limit
    assert not Evidence.objects.exists()
    assert stored_files() == before


def test_it_refuses_an_empty_file(bob: Client, line: ReturnLine) -> None:
    response = post_file(bob, line, "empty.pdf", b"")
    assert "The file empty.pdf is empty." in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_asks_for_a_file(bob: Client, line: ReturnLine) -> None:
    response = bob.post(upload_url(line), {})
    assert response.context["form"].errors["file"] == ["Select a file to upload"]


def test_it_removes_evidence_after_asking(
    bob: Client, line: ReturnLine, django_capture_on_commit_callbacks: Any
) -> None:
    post_file(bob, line, "payroll.pdf", PDF)
    evidence = line.evidence.get()
    name = evidence.file.name
    confirm = bob.get(delete_url(evidence))
    assert "Remove payroll.pdf?" in confirm.content.decode()
    assert name in stored_files()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        response = bob.post(delete_url(evidence))
    assert response["Location"] == upload_url(line)
    assert not Evidence.objects.exists()
    assert name not in stored_files()


def test_it_keeps_the_evidence_of_a_submitted_line(
    bob: Client, line: ReturnLine, supplier_bob: User
) -> None:
    post_file(bob, line, "payroll.pdf", PDF)
    evidence = line.evidence.get()
    return_submit(line.return_record, by=supplier_bob)
    response = bob.post(delete_url(evidence), follow=True)
    assert ERR_LINE_LOCKED in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    refused = bob.post(upload_url(line), {"file": SimpleUploadedFile("more.pdf", PDF)}, follow=True)
    assert ERR_LINE_LOCKED in refused.content.decode()
    assert line.evidence.count() == 1


def test_it_gives_404_for_another_suppliers_evidence(
    client_as: ClientAs,
    bob: Client,
    line: ReturnLine,
    supplier_carol: User,
    make_contract: ContractMaker,
    make_return: Callable[..., Return],
    carols_care: Organisation,
    last_period: ReportingPeriod,
) -> None:
    post_file(bob, line, "payroll.pdf", PDF)
    evidence = line.evidence.get()
    make_contract(reference="LCC-CARE-1", supplier=carols_care)
    carols_return = make_return(carols_care, last_period)
    carol = client_as(supplier_carol)
    # Through Bob's return, and through her own.
    assert carol.post(delete_url(evidence)).status_code == 404
    own = reverse("contracts:evidence_delete", args=[carols_return.pk, evidence.pk])
    assert carol.post(own).status_code == 404
    assert (
        carol.post(upload_url(line), {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    )
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert line.evidence.count() == 1


def test_it_gives_404_for_evidence_through_another_of_the_suppliers_returns(
    bob: Client,
    line: ReturnLine,
    make_return: Callable[..., Return],
    bobs_building: Organisation,
    this_quarter: object,
) -> None:
    from socialvalue.contracts.periods import current_period

    post_file(bob, line, "payroll.pdf", PDF)
    evidence = line.evidence.get()
    other = make_return(bobs_building, current_period())
    url = reverse("contracts:evidence_delete", args=[other.pk, evidence.pk])
    assert bob.post(url).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()
