"""The evaluation report as a page, a workbook and a PDF (figures from the scenario in
test_evaluation_scenario: totals 7.75, 6.89 and 2.08)."""

import io
import shutil
import subprocess
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socialvalue.accounts.models import Organisation, User
from socialvalue.procurement.evaluation.reports import (
    INDIVIDUAL_SCORES_HIDDEN,
    evaluation_report_html,
)
from socialvalue.procurement.models import PanelMember, QualitativeResponse, QualityScore, Tender
from socialvalue.procurement.tests.conftest import BidMaker, TenderMaker
from socialvalue.procurement.tests.test_evaluation_scenario import build_three_bids

ClientAs = Callable[[User | None], Client]
Panel = Callable[[Tender], list[PanelMember]]


@pytest.fixture
def evaluated(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    carols_care: Organisation,
    lead_lucy: User,
    evaluator_erin: User,
    panel: Panel,
) -> Tender:
    """The scenario, evaluated: Erin and Lucy scored every response and submitted; Lucy
    recorded the consensus scores ("Agreed at moderation.")."""
    tender, *_ = build_three_bids(
        make_tender,
        make_bid,
        bobs_building,
        carols_care,
        moderator=lead_lucy,
        status=Tender.Status.EVALUATED,
    )
    panel(tender)
    for response in QualitativeResponse.objects.filter(commitment__bid__tender=tender):
        code = response.commitment.measure.code
        QualityScore.objects.create(
            response=response, evaluator=evaluator_erin, score=2, justification=f"Erin on {code}."
        )
        QualityScore.objects.create(
            response=response, evaluator=lead_lucy, score=4, justification=f"Lucy on {code}."
        )
    PanelMember.objects.filter(tender=tender).update(scores_submitted_at=timezone.now())
    return tender


