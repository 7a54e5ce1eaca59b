"""The contracts admin: the lead looks records up (their organisation's only), read-only,
and changes the reporting settings; nobody else gets in."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socialvalue.accounts.models import Organisation, User
from socialvalue.contracts.evidence import evidence_add
from socialvalue.contracts.imports import lines_import, rows_from_csv
from socialvalue.contracts.models import (
    Contract,
    Evidence,
    ImportBatch,
    ReminderSent,
    ReportingPeriod,
    ReportingSettings,
    Return,
    ReturnLine,
)
from socialvalue.contracts.periods import period_for
from socialvalue.contracts.returns import line_query, return_submit
from socialvalue.contracts.tests.conftest import ContractMaker
from socialvalue.core.quarters import Quarter

ClientAs = Callable[[User | None], Client]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Records:
    contract: Contract
    their_contract: Contract
    return_record: Return
    line: ReturnLine
    their_line: ReturnLine
    evidence: Evidence
    their_evidence: Evidence
    reminder: ReminderSent
    batch: ImportBatch


@pytest.fixture
def records(
    make_contract: ContractMaker,
    blackpool: Organisation,
    supplier_bob: User,
    officer_alice: User,
    officer_olga: User,
) -> Records:
    """Bob's Building holds a council contract and a Blackpool one; its Q1 2025-26 return
    has one line on each, the council's queried, with evidence, a reminder and an import."""
    ours = make_contract(
        reference="LCC-ADM-1",
        title="Gully cleansing",
        start=date(2025, 4, 1),
        end=date(2026, 3, 31),
    )
    theirs = make_contract(
        reference="BC-ADM-9",
        title="Seafront shelters",
        organisation=blackpool,
        start=date(2025, 4, 1),
        end=date(2026, 3, 31),
    )
    return_record = Return.objects.create(
        supplier=ours.supplier, period=period_for(Quarter(2025, 1))
    )
    csv = (
        "contract,measure,quantity,district\n"
        "LCC-ADM-1,NT1,2,Preston\n"
        "BC-ADM-9,NT18,5000,Blackpool\n"
    )
    batch = lines_import(
        return_record, rows_from_csv(csv.encode()), file_name="q1.csv", by=supplier_bob
    )
    our_line = ReturnLine.objects.get(contract=ours)
    their_line = ReturnLine.objects.get(contract=theirs)
    evidence = evidence_add(our_line, SimpleUploadedFile("payroll.pdf", PDF), by=supplier_bob)
    their_evidence = evidence_add(
        their_line, SimpleUploadedFile("receipts.pdf", PDF), by=supplier_bob
    )
    return_submit(return_record, by=supplier_bob, today=date(2025, 7, 10))
    line_query(our_line, by=officer_alice, message="Which depot?")
    reminder = ReminderSent.objects.create(
        return_record=return_record, stage="overdue", recipients="bob@bobsbuilding.example"
    )
    return Records(
        contract=ours,
        their_contract=theirs,
        return_record=return_record,
        line=our_line,
        their_line=their_line,
        evidence=evidence,
        their_evidence=their_evidence,
        reminder=reminder,
        batch=batch,
    )


def _pages(records: Records) -> list[str]:
    period = ReportingPeriod.objects.get(year=2025, number=1)
    return [
        "/admin/contracts/",
        "/admin/contracts/contract/",
        f"/admin/contracts/contract/{records.contract.pk}/change/",
        f"/admin/contracts/contract/{records.contract.pk}/history/",
        "/admin/contracts/reportingperiod/",
        f"/admin/contracts/reportingperiod/{period.pk}/change/",
        "/admin/contracts/return/",
        f"/admin/contracts/return/{records.return_record.pk}/change/",
        f"/admin/contracts/return/{records.return_record.pk}/history/",
        "/admin/contracts/returnline/",
        "/admin/contracts/returnline/?status__exact=queried",
        f"/admin/contracts/returnline/{records.line.pk}/change/",
        "/admin/contracts/evidence/",
        f"/admin/contracts/evidence/{records.evidence.pk}/change/",
        "/admin/contracts/remindersent/",
        f"/admin/contracts/remindersent/{records.reminder.pk}/change/",
        "/admin/contracts/importbatch/",
        f"/admin/contracts/importbatch/{records.batch.pk}/change/",
        "/admin/contracts/reportingsettings/",
        f"/admin/contracts/reportingsettings/{ReportingSettings.current().pk}/change/",
    ]


def test_it_opens_every_page_for_the_lead(
    client_as: ClientAs, lead_lucy: User, records: Records
) -> None:
    lucy = client_as(lead_lucy)
    for page in _pages(records):
        assert lucy.get(page).status_code == 200, page


@pytest.mark.parametrize("who", ["officer_alice", "officer_olga", "evaluator_erin", "supplier_bob"])
def test_it_keeps_everyone_else_out(
    request: pytest.FixtureRequest, client_as: ClientAs, records: Records, who: str
) -> None:
    client = client_as(request.getfixturevalue(who))
    for page in _pages(records):
        response = client.get(page)
        assert response.status_code in (302, 403), page
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), page


