"""Evidence files: only PDF, DOCX, XLSX, CSV, JPEG and PNG, told by their bytes rather than
their names, within the size limit, and never leaving anything behind when refused."""

import hashlib
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import weasyprint
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from docx import Document
from openpyxl import Workbook
from PIL import Image

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.evidence import (
    ERR_LINE_LOCKED,
    evidence_add,
    evidence_delete,
    human_size,
)
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    LineEvent,
    ReportingPeriod,
    Return,
    ReturnLine,
)
from socialvalue.contracts.returns import (
    line_delete,
    line_query,
    line_reject,
    line_verify,
    return_submit,
)
from socialvalue.contracts.tests.conftest import ContractMaker

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- Real files of each kind ------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return weasyprint.HTML(string="<h1>Payroll summary</h1><p>Two apprentices.</p>").write_pdf()


def image_bytes(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, kind)
    return out.getvalue()


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Apprentices hired in the quarter: 2.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Hours"])
    sheet.append(["Apprentice A", 37.5])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def executable_bytes() -> bytes:
    """This Python interpreter: a real executable program."""
    return Path(sys.executable).resolve().read_bytes()


WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_files(storage: Storage | None = None, path: str = "") -> set[str]:
    storage = storage or storages["evidence"]
    if path and not storage.exists(path):
        return set()
    dirs, files = storage.listdir(path)
    found = {f"{path}/{f}" if path else f for f in files}
    for directory in dirs:
        found |= stored_files(storage, f"{path}/{directory}" if path else directory)
    return found


# --- The cast ---------------------------------------------------------------------------------


@pytest.fixture
def contract(make_contract: ContractMaker) -> Contract:
    return make_contract()


@pytest.fixture
def line(
    contract: Contract,
    bobs_building: Organisation,
    last_period: ReportingPeriod,
    make_return: Callable[..., Return],
    add_line: Callable[..., ReturnLine],
) -> ReturnLine:
    return add_line(make_return(bobs_building, last_period), contract, "NT1", "2")


@pytest.fixture
def before() -> set[str]:
    """What the evidence storage held before the test (it lives as long as the process)."""
    return stored_files()


def new_files(before: set[str]) -> set[str]:
    return stored_files() - before


def refused(line: ReturnLine, name: str, data: bytes, before: set[str]) -> list[str]:
    events = LineEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        evidence_add(line, upload(name, data), by=None)
    assert not Evidence.objects.exists()
    assert LineEvent.objects.count() == events
    assert new_files(before) == set(), "a refused upload must leave no file behind"
    return caught.value.messages


# --- Accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("payroll.pdf", pdf_bytes, PDF_TYPE),
        ("minimal.PDF", lambda: MINIMAL_PDF, PDF_TYPE),
        ("site photo.png", lambda: image_bytes("PNG"), "image/png"),
        ("site photo.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
        ("site photo.jpeg", lambda: image_bytes("JPEG"), "image/jpeg"),
        ("letter.docx", docx_bytes, DOCX_TYPE),
        ("hours.xlsx", xlsx_bytes, XLSX_TYPE),
        ("hours.csv", lambda: "name,hours\nZoë,37.5\n".encode(), "text/csv"),
    ],
)
def test_it_accepts_each_allowed_kind_of_file_by_its_content(
    line: ReturnLine,
    supplier_bob: User,
    before: set[str],
    name: str,
    make: Callable[[], bytes],
    content_type: str,
) -> None:
    data = make()
    evidence = evidence_add(line, upload(name, data), by=supplier_bob)

    evidence.refresh_from_db()
    assert (evidence.original_name, evidence.content_type) == (name, content_type)
    assert (evidence.size, evidence.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert evidence.uploaded_by == supplier_bob
    # Stored under a random name, not the supplier's.
    assert new_files(before) == {evidence.file.name}
    assert name not in evidence.file.name
    with evidence.file.open("rb") as stored:
        assert stored.read() == data
    event = line.events.last()
    assert event is not None
    assert (event.action, event.message, event.by) == (
        LineEvent.Action.EVIDENCE_ADDED,
        name,
        supplier_bob,
    )


def test_it_accepts_evidence_on_a_queried_line(
    line: ReturnLine, supplier_bob: User, officer_alice: User
) -> None:
    return_submit(line.return_record)
    line_query(line, by=officer_alice, message="Send the payroll.")
    line.refresh_from_db()
    evidence_add(line, upload("payroll.pdf", MINIMAL_PDF), by=supplier_bob)
    assert line.evidence.count() == 1


# --- Refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("payroll.pdf", executable_bytes),
        ("payroll.pdf", lambda: WINDOWS_EXE),
        ("setup.exe", lambda: WINDOWS_EXE),
        ("payroll.pdf", lambda: b"#!/bin/sh\nrm -rf ~\n"),
        ("letter.docx", lambda: xlsx_bytes()[:22] + b"\x00" * 100),  # a zip, not a document
        ("photo.gif", lambda: b"GIF89a" + b"\x00" * 50),
        ("notes.txt", lambda: b"Two apprentices hired.\n"),
    ],
    ids=["elf as pdf", "exe as pdf", "exe", "script as pdf", "zip as docx", "gif", "txt"],
)
def test_it_refuses_a_file_that_is_not_an_allowed_kind(
    line: ReturnLine, before: set[str], name: str, make: Callable[[], bytes]
) -> None:
    assert refused(line, name, make(), before) == [
        f"The file {name} is not a PDF, DOCX, XLSX, CSV, JPEG or PNG file (its content was "
        "checked, not just its name)."
    ]