def test_it_shows_the_whole_report_as_a_page(
    client_as: ClientAs, evaluated: Tender, officer_alice: User
) -> None:
    response = client_as(officer_alice).get(reverse("procurement:report", args=[evaluated.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "Social value weighting (W)",
        "10% of the total marks",
        "Quantitative marks (Q)",
        "Deliverability threshold (d)",
        "Counted value (£)",  # the basis
        "7.75",
        "6.89",
        "2.08",
        "£66,709.30",
        "£64,263.00",
        "Quality score 1 is below the deliverability threshold of 2",
        "Erin on NT31.",
        "Lucy on NT31.",
        "Agreed at moderation.",
        "recorded by Lucy Lead",
        "Erin Evaluator",
        "Social Value Portal",
    ):
        assert expected in html, expected
    assert INDIVIDUAL_SCORES_HIDDEN not in html


def test_it_hides_individual_scores_until_the_whole_panel_has_submitted(
    client_as: ClientAs, evaluated: Tender, evaluator_erin: User
) -> None:
    PanelMember.objects.filter(user=evaluator_erin).update(scores_submitted_at=None)
    response = client_as(evaluator_erin).get(reverse("procurement:report", args=[evaluated.pk]))
    html = response.content.decode()
    assert INDIVIDUAL_SCORES_HIDDEN in html
    assert "Lucy on NT1." not in html
    assert "Erin on NT1." not in html
    workbook = load_workbook(
        io.BytesIO(
            client_as(evaluator_erin)
            .get(reverse("procurement:report_xlsx", args=[evaluated.pk]))
            .content
        )
    )
    rows = list(workbook["Evaluator scores"].iter_rows(min_row=2, values_only=True))
    assert rows == [(INDIVIDUAL_SCORES_HIDDEN, None, None, None, None, None)]


def test_it_exports_the_report_as_a_workbook(
    client_as: ClientAs, evaluated: Tender, lead_lucy: User
) -> None:
    response = client_as(lead_lucy).get(reverse("procurement:report_xlsx", args=[evaluated.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="evaluation-report-{evaluated.reference.lower()}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Parameters",
        "Results",
        "Commitments",
        "Evaluator scores",
        "Moderation",
        "Panel",
    ]
    parameters = {row[0]: row[1] for row in workbook["Parameters"].iter_rows(values_only=True)}
    assert parameters["Social value weighting W (% of total marks)"] == 10
    assert parameters["Quantitative marks Q"] == 5
    assert parameters["Qualitative marks L"] == 5
    assert parameters["Deliverability threshold d"] == 2
    assert parameters["Quantitative basis"] == "Counted value (£)"
    assert parameters["Results"] == "Final"
    results = list(workbook["Results"].iter_rows(min_row=2, max_col=9, values_only=True))
    assert results == [
        (1, "Bob's Building Ltd", 500000, 66709.3, 64263, 12.85, 5, 2.75, 7.75),
        (2, "Carol's Care CIC", 400000, 81285, 50000, 12.5, 3.89, 3, 6.89),
        (3, "Dan's Digital Ltd", 250000, 1000, 1000, 0.4, 0.08, 2, 2.08),
    ]
    lines = list(workbook["Commitments"].iter_rows(min_row=2, values_only=True))
    assert len(lines) == 8
    assert lines[3][:2] == ("Bob's Building Ltd", "NT31")
    assert lines[3][5:] == (
        2446.3,
        1,
        "No",
        "Quality score 1 is below the deliverability threshold of 2",
    )
    scores = list(workbook["Evaluator scores"].iter_rows(min_row=2, max_col=5, values_only=True))
    assert len(scores) == 16
    assert ("Bob's Building Ltd", "NT31", "Erin Evaluator", 2, "Erin on NT31.") in scores
    assert ("Bob's Building Ltd", "NT31", "Lucy Lead", 4, "Lucy on NT31.") in scores
    moderation = list(workbook["Moderation"].iter_rows(min_row=2, max_col=5, values_only=True))
    assert len(moderation) == 8
    assert moderation[3] == ("Bob's Building Ltd", "NT31", 1, "Agreed at moderation.", "Lucy Lead")


def test_it_renders_the_report_as_an_a4_pdf(
    client_as: ClientAs, evaluated: Tender, evaluator_erin: User
) -> None:
    response = client_as(evaluator_erin).get(reverse("procurement:report_pdf", args=[evaluated.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler is on CI machines
        pytest.skip("pdftotext is not installed")
    extracted = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for expected in (
        "Lancashire Social Value",
        "Social value evaluation report",
        "Social value weighting (W)",
        "10% of the total marks",
        "Quantitative share (s)",
        "Deliverability threshold (d)",
        "Bob's Building Ltd",
        "7.75",
        "Erin on NT31.",
        "Agreed at moderation.",
        "Page 1 of",
        "Social Value Portal",
    ):
        assert expected in extracted, expected
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info


def test_it_loads_nothing_from_outside(evaluated: Tender) -> None:
    html = evaluation_report_html(evaluated)
    assert "<link" not in html
    assert "src=" not in html
    assert "url(" not in html
    # And the renderer would refuse anything but inline data if a resource ever crept in.
    from weasyprint.urls import URLFetcher

    with pytest.raises(ValueError, match="disallowed protocol"):
        URLFetcher(allowed_protocols=["data"]).fetch("https://example.invalid/logo.png")


def test_it_seals_the_report_before_the_deadline(
    make_tender: TenderMaker,
    make_bid: BidMaker,
    bobs_building: Organisation,
    client_as: ClientAs,
    officer_alice: User,
) -> None:
    tender = make_tender(status=Tender.Status.OPEN, deadline_in=timedelta(days=2))
    make_bid(tender, bobs_building, lines=[("NT1", "3", 4)])
    for name in ("report", "report_xlsx", "report_pdf"):
        response = client_as(officer_alice).get(reverse(f"procurement:{name}", args=[tender.pk]))
        assert response["Content-Type"].startswith("text/html")
        assert "Offers are sealed until" in response.content.decode()


def test_it_records_downloads_of_the_report_in_the_security_log(
    client_as: ClientAs, evaluated: Tender, lead_lucy: User
) -> None:
    from socialvalue.accounts.models import SecurityEvent

    client = client_as(lead_lucy)
    client.get(reverse("procurement:report", args=[evaluated.pk]))  # the page: not a download
    client.get(reverse("procurement:report_xlsx", args=[evaluated.pk]))
    downloads = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED)
    assert [(e.actor, e.detail) for e in downloads] == [
        (
            lead_lucy,
            {
                "export": "evaluation report",
                "rows": 2,  # Erin and Lucy, named with their scores
                "tender": evaluated.reference,
                "format": "xlsx",
            },
        )
    ]