def test_it_sends_anonymous_visitors_to_sign_in(public_dave: Client, records: Records) -> None:
    response = public_dave.get("/admin/contracts/returnline/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/contracts/returnline/"


def test_it_shows_the_lead_only_their_organisations_records(
    client_as: ClientAs, lead_lucy: User, records: Records
) -> None:
    lucy = client_as(lead_lucy)
    contracts = lucy.get("/admin/contracts/contract/").content.decode()
    assert "LCC-ADM-1" in contracts
    assert "BC-ADM-9" not in contracts
    lines = lucy.get("/admin/contracts/returnline/").content.decode()
    assert "LCC-ADM-1" in lines
    assert "BC-ADM-9" not in lines
    # The supplier's return is shared, but only the council's line shows in it.
    page = lucy.get(f"/admin/contracts/return/{records.return_record.pk}/change/")
    assert "LCC-ADM-1" in page.content.decode()
    assert "BC-ADM-9" not in page.content.decode()
    evidence = lucy.get("/admin/contracts/evidence/").content.decode()
    assert "payroll.pdf" in evidence
    assert "receipts.pdf" not in evidence
    theirs, their_line = records.their_contract, records.their_line
    their_evidence = records.their_evidence
    for page_url in (
        f"/admin/contracts/contract/{theirs.pk}/change/",
        f"/admin/contracts/returnline/{their_line.pk}/change/",
        f"/admin/contracts/evidence/{their_evidence.pk}/change/",
    ):
        assert lucy.get(page_url).status_code == 302  # "does not exist", back to the index
    assert lucy.get(f"/admin/contracts/contract/{theirs.pk}/history/").status_code == 404


def test_it_shows_records_read_only(client_as: ClientAs, lead_lucy: User, records: Records) -> None:
    lucy = client_as(lead_lucy)
    line = records.line
    page = lucy.get(f"/admin/contracts/returnline/{line.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert "Which depot?" in page  # the line's history, with the officer's query
    response = lucy.post(f"/admin/contracts/returnline/{line.pk}/change/", {"quantity": "99"})
    assert response.status_code == 403
    assert lucy.get("/admin/contracts/contract/add/").status_code == 403
    delete = f"/admin/contracts/contract/{records.contract.pk}/delete/"
    assert lucy.post(delete).status_code == 403
    line.refresh_from_db()
    assert str(line.quantity) == "2.000000"
    assert line.status == "queried"


def test_it_never_shows_where_an_evidence_file_is_stored(
    client_as: ClientAs, lead_lucy: User, records: Records
) -> None:
    evidence = records.evidence
    page = client_as(lead_lucy).get(f"/admin/contracts/evidence/{evidence.pk}/change/")
    text = page.content.decode()
    assert "payroll.pdf" in text
    assert evidence.file.name not in text
    assert evidence.token.hex not in text
    assert f'href="/evidence/{evidence.pk}/"' in text
    line_page = client_as(lead_lucy).get(f"/admin/contracts/returnline/{evidence.line_id}/change/")
    assert "payroll.pdf" in line_page.content.decode()
    assert evidence.token.hex not in line_page.content.decode()


def test_it_lets_the_lead_change_the_reporting_settings_with_history(
    client_as: ClientAs, lead_lucy: User, db: None
) -> None:
    future = period_for(Quarter(2030, 1))
    past = period_for(Quarter(2020, 1))
    reporting = ReportingSettings.current()
    lucy = client_as(lead_lucy)
    url = f"/admin/contracts/reportingsettings/{reporting.pk}/change/"
    data = {
        "return_due_days": "45",
        "reminder_days": "10",
        "rag_green_percent": "95",
        "rag_amber_percent": "75",
        "_save": "Save",
    }
    response = lucy.post(url, data)
    assert response.status_code == 302
    reporting.refresh_from_db()
    assert (reporting.return_due_days, reporting.reminder_days) == (45, 10)
    future.refresh_from_db()
    past.refresh_from_db()
    assert future.due_date == date(2030, 8, 14)  # 30 June 2030 + 45 days
    assert past.due_date == date(2020, 7, 30)  # passed long ago: unchanged
    assert reporting.history.first().history_user == lead_lucy
    assert lucy.get(f"{url[: -len('change/')]}history/").status_code == 200
    assert lucy.get("/admin/contracts/reportingsettings/add/").status_code == 403


def test_it_refuses_amber_above_green(client_as: ClientAs, lead_lucy: User, db: None) -> None:
    reporting = ReportingSettings.current()
    response = client_as(lead_lucy).post(
        f"/admin/contracts/reportingsettings/{reporting.pk}/change/",
        {
            "return_due_days": "30",
            "reminder_days": "7",
            "rag_green_percent": "80",
            "rag_amber_percent": "85",
        },
    )
    assert response.status_code == 200
    assert "The amber threshold must not be above the green one." in response.content.decode()
    reporting.refresh_from_db()
    assert str(reporting.rag_amber_percent) == "70.00"