@pytest.mark.parametrize(
    ("name", "make", "kind", "ext", "expected"),
    [
        ("report.docx", lambda: MINIMAL_PDF, "PDF", ".docx", ".pdf"),
        ("photo.png", lambda: image_bytes("JPEG"), "JPEG", ".png", ".jpg"),
        ("hours.xlsx", docx_bytes, "DOCX", ".xlsx", ".docx"),
        ("report", lambda: MINIMAL_PDF, "PDF", "nothing", ".pdf"),
    ],
)
def test_it_refuses_a_file_whose_name_does_not_match_its_content(
    line: ReturnLine,
    before: set[str],
    name: str,
    make: Callable[[], bytes],
    kind: str,
    ext: str,
    expected: str,
) -> None:
    assert refused(line, name, make(), before) == [
        f"The file {name} contains a {kind} file but its name ends in {ext}. Rename it to end "
        f"in {expected} and upload it again."
    ]


def test_it_refuses_an_empty_file(line: ReturnLine, before: set[str]) -> None:
    assert refused(line, "payroll.pdf", b"", before) == ["The file payroll.pdf is empty."]


def test_it_refuses_a_file_without_a_name(line: ReturnLine, before: set[str]) -> None:
    assert refused(line, "   ", MINIMAL_PDF, before) == ["The file has no name."]


def test_it_refuses_a_file_over_the_size_limit(
    line: ReturnLine, before: set[str], settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    exactly = MINIMAL_PDF + b"%" * (1024 - len(MINIMAL_PDF))
    assert refused(line, "big.pdf", exactly + b"%", before) == [
        "The file big.pdf is 1 KB; files must be 1 KB or smaller."
    ]
    assert refused(line, "huge.pdf", MINIMAL_PDF + b"%" * 5000, before) == [
        "The file huge.pdf is 5 KB; files must be 1 KB or smaller."
    ]
    evidence_add(line, upload("exactly.pdf", exactly), by=None)
    assert Evidence.objects.get().size == 1024


def test_it_removes_the_stored_file_when_saving_the_record_fails(
    line: ReturnLine, before: set[str]
) -> None:
    with (
        mock.patch.object(LineEvent.objects, "create", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        evidence_add(line, upload("payroll.pdf", MINIMAL_PDF), by=None)
    assert not Evidence.objects.exists()
    assert new_files(before) == set()


@pytest.mark.parametrize(
    "decide",
    [
        None,
        lambda line, by: line_verify(line, by=by),
        lambda line, by: line_reject(line, by=by, message="Not this contract."),
    ],
    ids=["submitted", "verified", "rejected"],
)
def test_it_refuses_evidence_on_a_line_that_has_left_the_supplier(
    line: ReturnLine,
    officer_alice: User,
    before: set[str],
    decide: Callable[[ReturnLine, User], Any] | None,
) -> None:
    stale = ReturnLine.objects.get(pk=line.pk)  # read while still a draft
    return_submit(line.return_record)
    if decide is not None:
        decide(line, officer_alice)
    line.refresh_from_db()
    assert refused(line, "payroll.pdf", MINIMAL_PDF, before) == [ERR_LINE_LOCKED]
    assert refused(stale, "payroll.pdf", MINIMAL_PDF, before) == [ERR_LINE_LOCKED]


# --- Deleting ---------------------------------------------------------------------------------


def test_it_deletes_evidence_and_its_file_after_commit(
    line: ReturnLine,
    supplier_bob: User,
    before: set[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    evidence = evidence_add(line, upload("payroll.pdf", MINIMAL_PDF), by=supplier_bob)
    name = evidence.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_delete(evidence, by=supplier_bob)
    assert not Evidence.objects.exists()
    assert new_files(before) == {name}, "the file goes only once the deletion is committed"
    for callback in callbacks:
        callback()

    assert new_files(before) == set()
    event = line.events.last()
    assert event is not None
    assert (event.action, event.message, event.by) == (
        LineEvent.Action.EVIDENCE_REMOVED,
        "payroll.pdf",
        supplier_bob,
    )


def test_it_refuses_to_delete_evidence_of_a_submitted_line(
    line: ReturnLine, before: set[str], django_capture_on_commit_callbacks: Any
) -> None:
    evidence = evidence_add(line, upload("payroll.pdf", MINIMAL_PDF), by=None)
    return_submit(line.return_record)
    stale = Evidence.objects.select_related("line").get(pk=evidence.pk)
    stale.line.status = ReturnLine.Status.DRAFT  # as a page read before the submission saw it
    for copy in (Evidence.objects.get(pk=evidence.pk), stale):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            evidence_delete(copy, by=None)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert new_files(before) == {evidence.file.name}


def test_it_deletes_the_files_of_a_deleted_line_after_commit(
    line: ReturnLine, before: set[str], django_capture_on_commit_callbacks: Any
) -> None:
    evidence_add(line, upload("a.pdf", MINIMAL_PDF), by=None)
    evidence_add(line, upload("b.png", image_bytes("PNG")), by=None)
    assert len(new_files(before)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        line_delete(line)
    assert new_files(before) == set()


def test_it_shows_sizes_for_people() -> None:
    assert [human_size(n) for n in (0, 1023, 1024, 1536, 10 * 1024 * 1024, 1572864)] == [
        "0 bytes",
        "1023 bytes",
        "1 KB",
        "2 KB",
        "10 MB",
        "1.5 MB",
    ]
