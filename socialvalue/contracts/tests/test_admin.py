"""The contracts admin: a platform administrator looks records up, read-only, and changes the
reporting settings; nobody else gets in, and anyone else would see only their own
organisation's records."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

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


def test_it_opens_every_page_for_a_platform_administrator(
    client_as: ClientAs, admin_ada: User, records: Records
) -> None:
    ada = client_as(admin_ada)
    for page in _pages(records):
        assert ada.get(page).status_code == 200, page


@pytest.mark.parametrize(
    "who",
    ["lead_lucy", "lead_bella", "officer_alice", "officer_olga", "evaluator_erin", "supplier_bob"],
)
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


def test_it_shows_a_platform_administrator_every_organisations_records(
    client_as: ClientAs, admin_ada: User, records: Records
) -> None:
    ada = client_as(admin_ada)
    for listing in ("contract", "returnline"):
        html = ada.get(f"/admin/contracts/{listing}/").content.decode()
        assert "LCC-ADM-1" in html
        assert "BC-ADM-9" in html
    page = ada.get(f"/admin/contracts/return/{records.return_record.pk}/change/")
    assert "LCC-ADM-1" in page.content.decode()
    assert "BC-ADM-9" in page.content.decode()
    evidence = ada.get("/admin/contracts/evidence/").content.decode()
    assert "payroll.pdf" in evidence
    assert "receipts.pdf" in evidence
    theirs = records.their_contract
    assert ada.get(f"/admin/contracts/contract/{theirs.pk}/change/").status_code == 200
    assert ada.get(f"/admin/contracts/contract/{theirs.pk}/history/").status_code == 200


def test_it_would_show_a_lead_only_their_organisations_records(
    rf: Any, lead_lucy: User, records: Records
) -> None:
    """Defence in depth: should an admin page ever be opened to a lead, it would still list
    only what the platform's access rules let them see."""
    from django.contrib import admin

    request = rf.get("/admin/contracts/contract/")
    request.user = lead_lucy
    contracts = admin.site.get_model_admin(Contract).get_queryset(request)
    assert [c.reference for c in contracts] == ["LCC-ADM-1"]
    lines = admin.site.get_model_admin(ReturnLine).get_queryset(request)
    assert [line.contract.reference for line in lines] == ["LCC-ADM-1"]
    evidence = admin.site.get_model_admin(Evidence).get_queryset(request)
    assert [e.original_name for e in evidence] == ["payroll.pdf"]


def test_it_shows_records_read_only(client_as: ClientAs, admin_ada: User, records: Records) -> None:
    ada = client_as(admin_ada)
    line = records.line
    page = ada.get(f"/admin/contracts/returnline/{line.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert "Which depot?" in page  # the line's history, with the officer's query
    response = ada.post(f"/admin/contracts/returnline/{line.pk}/change/", {"quantity": "99"})
    assert response.status_code == 403
    assert ada.get("/admin/contracts/contract/add/").status_code == 403
    delete = f"/admin/contracts/contract/{records.contract.pk}/delete/"
    assert ada.post(delete).status_code == 403
    line.refresh_from_db()
    assert str(line.quantity) == "2.000000"
    assert line.status == "queried"


def test_it_never_shows_where_an_evidence_file_is_stored(
    client_as: ClientAs, admin_ada: User, records: Records
) -> None:
    evidence = records.evidence
    page = client_as(admin_ada).get(f"/admin/contracts/evidence/{evidence.pk}/change/")
    text = page.content.decode()
    assert "payroll.pdf" in text
    assert evidence.file.name not in text
    assert evidence.token.hex not in text
    assert f'href="/evidence/{evidence.pk}/"' in text
    line_page = client_as(admin_ada).get(f"/admin/contracts/returnline/{evidence.line_id}/change/")
    assert "payroll.pdf" in line_page.content.decode()
    assert evidence.token.hex not in line_page.content.decode()


def test_it_lets_a_platform_administrator_change_the_reporting_settings_with_history(
    client_as: ClientAs, admin_ada: User, db: None
) -> None:
    future = period_for(Quarter(2030, 1))
    past = period_for(Quarter(2020, 1))
    reporting = ReportingSettings.current()
    ada = client_as(admin_ada)
    url = f"/admin/contracts/reportingsettings/{reporting.pk}/change/"
    data = {
        "return_due_days": "45",
        "reminder_days": "10",
        "rag_green_percent": "95",
        "rag_amber_percent": "75",
        "_save": "Save",
    }
    response = ada.post(url, data)
    assert response.status_code == 302
    reporting.refresh_from_db()
    assert (reporting.return_due_days, reporting.reminder_days) == (45, 10)
    future.refresh_from_db()
    past.refresh_from_db()
    assert future.due_date == date(2030, 8, 14)  # 30 June 2030 + 45 days
    assert past.due_date == date(2020, 7, 30)  # passed long ago: unchanged
    assert reporting.history.first().history_user == admin_ada
    assert ada.get(f"{url[: -len('change/')]}history/").status_code == 200
    assert ada.get("/admin/contracts/reportingsettings/add/").status_code == 403


def test_it_refuses_amber_above_green(client_as: ClientAs, admin_ada: User, db: None) -> None:
    reporting = ReportingSettings.current()
    response = client_as(admin_ada).post(
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
